// Runs synchronous code that may not end in time (a user's script, a backtracking regex) so that
// V8 itself stops it: node:vm's `timeout` starts a watchdog thread that interrupts whatever
// JavaScript runs inside, also code defined outside the vm (fengari's interpreter, a RegExp).
// Each timed call costs the watchdog thread (tens of microseconds), so callers use it only where
// nothing cheaper bounds the work. The interrupted code's own catch and finally blocks do not
// run: state it was changing may be left half-changed, and callers must throw such state away.
import vm from 'node:vm';

export class TimeLimitExceeded extends Error {
  constructor(readonly ms: number) {
    super(`did not finish within ${ms} ms`);
    this.name = 'TimeLimitExceeded';
  }
}

const SLOT = Symbol.for('standin.timeLimit.call');
const CALL = new vm.Script(`globalThis[Symbol.for('standin.timeLimit.call')]()`, { filename: 'standin:timeLimit' });
const slots = globalThis as unknown as Record<symbol, (() => void) | undefined>;

/** Calls `fn`; past `ms` milliseconds (at least 1) V8 interrupts it and TimeLimitExceeded is thrown. */
export function withTimeLimit<T>(fn: () => T, ms: number): T {
  let result: T | undefined;
  const previous = slots[SLOT];
  slots[SLOT] = () => {
    result = fn();
  };
  try {
    CALL.runInThisContext({ timeout: Math.max(1, Math.ceil(ms)), displayErrors: false });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new TimeLimitExceeded(ms);
    throw err;
  } finally {
    slots[SLOT] = previous;
  }
  return result as T;
}
