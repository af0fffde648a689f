// The stall limit (--stallLimit) counts the CPU time a stretch of a user's synchronous code uses,
// not time on the clock: on a busy machine a call that only waited for a CPU held nobody up (the
// other imposters were waiting for the same CPU) and must not fail for it. Checks that can run
// inside the code (Lua's count hook, Rhai's step check) ask `spent`; code no check sees (a
// JavaScript loop, a backtracking regex, a library function) is stopped by V8's interrupt, which
// only knows the clock, at WALL_CLOCK_FACTOR times the limit (see wallClockLimit).

type CpuUsage = () => { user: number; system: number };
// Node 23.9 and later measure the calling thread; before, the process (its other threads are
// mostly idle while this one runs a script, so it seldom counts more).
const threadCpu: CpuUsage = (process as unknown as { threadCpuUsage?: CpuUsage }).threadCpuUsage?.bind(process) ?? (() => process.cpuUsage());

function cpuMs(): number {
  const { user, system } = threadCpu();
  return (user + system) / 1000;
}

/**
 * One stretch's CPU budget. The CPU clock is read when the stretch starts and then only once the
 * clock on the wall says the budget may be spent (a thread cannot use more CPU time than passes),
 * so a short stretch costs one read.
 */
export class StallClock {
  private readonly startCpu = cpuMs();
  private checkAt: number;

  constructor(private readonly limitMs: number) {
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
 * V8 cannot tell running from waiting for a CPU, so where only its interrupt can stop code, it
 * waits this many times the stall limit on the clock: a short call that a loaded machine left
 * waiting (tens of ms, seen up to ~80 ms at a load of 12 on 2 cores) is not stopped for it.
 */
export const WALL_CLOCK_FACTOR = 4;

/** Milliseconds on the clock after which V8 stops code that no CPU check sees (0 = no limit). */
export function wallClockLimit(stallMs: number): number {
  return stallMs > 0 ? stallMs * WALL_CLOCK_FACTOR : 0;
}
