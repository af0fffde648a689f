// The state of one script run: its deadline, its print callback, and the log of host calls that
// lets a run which met a Promise be replayed up to that point once the Promise settles.
import type { Pos } from './ast.js';
import { StallClock, stretchBudget } from '../../model/stallClock.js';
import { isThenable } from '../../model/thenable.js';
import { RhaiRuntimeError, RhaiStallError, RhaiTimeoutError } from './errors.js';
import type { FnPtr, Value } from './values.js';

/** A host JavaScript function a script may call (applied with its own target and arguments). */
export type HostFunction = (this: unknown, ...args: unknown[]) => unknown;

/** Any JavaScript function can be applied to any target and arguments. */
export const isHostFunction = (value: unknown): value is HostFunction => typeof value === 'function';

/** Thrown through the evaluator when a host call returned a Promise; the driver awaits it. */
export const SUSPEND: unique symbol = Symbol('rhai.suspend');

export class BreakSignal {
  constructor(readonly value: Value) {}
}
export class ContinueSignal {}
export class ReturnSignal {
  constructor(readonly value: Value) {}
}
export const CONTINUE = new ContinueSignal();

/** The deadline is read every this many loop iterations and calls (a power of two, minus one). */
const DEADLINE_CHECK_MASK = 1023;
/** Rhai's default limit on nested function calls. */
export const MAX_CALL_DEPTH = 64;

interface HostRecord {
  readonly ok: boolean;
  readonly value: unknown;
}

/** Shared by runs that have made no host call yet; replaced on the first record. */
const NO_RECORDS: HostRecord[] = [];

/** What builtins and the evaluator need from the program itself. */
export interface ProgramLinks {
  callFnPtr(fp: FnPtr, args: Value[], thisValue: Value, ctx: RunContext, pos: Pos): Value;
  hasScriptFunction(name: string, arity: number): boolean;
  global(name: string, pos: Pos): Value;
  /** A function the host gave the program by name (Rift's `http`, `pass`), or undefined. */
  hostFunction(name: string): HostFunction | undefined;
}

export class RunContext {
  steps = 0;
  depth = 0;
  /** Host call results of earlier attempts of this run, replayed in order. */
  private log: HostRecord[] = NO_RECORDS;
  private replayed = 0;
  private printedEver = 0;
  private printedThisRun = 0;
  pending: PromiseLike<unknown> | undefined;

  constructor(
    readonly links: ProgramLinks,
    readonly deadline: number,
    private readonly printer: ((text: string) => void) | undefined,
  ) {}

  /** The CPU budget of the current synchronous stretch (the stall limit); none when there is no limit. */
  private stall: StallClock | undefined;

  /** Starts a synchronous stretch that may use its share of `stallMs` in CPU time (0 = no limit; see stretchBudget). */
  startStretch(stallMs: number): void {
    this.stall = stallMs > 0 ? new StallClock(stretchBudget(stallMs)) : undefined;
  }

  tick(pos: Pos): void {
    if ((++this.steps & DEADLINE_CHECK_MASK) === 0) {
      const now = Date.now();
      if (now > this.deadline) this.timeout(pos);
      if (this.stall?.spent(now)) throw new RhaiStallError('the script kept its host busy past the stall limit', pos);
    }
  }

  timeout(pos?: Pos): never {
    throw new RhaiTimeoutError('the script ran past its deadline and was stopped', pos);
  }

  /** Starts the run over; host calls already made answer from the log. */
  restart(): void {
    this.replayed = 0;
    this.printedThisRun = 0;
    this.depth = 0;
  }

  /** Settles the pending Promise into the log (or times out). */
  async settlePending(): Promise<void> {
    const pending = this.pending!;
    this.pending = undefined;
    let timer: NodeJS.Timeout | undefined;
    const remaining = this.deadline - Date.now();
    try {
      const value = await (Number.isFinite(remaining)
        ? Promise.race([
            pending,
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new RhaiTimeoutError('the script ran past its deadline waiting for a host call')), Math.max(0, remaining));
            }),
          ])
        : pending);
      this.record({ ok: true, value });
    } catch (err) {
      if (err instanceof RhaiTimeoutError) throw err;
      this.record({ ok: false, value: err });
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Calls `method` on `target` exactly once across replays. It answers a JS value (converted by
   * `convert`) or a Promise of one, which suspends the run.
   */
  hostCall(method: HostFunction, target: unknown, args: unknown[], convert: (js: unknown) => Value, what: string, pos: Pos): Value {
    if (this.replayed < this.log.length) {
      const record = this.log[this.replayed++]!;
      if (!record.ok) throw hostFailure(what, record.value, pos);
      return convert(record.value);
    }
    let out: unknown;
    try {
      out = method.apply(target, args);
    } catch (err) {
      this.record({ ok: false, value: err });
      this.replayed++;
      throw hostFailure(what, err, pos);
    }
    if (isThenable(out)) {
      this.pending = out;
      throw SUSPEND;
    }
    this.record({ ok: true, value: out });
    this.replayed++;
    return convert(out);
  }

  private record(entry: HostRecord): void {
    if (this.log === NO_RECORDS) this.log = [];
    this.log.push(entry);
  }

  print(text: string): void {
    // A replayed run must not print again what the first attempt printed.
    if (this.printedThisRun++ < this.printedEver) return;
    this.printedEver++;
    this.printer?.(text);
  }
}

function hostFailure(what: string, err: unknown, pos: Pos): RhaiRuntimeError {
  if (err instanceof RhaiRuntimeError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const failure = new RhaiRuntimeError(`${what} failed: ${message}`, pos);
  failure.cause = err;
  return failure;
}
