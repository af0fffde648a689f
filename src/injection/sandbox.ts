// Runs users' JavaScript functions (mountebank's injection): compiled once with node:vm in
// standin's own realm (so objects cross without copying, as mountebank's eval), called with two
// limits. Synchronous code (the call itself, each timer callback) holds the event loop, so it may
// run for the stall limit on the clock at most (--stallLimit, 50 ms by default, shared with the
// rest of the request's user code, longer on a loaded machine: model/stallClock.ts; V8, the only
// thing that can interrupt it, cannot count its CPU time), and --injectionTimeout if shorter. Waiting costs nobody anything:
// a function that calls back later may take up to --injectionTimeout, checked by an ordinary timer.
import { createRequire } from 'node:module';
import vm from 'node:vm';
import { clockLimit, stretchBudget } from '../model/stallClock.js';
import { TimeLimitExceeded, withTimeLimit } from '../model/timeLimit.js';

/** The script ran past its time limit (a loop, or a callback never called). */
export class InjectionTimeoutError extends Error {
  constructor(
    readonly timeoutMs: number,
    readonly asynchronous: boolean,
    /** Stopped by the stall limit (--stallLimit), not by --injectionTimeout. */
    readonly stalled = false,
  ) {
    super(
      stalled
        ? `kept standin busy for more than ${timeoutMs} ms and was stopped (--stallLimit)`
        : asynchronous
          ? `did not call back within ${timeoutMs} ms`
          : `did not return within ${timeoutMs} ms`,
    );
    // The name users read in `invalid injection` errors, unchanged since it was first printed.
    this.name = 'ScriptTimeoutError';
  }
}

/** The source does not compile, or is not a function. */
export class InjectionSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScriptSyntaxError';
  }
}

export type ScriptFunction = (...args: unknown[]) => unknown;

// Scripts `require` what standin can resolve (node's built-ins first), as mountebank's eval
// resolves from mountebank's own install.
const scriptRequire = createRequire(import.meta.url);

/**
 * Compiles `source` (a function expression, e.g. `function (config) {...}` or `config => ...`)
 * once. Timers the script schedules are wrapped so that what their callbacks throw, or loop,
 * is reported to the call that scheduled them instead of crashing standin.
 */
export function compileScript(source: string, filename: string): ScriptFunction {
  const wrapped = `(function (require, setTimeout, setInterval, setImmediate) {\n${SOURCE_PREFIX}${source}\n);\n})`;
  let factory: unknown;
  try {
    factory = new vm.Script(wrapped, { filename, lineOffset: -1 }).runInThisContext();
  } catch (err) {
    throw new InjectionSyntaxError(err instanceof Error ? `${err.message}${whereInSource(err, source)}` : String(err));
  }
  let fn: unknown;
  try {
    fn = (factory as (...a: unknown[]) => unknown)(scriptRequire, scriptTimers.setTimeout, scriptTimers.setInterval, scriptTimers.setImmediate);
  } catch (err) {
    throw new InjectionSyntaxError(err instanceof Error ? err.message : String(err));
  }
  if (typeof fn !== 'function') throw new InjectionSyntaxError(`expected a JavaScript function, got ${fn === null ? 'null' : typeof fn}`);
  return fn as ScriptFunction;
}

/** What precedes the user's source on its first line inside the wrapper. */
const SOURCE_PREFIX = 'return (';

/**
 * ` at line 2, column 13: "  const a = ;"` — where V8 found a syntax error, in the user's own
 * source (V8's excerpt shows the wrapper's line; its line number already counts from the source).
 */
function whereInSource(err: Error, source: string): string {
  const excerpt = /:(\d+)\n(.*)\n( *)\^/.exec(err.stack ?? '');
  if (!excerpt) return '';
  const line = Number(excerpt[1]);
  const lines = source.split('\n');
  if (!(line >= 1 && line <= lines.length)) return '';
  const column = excerpt[3]!.length - (line === 1 ? SOURCE_PREFIX.length : 0) + 1;
  const text = lines[line - 1]!;
  const start = Math.max(0, column - 40);
  const shown = `${start > 0 ? '…' : ''}${text.slice(start, column + 40)}${column + 40 < text.length ? '…' : ''}`;
  return ` at line ${line}, column ${Math.max(1, column)} of the function: ${JSON.stringify(shown)}`;
}

