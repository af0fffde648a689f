// Stops a template that runs too long. V8 can interrupt synchronous code only through a vm
// timeout, and each timed call starts a watchdog thread (~80 µs), so templates whose code cannot
// loop skip it (see mayRunLong) and pay nothing.
import vm from 'node:vm';

/** How long a template that can loop may run, per render. */
export const TEMPLATE_TIMEOUT_MS = 1_000;

// One tiny script, compiled once, that calls whatever function is parked in its context.
const context = vm.createContext({ run: null as (() => unknown) | null });
const callParked = new vm.Script('run()');

/** Runs `fn` and throws TemplateTimeout if it has not returned after `timeoutMs`. */
export function runWithTimeout<T>(fn: () => T, timeoutMs: number): T {
  context.run = fn;
  try {
    return callParked.runInContext(context, { timeout: timeoutMs }) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new TemplateTimeout(timeoutMs);
    throw err;
  } finally {
    context.run = null;
  }
}

export class TemplateTimeout extends Error {
  constructor(timeoutMs: number) {
    super(`the template did not finish within ${timeoutMs} ms`);
    this.name = 'TemplateTimeout';
  }
}

/**
 * Code can run unbounded only through a loop statement or code built at run time (eval,
 * Function, `.constructor`), or by blocking (Atomics.wait). Recursion ends in a RangeError.
 * Words inside strings count too: a false alarm only costs the watchdog.
 */
const LONG_RUNNING = /\b(?:for|while|do|eval|Function|constructor|Atomics)\b/;

export const mayRunLong = (code: string): boolean => LONG_RUNNING.test(code);
