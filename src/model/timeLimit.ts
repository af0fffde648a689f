// Runs synchronous code that may not end in time (a user's script, a backtracking regex) so that
// V8 itself stops it: node:vm's `timeout` starts a watchdog thread that interrupts whatever
// JavaScript runs inside, also code defined outside the vm (fengari's interpreter, a RegExp).
// Each timed call costs the watchdog thread (tens of microseconds), so callers use it only where
// nothing cheaper bounds the work. The interrupted code's own catch and finally blocks do not
// run: state it was changing may be left half-changed, and callers must throw such state away.
//
// The watchdog counts on the clock from before the call until its thread has been told that the
// call ended, and it is a thread of its own: on a machine loaded past its cores it may get a CPU
// only long after a short call returned (measured: 100-370 ms at a load of 15 on 2 cores, while
// the call itself took 0.1 ms), or this thread may wait that long for a CPU before the call
// starts. V8 then reports a timeout for code that did not run long; such a call is not stopped:
// its outcome is kept when the code had returned or thrown (a Rhai script waiting for Redis
// throws to suspend itself), and it is made again when none of it had run.
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

/** How many times a call V8 stopped before any of its code ran is made again. */
const STARVED_RETRIES = 2;

/** Calls `fn`; past `ms` milliseconds (at least 1) V8 interrupts it and TimeLimitExceeded is thrown. */
export function withTimeLimit<T>(fn: () => T, ms: number): T {
  let result: T | undefined;
  let thrown: { error: unknown } | undefined;
  /** 0: `fn` has not started, 1: it runs, 2: it returned or threw. */
  let progress = 0;
  const previous = slots[SLOT];
  slots[SLOT] = () => {
    progress = 1;
    try {
      result = fn();
    } catch (error) {
      // What the code threw (an interrupt is not caught here): V8's timeout may still be reported.
      thrown = { error };
    }
    progress = 2;
  };
  const timeout = Math.max(1, Math.ceil(ms));
  try {
    for (let retries = STARVED_RETRIES; ; retries--) {
      try {
        CALL.runInThisContext({ timeout, displayErrors: false });
        break;
      } catch (err) {
        if ((err as { code?: string }).code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw err;
        if (progress === 2) break;
        if (progress === 1 || retries === 0) throw new TimeLimitExceeded(ms);
      }
    }
  } finally {
    slots[SLOT] = previous;
  }
  if (thrown) throw thrown.error;
  return result as T;
}