/**
 * Calls `fn` synchronously; past the shorter of `timeoutMs` and its share of the stall limit on
 * the clock (see model/stallClock.ts; 0 = no limit) V8 interrupts it and InjectionTimeoutError is
 * thrown. What the function throws is rethrown as is.
 */
export function runSync(fn: ScriptFunction, args: unknown[], timeoutMs: number, stallMs = 0): unknown {
  const stallWall = stallMs > 0 ? clockLimit(stretchBudget(stallMs)) : 0;
  const stalled = stallWall > 0 && (timeoutMs <= 0 || stallWall < timeoutMs);
  const limit = stalled ? stallWall : timeoutMs;
  if (limit <= 0) return withCall(null, () => fn(...args));
  try {
    return withTimeLimit(() => fn(...args), limit);
  } catch (err) {
    if (err instanceof TimeLimitExceeded) throw new InjectionTimeoutError(stalled ? stallMs : limit, false, stalled);
    throw err;
  }
}

/**
 * Calls a function that either returns its result (a value or a promise) or returns nothing and
 * calls back later: `makeArgs` receives the callback to hand to the script. A script that neither
 * returns nor calls back within `timeoutMs` (0 = no limit) rejects with InjectionTimeoutError.
 */
export function runWithCallback(
  fn: ScriptFunction,
  makeArgs: (callback: (value: unknown) => void) => unknown[],
  timeoutMs: number,
  stallMs = 0,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const call: PendingCall = {
      settle(error, value) {
        if (settled) return;
        settled = true;
        if (timer) clearTimeout(timer);
        if (error !== undefined) reject(error);
        else resolve(value);
      },
      timeoutMs,
      stallMs,
    };
    const callback = (value: unknown) => call.settle(undefined, value);
    let result: unknown;
    try {
      result = withCall(call, () => runSync(fn, makeArgs(callback), timeoutMs, stallMs));
    } catch (err) {
      call.settle(err, undefined);
      return;
    }
    if (result !== undefined) {
      // A returned promise (an async function) is adopted.
      Promise.resolve(result).then(callback, (err) => call.settle(err, undefined));
    } else if (!settled && timeoutMs > 0) {
      timer = setTimeout(() => call.settle(new InjectionTimeoutError(timeoutMs, true), undefined), timeoutMs);
    }
  });
}

interface PendingCall {
  settle(error: unknown, value: unknown): void;
  timeoutMs: number;
  stallMs: number;
}

/** The call whose synchronous part (or timer callback) is running now: timers it schedules report to it. */
let currentCall: PendingCall | null = null;

function withCall<T>(call: PendingCall | null, run: () => T): T {
  const previous = currentCall;
  currentCall = call ?? currentCall;
  try {
    return run();
  } finally {
    currentCall = previous;
  }
}

/** Runs a timer callback under the same limit as its call; a throw or loop fails that call. */
function guarded(owner: PendingCall | null, callback: unknown, args: unknown[]): () => void {
  return () => {
    if (typeof callback !== 'function') return;
    try {
      withCall(owner, () => runSync(callback as ScriptFunction, args, owner?.timeoutMs ?? 0, owner?.stallMs ?? 0));
    } catch (err) {
      if (owner) owner.settle(err, undefined);
      else process.emitWarning(`an injected timer callback failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
}

const scriptTimers = {
  setTimeout: (callback: unknown, ms?: number, ...args: unknown[]) => setTimeout(guarded(currentCall, callback, args), ms),
  setInterval: (callback: unknown, ms?: number, ...args: unknown[]) => setInterval(guarded(currentCall, callback, args), ms),
  setImmediate: (callback: unknown, ...args: unknown[]) => setImmediate(guarded(currentCall, callback, args)),
};
