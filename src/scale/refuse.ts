// What --workers refuses, with a message that says why and what to do instead: whatever would
// silently behave differently from one process.
import { ValidationFailure, validationError } from '../model/errors.js';
import { isPlainObject } from '../model/types.js';

/**
 * Scripts (`_rift.script`) keep flow state; in memory each worker would keep its own, so under
 * --workers an imposter whose stubs run scripts needs the shared Redis flow store.
 */
export function refuseUnshareable(imposterConfig: Record<string, unknown>, stubConfigs: readonly unknown[]): void {
  const rift = imposterConfig._rift;
  const flowState = isPlainObject(rift) ? rift.flowState : undefined;
  if (isPlainObject(flowState) && flowState.backend === 'redis') return;
  if (stubConfigs.some(movesScenario)) {
    throw new ValidationFailure([
      validationError(
        "with --workers, an imposter whose stubs have scenario states (requiredScenarioState, newScenarioState) must keep its flow state in Redis, which every worker shares: set _rift.flowState to {\"backend\": \"redis\", \"redis\": {\"url\": \"redis://host:port\"}} (in memory, each worker would keep its own states)",
        { _rift: rift ?? null },
      ),
    ]);
  }
  if (!stubConfigs.some(runsScript)) return;
  throw new ValidationFailure([
    validationError(
      "with --workers, an imposter whose responses run _rift scripts must keep its flow state in Redis, which every worker shares: set _rift.flowState to {\"backend\": \"redis\", \"redis\": {\"url\": \"redis://host:port\"}} (in memory, each worker would keep its own state)",
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
export function refusedWithWorkers(options: { allowInjection: boolean; protofile?: string; customProtocols: boolean }): string | undefined {
  if (options.allowInjection) {
    return '--workers cannot be combined with --allowInjection: injected functions share one `state` object, which lives in one process, and each worker is its own process. Run without --workers to use injection';
  }
  if (options.customProtocols) {
    return `--workers cannot serve custom protocols (${options.protofile ?? 'protocols.json'}): their processes call back one standin process. Run without --workers, or move protocols.json away`;
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
