// The `ctx` a script of Rift's API receives, the same in every engine: the request, the flow's
// state, other flows' state, the flow id, the stub, a logger (and the response, in a decorate).
// Built per run; what it costs is paid only by stubs with such scripts.
import type { Log } from '../logging/logger.js';
import { joinedHeaders } from '../model/headers.js';
import { parseClientJson } from '../model/jsonDepth.js';
import type { ProtocolRequest } from '../model/request.js';
import type { FlowStore, FlowValue, MaybePromise } from '../state/flowStore.js';

export interface StubView {
  id: string | undefined;
  scenarioName: string | undefined;
  scenarioState: string | undefined;
}

export interface ResponseView {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface CtxInput {
  request: ProtocolRequest;
  pathParams: Record<string, string>;
  flowId: string;
  store: FlowStore;
  stub: StubView;
  log: Log;
  /** Only in a decorate (`transform(ctx)`). */
  response?: ResponseView;
}

export function buildCtx(input: CtxInput, watch?: (pending: Promise<unknown>) => void): Record<string, unknown> {
  const { store } = input;
  const flow = (flowId: unknown) => new FlowState(store, String(flowId), watch);
  const label = input.stub.id === undefined ? 'script' : `script (stub ${input.stub.id})`;
  const ctx: Record<string, unknown> = {
    request: new CtxRequest(input.request, input.pathParams),
    state: flow(input.flowId),
    store: { flow },
    flowId: input.flowId,
    stub: { id: input.stub.id, scenarioName: input.stub.scenarioName, scenarioState: input.stub.scenarioState },
    logger: {
      debug: (message: unknown) => input.log.debug(`${label}: ${String(message)}`),
      info: (message: unknown) => input.log.info(`${label}: ${String(message)}`),
      warn: (message: unknown) => input.log.warn(`${label}: ${String(message)}`),
      error: (message: unknown) => input.log.error(`${label}: ${String(message)}`),
    },
  };
  if (input.response) ctx.response = new CtxMessage(input.response.headers, input.response.body, { status: input.response.status });
  return ctx;
}

/** Headers (names lower-cased), `header(name)` in any case, the body as text and `json` parsed on first read. */
class CtxMessage {
  [field: string]: unknown;
  #json: unknown;
  #parsed = false;

  constructor(
    readonly headers: Record<string, string>,
    readonly body: string,
    fields: Record<string, unknown>,
  ) {
    Object.assign(this, fields);
  }

  header(name: unknown): string | undefined {
    return this.headers[String(name).toLowerCase()];
  }

  get json(): unknown {
    if (!this.#parsed) {
      this.#parsed = true;
      try {
        this.#json = this.body === '' ? undefined : parseClientJson(this.body);
      } catch {
        this.#json = undefined;
      }
    }
    return this.#json;
  }
}

class CtxRequest extends CtxMessage {
  constructor(request: ProtocolRequest, pathParams: Record<string, string>) {
    super(joinedHeaders(request.headers), typeof request.body === 'string' ? request.body : '', {
      method: String(request.method ?? ''),
      path: String(request.path ?? ''),
      pathParams,
      query: request.query ?? {},
    });
  }
}

const after = <T, R>(value: MaybePromise<T>, fn: (v: T) => R): MaybePromise<R> => (value instanceof Promise ? value.then(fn) : fn(value));

const keyOf = (key: unknown, method: string): string => {
  if (typeof key !== 'string' && typeof key !== 'number') throw new Error(`ctx.state.${method}: the key must be a string`);
  return String(key);
};

/** `ctx.state` (and `ctx.store.flow(id)`): one flow's keys. Rhai spells them snake_case, JavaScript camelCase; both work everywhere. */
class FlowState {
  constructor(
    private readonly store: FlowStore,
    private readonly flowId: string,
    private readonly watch: ((pending: Promise<unknown>) => void) | undefined,
  ) {}

  get(key: unknown): unknown {
    return this.seen(this.store.get(this.flowId, keyOf(key, 'get')));
  }

  get_or(key: unknown, fallback: unknown): unknown {
    return this.seen(after(this.store.get(this.flowId, keyOf(key, 'get_or')), (v) => (v === undefined || v === null ? fallback : v)));
  }

  getOr(key: unknown, fallback: unknown): unknown {
    return this.get_or(key, fallback);
  }

  // A script may store any value: the memory store keeps it as given, Redis as JSON, so the
  // casts to FlowValue here say what reading it back gives, not what was checked.
  set(key: unknown, value: unknown): unknown {
    return this.seen(this.store.set(this.flowId, keyOf(key, 'set'), (value ?? null) as FlowValue));
  }

  incr(key: unknown): unknown {
    return this.seen(this.store.incrBy(this.flowId, keyOf(key, 'incr'), 1));
  }

  incr_by(key: unknown, by: unknown): unknown {
    if (typeof by !== 'number' || !Number.isSafeInteger(by)) throw new Error(`ctx.state.incr_by: the amount must be an integer, got ${JSON.stringify(by)}`);
    return this.seen(this.store.incrBy(this.flowId, keyOf(key, 'incr_by'), by));
  }

  incrBy(key: unknown, by: unknown): unknown {
    return this.incr_by(key, by);
  }

  exists(key: unknown): unknown {
    return this.seen(this.store.exists(this.flowId, keyOf(key, 'exists')));
  }

  delete(key: unknown): unknown {
    return this.seen(this.store.delete(this.flowId, keyOf(key, 'delete')));
  }

  /** `ttl(seconds)` for every key of the flow, `ttl(key, seconds)` for one. */
  ttl(keyOrSeconds: unknown, seconds?: unknown): unknown {
    if (seconds === undefined) return this.seen(this.store.setTtl(this.flowId, seconds_(keyOrSeconds)));
    return this.seen(this.store.keyTtl(this.flowId, keyOf(keyOrSeconds, 'ttl'), seconds_(seconds)));
  }

  clear(): unknown {
    return this.seen(this.store.clear(this.flowId));
  }

  cas(key: unknown, expected: unknown, next: unknown): unknown {
    return this.seen(
      after(this.store.cas(this.flowId, keyOf(key, 'cas'), (expected ?? null) as FlowValue, (next ?? null) as FlowValue), (outcome) =>
        outcome.applied ? { applied: true } : { applied: false, current: outcome.current ?? undefined },
      ),
    );
  }

  /** Another flow's handle, as `ctx.store.flow(id)` gives it. */
  static sibling(of: FlowState, flowId: string): FlowState {
    return new FlowState(of.store, flowId, of.watch);
  }

  private seen<T>(value: MaybePromise<T>): MaybePromise<T> {
    if (value instanceof Promise) this.watch?.(value);
    return value;
  }
}

function seconds_(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`ctx.state.ttl: seconds must be a number, got ${JSON.stringify(value)}`);
  return Math.trunc(value);
}

/**
 * A flow-state call from an engine that reaches `ctx` from outside (Lua's standin_call): `method`
 * of the run's own flow (`ctx.state`) when `flowId` is undefined, else of `ctx.store.flow(flowId)`.
 */
export function callFlowMethod(ctx: Record<string, unknown>, flowId: string | undefined, method: string, args: unknown[]): unknown {
  const own = ctx.state;
  if (!(own instanceof FlowState)) throw new Error('the flow state is not available here');
  const handle = flowId === undefined ? own : FlowState.sibling(own, flowId);
  const fn: unknown = Reflect.get(handle, method);
  if (typeof fn !== 'function') throw new TypeError(`${method} is not a function`);
  return Reflect.apply(fn, handle, args);
}
