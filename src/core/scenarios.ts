// Rift's scenarios: a stub may belong to a named state machine (`scenarioName`), answer only in
// one of its states (`requiredScenarioState`) and move it on (`newScenarioState`) once it has
// answered. States live in the imposter's flow store, one key per scenario name in each flow (as
// in Rift, so the flow-state routes see them too); a scenario never written is in "Started".
import type { FlowAccess } from '../contracts/index.js';
import { StandinError, validationError } from '../model/errors.js';
import type { EchoedStub } from '../model/echoedDefinition.js';
import type { MaybePromise } from '../state/flowStore.js';

export const INITIAL_STATE = 'Started';

export interface StubScenario {
  readonly name: string;
  /** The state the scenario must be in for the stub to be considered. */
  readonly required: string | undefined;
  /** The state the scenario moves to after the stub answered. */
  readonly next: string | undefined;
}

/** A stub's scenario fields, validated; undefined for a stub outside any scenario. */
export function compileStubScenario(config: EchoedStub): StubScenario | undefined {
  const text = (field: 'scenarioName' | 'requiredScenarioState' | 'newScenarioState'): string | undefined => {
    const value = config[field];
    if (value !== undefined && typeof value !== 'string') throw validationError(`a stub's '${field}' must be a string, got ${JSON.stringify(value)}`, config);
    return value;
  };
  const name = text('scenarioName');
  const required = text('requiredScenarioState');
  const next = text('newScenarioState');
  if (name === undefined) {
    if (required !== undefined || next !== undefined) {
      throw validationError("a stub with 'requiredScenarioState' or 'newScenarioState' needs the 'scenarioName' of the scenario they belong to", config);
    }
    return undefined;
  }
  return { name, required, next };
}

/** The scenario states of an imposter's flows, kept in its flow store. */
export class ScenarioBook {
  constructor(private readonly flows: FlowAccess) {}

  state(flowId: string, name: string): MaybePromise<string> {
    const value = this.flows.store.get(flowId, name);
    return value instanceof Promise ? value.then((v) => asState(flowId, name, v)) : asState(flowId, name, value);
  }

  set(flowId: string, name: string, state: string): MaybePromise<unknown> {
    return this.flows.store.set(flowId, name, state);
  }

  /**
   * Moves the scenario on after a stub answered. A stub gated on `required` moves it only if it is
   * still there (compare-and-set: one atomic step, in Redis too), so of two requests that both saw
   * `required`, one moves the state and the other's move is dropped instead of overwriting what
   * came since. False when dropped. "Started" is usually no key at all, sometimes one written.
   */
  advance(flowId: string, name: string, required: string | undefined, next: string): MaybePromise<boolean> {
    const store = this.flows.store;
    if (required === undefined) return then(store.set(flowId, name, next), () => true);
    const first = store.cas(flowId, name, required === INITIAL_STATE ? null : required, next);
    return then(first, (outcome) => {
      if (outcome.applied) return true;
      if (required !== INITIAL_STATE || outcome.current !== INITIAL_STATE) return false;
      return then(store.cas(flowId, name, INITIAL_STATE, next), (again) => again.applied);
    });
  }

  /** Back to "Started": the key is removed. */
  reset(flowId: string, name: string): MaybePromise<unknown> {
    return this.flows.store.delete(flowId, name);
  }

  /** Every named scenario's state in a flow, in the order given. */
  async list(flowId: string, names: readonly string[]): Promise<{ name: string; state: string }[]> {
    const out: { name: string; state: string }[] = [];
    for (const name of names) out.push({ name, state: await this.state(flowId, name) });
    return out;
  }
}

/** `f` of a value now or later, without a Promise when it is there now (the in-memory store). */
function then<T, R>(value: MaybePromise<T>, f: (value: T) => MaybePromise<R>): MaybePromise<R> {
  return value instanceof Promise ? value.then(f) : f(value);
}

/** A value that is not a string was written by something else (a flow-state PUT): gating on it would mislead. */
function asState(flowId: string, name: string, value: unknown): string {
  if (value === undefined || value === null) return INITIAL_STATE;
  if (typeof value === 'string') return value;
  throw new StandinError(
    'bad data',
    `the state of scenario ${JSON.stringify(name)} in flow ${JSON.stringify(flowId)} is ${JSON.stringify(value)}, not a string; set it with PUT /imposters/:id/scenarios/${name}/state`,
  );
}
