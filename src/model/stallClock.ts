// The stall limit (--stallLimit): while a user's synchronous code runs (a script, a template, an
// injected function, a regex only a backtracking engine can run), every imposter and the admin
// API wait, so each stretch of it is stopped at the limit. Checks that run inside the code (Lua's
// count hook, Rhai's step check) count CPU time (`StallClock`): on a busy machine a stretch that
// only waited for a CPU held nobody up (the others were waiting for the same CPU). Code no check
// sees (a JavaScript loop, a backtracking regex, library code inside Lua or Rhai) is stopped by
// V8's interrupt, which only knows the clock: at the limit for JavaScript, templates and regexes,
// and a little later (BACKSTOP_FACTOR) behind the CPU checks, so those stop first and cleanly.
// On a machine loaded past its cores, a thread gets only part of a CPU, so V8 waits that much
// longer on the clock (clockDilation, from the load average), so a short call is not stopped for
// waiting; but never more than MAX_DILATION times the limit, backstop included: what the others
// wait for is time on the clock, and the default 50 ms must hold them 100 ms at most.
//
// Why a bound that tight does not stop legitimate scripts on a loaded machine (measured at a load
// average of 15 on 2 cores, where standin's thread got about a tenth of a CPU): the one-line
// scripts V8 stopped there had not run long; V8's watchdog, a thread of its own, had waited for
// a CPU. It counts from before the call until it is told the call ended, so its wait around a
// call of 0.1 ms reached 100-370 ms, and V8 reported a timeout after the code had returned (or
// before it began). model/timeLimit.ts keeps such a call's result (or makes it again when none
// of it ran). The shared budget (stretchBudget) was not the cause: each of those stretches had
// started with 48-50 ms of it. What is left: when the OS takes the CPU away from standin for
// longer than the limit inside the user's code itself (its few microseconds per call), the code
// is stopped, as a loop would be.
//
// One request's user code shares one budget of CPU time: several predicate injects, a template
// and a decorate run for the same request in one go are one stall for everybody else. On the
// clock they share MAX_DILATION times the limit too: on a loaded machine five looping predicate
// injects would otherwise each get their CPU share's worth of clock (measured: 340 ms in all at a
// load of 15 on 2 cores), while the others wait for the whole series. The budget
// is reset when standin starts on the next request, compiles the next script or resumes a script
// after a wait (`freshStallBudget`: answers that arrive together resume several requests' scripts
// in one go), and when the event loop turns (a timer callback starts afresh).

import os from 'node:os';

type CpuUsage = () => { user: number; system: number };
// Node 22.15, 23.9 and later measure the calling thread; Node 20, the process (its other threads
// are mostly idle while this one runs a script, so it seldom counts more).
const threadCpu: CpuUsage = (process as unknown as { threadCpuUsage?: CpuUsage }).threadCpuUsage?.bind(process) ?? (() => process.cpuUsage());

function cpuMs(): number {
  const { user, system } = threadCpu();
  return (user + system) / 1000;
}

/** Whether a stretch of the current request's user code has started in this turn. */
let turnStarted = false;
/** CPU time (cpuMs) when it started. */
let turnStartedCpu = 0;
/** performance.now() when it started, and the milliseconds on the clock its stretches share. */
let turnStartedAt = 0;
let turnClockMs = Infinity;
let turnEndScheduled = false;
const endTurn = (): void => {
  turnStarted = false;
  turnEndScheduled = false;
};

/**
 * The user code that runs next gets a budget of its own: standin starts on another request, or
 * compiles another script (its top-level code runs once, when the imposter is created).
 */
export function freshStallBudget(): void {
  turnStarted = false;
}

/**
 * Milliseconds of CPU time (at least 1) a stretch starting now may hold the event loop: the stall
 * limit less the CPU time used since this request's first stretch in this turn of the event loop
 * (CPU time, so that a wait for a CPU between two stretches on a busy machine does not use it up).
 */
export function stretchBudget(stallMs: number): number {
  if (!turnStarted) {
    turnStarted = true;
    turnStartedCpu = cpuMs();
    turnStartedAt = performance.now();
    turnClockMs = stallMs * MAX_DILATION;
    if (!turnEndScheduled) {
      turnEndScheduled = true;
      setImmediate(endTurn);
    }
    return stallMs;
  }
  return Math.max(1, stallMs - (cpuMs() - turnStartedCpu));
}

/**
 * Most times the stall limit V8 waits on the clock on a loaded machine, backstop included. The
 * load average is a coarse guess at standin's share of a CPU (it lags when the load drops, and
 * standin may get a whole CPU anyway), and every stretch it grants is time everybody else waits.
 */
export const MAX_DILATION = 2;
const CORES = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length || 1;
let dilation = 1;
let dilationReadAt = -Infinity;

/**
 * Milliseconds on the clock one millisecond of CPU time takes standin now: the load average per
 * core (1 on a machine with a CPU to spare; 0 load average where the OS has none, as on Windows),
 * read at most once a second.
 */
function clockDilation(): number {
  const now = performance.now();
  if (now - dilationReadAt >= 1_000) {
    dilationReadAt = now;
    dilation = Math.min(MAX_DILATION, Math.max(1, (os.loadavg()[0] ?? 0) / CORES));
  }
  return dilation;
}

/**
 * Milliseconds on the clock (at least 1) V8 gives a stretch with `budgetMs` of CPU time that no
 * check of standin's sees (`backstop`: how much later than the budget, see BACKSTOP_FACTOR): at
 * most MAX_DILATION times the budget, however loaded the machine, and no more than what is left of
 * the clock time the request's stretches in this turn share (see stretchBudget). A one-line script
 * given 1 ms still answers: its code takes microseconds, and a timeout V8 reports after the code
 * returned keeps its result (model/timeLimit.ts).
 */
export function clockLimit(budgetMs: number, backstop = 1): number {
  const own = budgetMs * Math.min(MAX_DILATION, backstop * clockDilation());
  const turnLeft = turnStarted ? turnClockMs - (performance.now() - turnStartedAt) : Infinity;
  return Math.max(1, Math.ceil(Math.min(own, turnLeft)));
}

/**
 * One stretch's CPU budget. The CPU clock is read when the stretch starts and then only once the
 * clock on the wall says the budget may be spent (a thread cannot use more CPU time than passes),
 * so a short stretch costs one read.
 */
export class StallClock {
  private readonly startCpu = cpuMs();
  private checkAt: number;

  constructor(readonly limitMs: number) {
    this.checkAt = Date.now() + limitMs;
  }

  /** Whether the stretch has used its CPU time; `now` is Date.now(). */
  spent(now: number): boolean {
    if (now <= this.checkAt) return false;
    const used = cpuMs() - this.startCpu;
    if (used >= this.limitMs) return true;
    this.checkAt = now + (this.limitMs - used);
    return false;
  }
}

/**
 * How much later than a CPU check's budget V8 stops the code behind it (50 ms of CPU time, the
 * default: 60 ms on the clock of a quiet machine, still 100 ms at most on a loaded one), so the
 * check, which stops cleanly, comes first.
 */
export const BACKSTOP_FACTOR = 1.2;
