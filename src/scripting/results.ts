// The result constructors of Rift's script API, the same in every engine: `http(status, body)`
// (chain `.header(k, v)`), `delay(ms)`, `reset()`, `pass()`. A script returns one of them (or
// nothing); the placement reads it. `header` answers a new value instead of changing this one, so
// a Rhai run replayed after a Redis answer sees the same value again.

export class HttpResult {
  constructor(
    readonly status: number,
    /** A string is sent as is; anything else as JSON. */
    readonly body: unknown,
    readonly headers: readonly (readonly [string, string])[] = [],
  ) {}

  header(name: unknown, value: unknown): HttpResult {
    if (typeof name !== 'string' || name === '') throw new Error('header(name, value): the name must be a non-empty string');
    return new HttpResult(this.status, this.body, [...this.headers, [name, String(value)]]);
  }
}

export class DelayResult {
  constructor(readonly ms: number) {}
}

export class ResetResult {}

export class PassResult {}

export type ScriptResult = HttpResult | DelayResult | ResetResult | PassResult;

const RESET = new ResetResult();
const PASS = new PassResult();

/** `http(status, body)`: an answer with this status and body (headers added with `.header`). */
export function http(status: unknown, body?: unknown): HttpResult {
  if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
    throw new Error(`http(status, body): the status must be an integer from 100 to 599, got ${JSON.stringify(status)}`);
  }
  return new HttpResult(status, body);
}

/** `delay(ms)`: the stub's own answer, that many milliseconds later. */
export function delay(ms: unknown): DelayResult {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw new Error(`delay(ms): ms must be a number of at least 0, got ${JSON.stringify(ms)}`);
  return new DelayResult(Math.round(ms));
}

export const reset = (): ResetResult => RESET;

export const pass = (): PassResult => PASS;

/** The functions scripts call by these names. */
export const RESULT_CONSTRUCTORS: Readonly<Record<string, (...args: unknown[]) => ScriptResult>> = { http, delay, reset, pass };
