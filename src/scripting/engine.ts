// One interface for the script engines of `_rift.script` (javascript, lua, rhai): compile once
// when the imposter is created, then call `should_inject(request, flow_store)` per request.
import { BACKSTOP_FACTOR, StallClock, clockLimit, stretchBudget } from '../model/stallClock.js';
import { TimeLimitExceeded, withTimeLimit } from '../model/timeLimit.js';
import type { FlowStore } from '../state/flowStore.js';

/** What a script sees as `request`: plain data, built once per request. */
export interface ScriptRequest {
  method: string;
  path: string;
  /** Names lower-cased. */
  headers: Record<string, string>;
  query: Record<string, string | string[]>;
  pathParams: Record<string, string>;
  /** The parsed JSON body, or null when the body is not JSON (unit in Rhai, nil in Lua). */
  body: unknown;
}

export interface ScriptCall {
  request: ScriptRequest;
  store: FlowStore;
  /** Date.now() value after which the run is stopped with ScriptTimeoutError. */
  deadline: number;
  /**
   * --stallLimit: milliseconds of CPU time one synchronous stretch of the run (until it returns or
   * waits for a flow_store answer) may use; past it, ScriptTimeoutError. 0 = no limit.
   */
  stallMs: number;
}

export interface CompiledScript {
  /** The function's return value as plain JavaScript (maps as objects, unit/nil as undefined). */
  run(call: ScriptCall): unknown | Promise<unknown>;
}

export interface ScriptEngine {
  readonly name: string;
  /** Throws ScriptSyntaxError; the limits bound any top-level code run while compiling. */
  compile(source: string, limits: ScriptLimits): CompiledScript;
  /**
   * A script of Rift's `ctx` API: it defines the function its placement calls (`respond(ctx)`
   * as a response...), or is that function's body alone (the bare form, `ctx` in scope).
   */
  compileCtx(source: string, limits: ScriptLimits, placement: Placement): CtxScript;
}

export interface ScriptLimits {
  /** `_rift.scriptEngine.timeoutMs`: the wall-clock budget of one run. */
  timeoutMs: number;
  /** --stallLimit (see ScriptCall.stallMs). */
  stallMs: number;
}

/** Where a `ctx` script sits decides the function it defines and what it returns. */
export type Placement = 'respond' | 'matches' | 'transform' | 'delay';

export interface CtxCall {
  /**
   * Builds this run's `ctx`. `watch` is told of each flow-state Promise (Redis) the script is
   * given, so an engine that must resume the script itself when one settles (JavaScript) can.
   */
  ctx(watch?: (pending: Promise<unknown>) => void): Record<string, unknown>;
  /** Date.now() value after which the run is stopped with ScriptTimeoutError. */
  deadline: number;
  /** --stallLimit (see ScriptCall.stallMs). */
  stallMs: number;
}

export interface CtxScript {
  /** What the function returned, as plain JavaScript (a result constructor's value as is). */
  run(call: CtxCall): unknown | Promise<unknown>;
}

/** The error for a script that defines functions, none of them the one its placement calls. */
export function missingEntry(engine: string, placement: Placement, declared: readonly string[]): ScriptRuntimeError {
  return new ScriptRuntimeError(
    `the ${engine} script defines ${declared.join(', ')} but no ${placement}(ctx), the function this placement calls: ` +
      `rename it ${placement}, or leave out the function and write its body alone` +
      (placement === 'respond' ? ' (or define should_inject(request, flow_store), the older contract)' : ''),
  );
}

/** The function every script defines. */
export const ENTRY_POINT = 'should_inject';

export class ScriptSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'ScriptSyntaxError';
  }
}

/** The script threw, or returned something standin cannot read. */
export class ScriptRuntimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScriptRuntimeError';
  }
}

export class ScriptTimeoutError extends Error {
  /** `stalled`: stopped by the stall limit (--stallLimit) rather than the run's budget. */
  constructor(timeoutMs: number | undefined, stalled = false) {
    super(
      stalled
        ? `script kept standin busy for more than ${timeoutMs} ms and was stopped (--stallLimit)`
        : timeoutMs === undefined
          ? 'script timed out'
          : `script timed out after ${timeoutMs} ms`,
    );
    this.name = 'ScriptTimeoutError';
  }
}

/** How much later than the run's deadline V8's interrupt stops library code the engines' own checks cannot see. */
const DEADLINE_GRACE_MS = 25;

/**
 * One synchronous stretch of a run (until it returns or waits for a flow_store answer): it ends
 * when the run's deadline passes (time on the clock, the run's own budget) or when it has used
 * its share of the stall limit (see model/stallClock.ts): in CPU time where the engine checks it
 * itself (Lua asks `over()`, Rhai's interpreter keeps its own StallClock), with V8's interrupt a
 * little later behind; on the clock where only V8 can stop it (JavaScript).
 */
export class Stretch {
  private readonly clock: StallClock | undefined;
  /** This stretch's share of the stall limit (0: no limit). */
  private readonly budgetMs: number;
  private stalled = false;

  constructor(
    readonly deadline: number,
    readonly stallMs: number,
    /** Who checks the CPU time used: this stretch (`over()`), the engine itself, or nobody (V8 alone stops it). */
    private readonly cpuCheck: 'stretch' | 'engine' | 'none',
  ) {
    this.budgetMs = stallMs > 0 ? stretchBudget(stallMs) : 0;
    this.clock = this.budgetMs > 0 && cpuCheck === 'stretch' ? new StallClock(this.budgetMs) : undefined;
  }

  /** This stretch's share of the stall limit in milliseconds (0: no limit). */
  get budget(): number {
    return this.budgetMs;
  }

  /** The engines' own check: whether the stretch must stop now. */
  over(now = Date.now()): boolean {
    if (now > this.deadline) return true;
    if (this.clock?.spent(now)) return (this.stalled = true);
    return false;
  }

  /** Milliseconds V8's interrupt gives the stretch on the clock (Infinity: no interrupt needed). */
  wallLimitMs(): number {
    const untilDeadline = this.deadline === Infinity ? Infinity : Math.max(1, this.deadline - Date.now() + DEADLINE_GRACE_MS);
    if (this.budgetMs <= 0) return untilDeadline;
    return Math.min(untilDeadline, clockLimit(this.budgetMs, this.cpuCheck === 'none' ? 1 : BACKSTOP_FACTOR));
  }

  /** The error for a stretch that was stopped: the stall limit's, unless the run's deadline passed. */
  timeout(timeoutMs: number): ScriptTimeoutError {
    if (this.stalled || Date.now() <= this.deadline) return new ScriptTimeoutError(this.stallMs, true);
    return new ScriptTimeoutError(timeoutMs);
  }
}

/** Runs `fn` as one stretch under V8's interrupt (the backstop for code the engines' checks cannot see). */
export function runStretch<T>(stretch: Stretch, timeoutMs: number, fn: () => T): T {
  const wall = stretch.wallLimitMs();
  if (wall === Infinity) return fn();
  try {
    return withTimeLimit(fn, wall);
  } catch (err) {
    if (err instanceof TimeLimitExceeded) throw stretch.timeout(timeoutMs);
    throw err;
  }
}
