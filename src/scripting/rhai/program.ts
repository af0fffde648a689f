// A compiled script and how it is called. A call runs synchronously; when a host function answers
// a Promise, the run stops there (SUSPEND), the Promise is awaited, and the run starts over with
// every host call made so far answered from its log — scripts are deterministic apart from host
// calls and the clock (also logged), so the replay reaches the same point and carries on.
import type { Pos, Script } from './ast.js';
import { newFrame, runFrame, type CompiledFunction } from './access.js';
import { toJs, toRhai } from './boundary.js';
import { callFnPtr } from './calls.js';
import { Compiler } from './compiler.js';
import { RhaiRuntimeError } from './errors.js';
import { BreakSignal, ContinueSignal, ReturnSignal, RunContext, SUSPEND, type HostFunction, type ProgramLinks } from './runtime.js';
import type { FnPtr, Value } from './values.js';
import { freshStallBudget } from '../../model/stallClock.js';

export interface RhaiCallOptions {
  /** Date.now() milliseconds after which the run stops with RhaiTimeoutError. */
  deadline?: number;
  /** Where `print` and `debug` write. */
  print?: (text: string) => void;
  /**
   * Runs each synchronous stretch of the call (the first attempt, each replay after a host
   * Promise settles); the host bounds it in time there. Its own errors pass through untouched.
   */
  stretch?: <T>(run: () => T) => T;
  /** Milliseconds each stretch may run before the run stops with RhaiStallError (0 = no limit). */
  stallMs?: number;
}

export interface RhaiProgram {
  hasFunction(name: string): boolean;
  /** The names of the functions the script defines, in order. */
  functionNames(): string[];
  /** Calls a script function. Returns a Promise only if some host call returned one. */
  call(name: string, args: unknown[], options?: RhaiCallOptions): unknown | Promise<unknown>;
}

const NOWHERE: Pos = { line: 0, column: 0 };

const runDirectly = <T>(run: () => T): T => run();

function asRhaiError(err: unknown): unknown {
  if (err instanceof RhaiRuntimeError) return err;
  if (err instanceof RangeError && /call stack/i.test(err.message)) {
    return new RhaiRuntimeError('the script nests too deeply (JavaScript stack exhausted)');
  }
  if (err instanceof BreakSignal || err instanceof ContinueSignal || err instanceof ReturnSignal) {
    return new RhaiRuntimeError('break, continue or return escaped its function');
  }
  const wrapped = new RhaiRuntimeError(`internal error in the Rhai interpreter: ${err instanceof Error ? err.message : String(err)}`);
  wrapped.cause = err;
  return wrapped;
}

export class CompiledScript implements RhaiProgram, ProgramLinks {
  private readonly functions = new Map<string, CompiledFunction>();
  private readonly names = new Set<string>();
  private readonly globals = new Map<string, Value>();
  private readonly topLevel: CompiledFunction | undefined;
  private initialized = false;
  private lastEntry: CompiledFunction | undefined;

  constructor(
    script: Script,
    private readonly hostFunctions: Readonly<Record<string, HostFunction>> = {},
  ) {
    // Every function exists before any body compiles, so calls resolve in any order.
    const shells = script.functions.map((def) => {
      const shell: CompiledFunction = { name: def.name, arity: def.params.length, slots: 0, body: () => undefined };
      this.functions.set(`${def.name}/${def.params.length}`, shell);
      this.names.add(def.name);
      return shell;
    });
    const compiler = new Compiler({ functions: this.functions, globals: this.globals });
    script.functions.forEach((def, i) => compiler.compileFunction(def, shells[i]!));
    this.topLevel = script.statements.length > 0 ? compiler.compileTopLevel(script.statements) : undefined;
  }

  hasFunction(name: string): boolean {
    return this.names.has(name);
  }

  functionNames(): string[] {
    return [...this.names];
  }

  call(name: string, args: unknown[], options?: RhaiCallOptions): unknown {
    const fn = this.entryPoint(name, args.length);
    if (!fn) {
      const arities = [...this.functions.values()].filter((f) => f.name === name).map((f) => f.arity);
      throw new RhaiRuntimeError(
        arities.length > 0
          ? `the script's function '${name}' takes ${arities.join(' or ')} argument(s), not ${args.length}`
          : `the script defines no function '${name}'`,
      );
    }
    const deadline = options?.deadline ?? Infinity;
    const stretch = options?.stretch ?? runDirectly;
    const ctx = new RunContext(this, deadline, options?.print);
    try {
      ctx.startStretch(options?.stallMs ?? 0);
      return stretch(() => {
        if (!this.initialized) this.initialize(deadline, options?.print);
        return this.run(fn, args, ctx);
      });
    } catch (err) {
      if (err === SUSPEND) return this.resume(fn, args, ctx, stretch, options?.stallMs ?? 0);
      throw asRhaiError(err);
    }
  }

  /** The function a host calls, remembered: a host calls the same one for every request. */
  private entryPoint(name: string, arity: number): CompiledFunction | undefined {
    const last = this.lastEntry;
    if (last && last.name === name && last.arity === arity) return last;
    const fn = this.functions.get(`${name}/${arity}`);
    if (fn) this.lastEntry = fn;
    return fn;
  }

  /** Top-level statements run once, before the first call: they define `global::` constants. */
  private initialize(deadline: number, print: ((text: string) => void) | undefined): void {
    if (this.topLevel) {
      const ctx = new RunContext(this, deadline, print);
      try {
        runFrame(this.topLevel.body, newFrame(this.topLevel, [], undefined, ctx), NOWHERE);
      } catch (err) {
        if (err === SUSPEND) throw new RhaiRuntimeError('the top level of a script cannot wait for a host call');
        throw asRhaiError(err);
      }
    }
    this.initialized = true;
  }

  private run(fn: CompiledFunction, args: unknown[], ctx: RunContext): unknown {
    // Arguments are converted afresh for every attempt: a replay must start from the same values.
    const values = args.map(toRhai);
    return toJs(runFrame(fn.body, newFrame(fn, values, undefined, ctx), NOWHERE));
  }

  private async resume(fn: CompiledFunction, args: unknown[], ctx: RunContext, stretch: <T>(run: () => T) => T, stallMs: number): Promise<unknown> {
    for (;;) {
      await ctx.settlePending();
      ctx.restart();
      // Its own stretch: answers that arrive together resume several requests' scripts in one go.
      freshStallBudget();
      ctx.startStretch(stallMs);
      try {
        return stretch(() => this.run(fn, args, ctx));
      } catch (err) {
        if (err !== SUSPEND) throw asRhaiError(err);
      }
    }
  }

  // ---- links for the evaluator ----

  callFnPtr(fp: FnPtr, args: Value[], thisValue: Value, ctx: RunContext, pos: Pos): Value {
    return callFnPtr(fp, args, thisValue, ctx, pos, (name, arity) => this.functions.get(`${name}/${arity}`));
  }

  hasScriptFunction(name: string, arity: number): boolean {
    return this.functions.has(`${name}/${arity}`);
  }

  hostFunction(name: string): HostFunction | undefined {
    return Object.hasOwn(this.hostFunctions, name) ? this.hostFunctions[name] : undefined;
  }

  global(name: string, pos: Pos): Value {
    if (!this.globals.has(name)) throw new RhaiRuntimeError(`no top-level constant '${name}' (global::${name})`, pos);
    return this.globals.get(name);
  }
}
