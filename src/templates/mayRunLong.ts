// Which templates need the injection time limit. V8 interrupts synchronous code only through a
// vm timeout, and each timed call starts a watchdog thread (~80 µs, more than rendering a 500 KB
// template), so templates whose code cannot loop are called directly and pay nothing.

/**
 * Code can run unbounded only through a loop statement or code built at run time (eval,
 * Function, `.constructor`), or by blocking (Atomics.wait). Recursion ends in a RangeError.
 * A regular expression can backtrack for ages (`/(a+)+$/.test(...)`: any `/` counts, division
 * too), and a few string and array methods do work proportional to a number the code chooses.
 * Words inside strings count too: a false alarm only costs the watchdog.
 */
const LONG_RUNNING =
  /\b(?:for|while|do|eval|Function|constructor|Atomics|RegExp|match|matchAll|replace|replaceAll|search|split|repeat|padStart|padEnd|fill|sort|from)\b|\//;

export const mayRunLong = (code: string): boolean => LONG_RUNNING.test(code);
