// What --workers and --fleet refuse, with a message that says why and what to do instead: whatever would
// silently behave differently from one process.
import { ValidationFailure, validationError } from '../model/errors.js';
import { isPlainObject } from '../model/plainObject.js';

/**
 * Scripts (`_rift.script`) keep flow state; in memory each worker would keep its own, so under
 * --workers an imposter whose stubs run scripts needs the shared Redis flow store.
 */
export function refuseUnshareable(imposterConfig: Record<string, unknown>, stubConfigs: readonly unknown[], mode = '--workers'): void {
  const rift = imposterConfig._rift;
  const flowState = isPlainObject(rift) ? rift.flowState : undefined;
  if (isPlainObject(flowState) && flowState.backend === 'redis') return;
  if (stubConfigs.some(movesScenario)) {
    throw new ValidationFailure([
      validationError(
        `with ${mode}, an imposter whose stubs have scenario states (requiredScenarioState, newScenarioState) must keep its flow state in Redis, which every ${mode === '--workers' ? 'worker' : 'member'} shares: set _rift.flowState to {"backend": "redis", "redis": {"url": "redis://host:port"}} (in memory, each ${mode === '--workers' ? 'worker' : 'member'} would keep its own states)`,
        { _rift: rift ?? null },
      ),
    ]);
  }
  if (!stubConfigs.some(runsScript)) return;
  throw new ValidationFailure([
    validationError(
      `with ${mode}, an imposter whose responses run _rift scripts must keep its flow state in Redis, which every process shares: set _rift.flowState to {"backend": "redis", "redis": {"url": "redis://host:port"}} (in memory, each process would keep its own state)`,
      { _rift: rift ?? null },
    ),
  ]);
}

function movesScenario(stub: unknown): boolean {
  return isPlainObject(stub) && (stub.requiredScenarioState !== undefined || stub.newScenarioState !== undefined);
}

function runsScript(stub: unknown): boolean {
  if (!isPlainObject(stub) || !Array.isArray(stub.responses)) return false;
  return stub.responses.some((response) => isPlainObject(response) && isPlainObject(response._rift) && response._rift.script !== undefined);
}

/** Start options --workers cannot honour; the message says why. Undefined when they can all be honoured. */
export function refusedWithWorkers(
  options: { allowInjection: boolean; protofile?: string; customProtocols: boolean; datadir?: string; debug?: boolean; workers?: number },
  mode = '--workers',
): string | undefined {
  if (options.allowInjection) {
    return `${mode} cannot be combined with --allowInjection: injected functions share one \`state\` object, which lives in one process, and each ${mode === '--workers' ? 'worker' : 'member'} is its own process. Run without ${mode} to use injection`;
  }
  if (options.customProtocols) {
    return `${mode} cannot serve custom protocols (${options.protofile ?? 'protocols.json'}): their processes call back one standin process. Run without ${mode}, or move protocols.json away`;
  }
  if (mode === '--fleet') {
    if (options.workers !== undefined)
      return '--fleet and --workers cannot be combined: a fleet member is one process. To use every core of a machine, start one member per core, each on its own address (--host), all with the same --fleet URL';
    if (options.datadir !== undefined) return '--fleet keeps the imposters in Redis: leave out --datadir (give Redis persistence instead)';
    if (options.debug)
      return '--fleet does not collect --debug matches across members (each would show only its own): leave out --debug (X-Rift-Debug: true and POST /imposters/:id/test work in a fleet), or run one standin';
  }
  return undefined;
}

/** A start refused because --workers cannot honour another option; the message is for the user as is. */
export class ScaleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScaleError';
  }
}
