// JavaScript scripts in a node:vm context of their own (not a security boundary: they run only
// under --allowInjection). `should_inject` may be async: flow_store calls answer values with the
// in-memory store and promises with Redis, so `await` works with both.
//
// The context runs its own microtask queue (microtaskMode 'afterEvaluate'): every piece of the
// script, also what runs after an `await`, is drained by a runInContext call under V8's time
// limit, so a loop anywhere in the script is stopped. Each such stretch holds the event loop,
// so it is stopped (by V8, which counts time on the clock) at the stall limit (--stallLimit, see
// model/stallClock.ts), within the run's own budget.
import vm from 'node:vm';
import { freshStallBudget } from '../model/stallClock.js';
import { isThenable } from '../model/thenable.js';
import { TimeLimitExceeded, withTimeLimit } from '../model/timeLimit.js';
import { FlowStoreError, type FlowStore } from '../state/flowStore.js';
import {
  ENTRY_POINT,
  ScriptRuntimeError,
  ScriptSyntaxError,
  ScriptTimeoutError,
  Stretch,
  type CompiledScript,
  type ScriptCall,
  type ScriptEngine,
  type ScriptLimits,
} from './engine.js';
import { RESULT_CONSTRUCTORS } from './results.js';

const FILENAME = 'script.js';
const CALL = new vm.Script(`globalThis.__standinCall()`, { filename: 'standin-call.js' });
/** Runs nothing; evaluating it drains the context's microtasks under a timeout. */
const DRAIN = new vm.Script('undefined', { filename: 'standin-drain.js' });

export const javascriptEngine: ScriptEngine = {
  name: 'javascript',
  compile: (source, limits) => new JavaScriptScript(source, limits, ENTRY_POINT, {}),
  compileCtx(source, limits, placement) {
    // Named when the script declares the function; otherwise the bare form, run as a block so its
    // `let`s are new on every run and its last expression is the answer.
    const named = new RegExp(`\\bfunction\\s*\\*?\\s*${placement}\\s*\\(|\\b(?:const|let|var)\\s+${placement}\\s*=`).test(source);
    const script = named
      ? new JavaScriptScript(source, limits, placement, RESULT_CONSTRUCTORS)
      : new JavaScriptScript(`{\n${source}\n}`, limits, null, RESULT_CONSTRUCTORS, 1);
    return { run: (call) => script.invoke(call.deadline, call.stallMs, (watch) => [call.ctx(watch)]) };
  },
};

class JavaScriptScript implements CompiledScript {
  private readonly context: vm.Context;
  /** The function each run calls, or undefined for a bare script (run whole each time). */
  private readonly entry: ((...args: unknown[]) => unknown) | undefined;
  private readonly bare: vm.Script | undefined;

  private readonly timeoutMs: number;

  constructor(source: string, limits: ScriptLimits, entryName: string | null, globals: Readonly<Record<string, unknown>>, lineShift = 0) {
    this.timeoutMs = limits.timeoutMs;
    let script: vm.Script;
    try {
      script = new vm.Script(source, { filename: FILENAME, lineOffset: -lineShift });
    } catch (err) {
      throw syntaxError(err);
    }
    this.context = vm.createContext({ ...globals }, { microtaskMode: 'afterEvaluate', codeGeneration: { strings: false, wasm: false } });
    if (entryName === null) {
      this.bare = script;
      return;
    }
    const deadline = Date.now() + limits.timeoutMs;
    freshStallBudget();
    this.evaluate(new Stretch(deadline, limits.stallMs, 'none'), () => script.runInContext(this.context));
    const entry = (this.context as Record<string, unknown>)[entryName];
    if (typeof entry !== 'function') {
      throw new ScriptRuntimeError(
        entryName === ENTRY_POINT
          ? `the javascript script must define a function ${ENTRY_POINT}(request, flow_store)`
          : `the javascript script must define a function ${entryName}(ctx), or be its body alone`,
      );
    }
    this.entry = entry as (...args: unknown[]) => unknown;
  }

  run(call: ScriptCall): unknown | Promise<unknown> {
    return this.invoke(call.deadline, call.stallMs, (watch) => [call.request, storeFor(call.store, watch)]);
  }

  /**
   * One run: the entry called with `args` (or the bare script run with `ctx` as its first). A
   * Promise the script is given is watched: once it settles, the script's continuation is drained.
   */
  invoke(deadline: number, stallMs: number, args: (watch: (pending: Promise<unknown>) => void) => unknown[]): unknown | Promise<unknown> {
    const remaining = (): number => Math.max(1, deadline - Date.now());
    const settled: Settled = { done: false };
    const watch = (pending: Promise<unknown>): void => {
      const drain = () =>
        setImmediate(() => {
          if (settled.done) return;
          // Its own stretch: waits that end together resume several requests' scripts in one go.
          freshStallBudget();
          try {
            this.evaluate(new Stretch(deadline, stallMs, 'none'), () => DRAIN.runInContext(this.context));
          } catch (err) {
            settled.fail?.(err);
          }
        });
      pending.then(drain, drain);
    };
    const argv = args(watch);
    const context = this.context as Record<string, unknown>;
    let result: unknown;
    if (this.entry) {
      const entry = this.entry;
      context.__standinCall = () => entry(...argv);
      result = this.evaluate(new Stretch(deadline, stallMs, 'none'), () => CALL.runInContext(this.context));
    } else {
      context.ctx = argv[0];
      const bare = this.bare!;
      result = this.evaluate(new Stretch(deadline, stallMs, 'none'), () => bare.runInContext(this.context));
    }
    if (!isThenable(result)) return result;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => reject(new ScriptTimeoutError(this.timeoutMs)), remaining());
      const finish = (fn: () => void) => {
        settled.done = true;
        clearTimeout(timer);
        fn();
      };
      settled.fail = (err: unknown) => finish(() => reject(err));
      result.then(
        (value) => finish(() => resolve(value)),
        (err) => finish(() => reject(err instanceof FlowStoreError ? err : new ScriptRuntimeError(errorMessage(err)))),
      );
    });
  }

  /**
   * Runs script code as one stretch under V8's interrupt (time on the clock: V8 cannot count a
   * script's CPU time), turning a stop and the script's throws into script errors.
   */
  private evaluate<T>(stretch: Stretch, fn: () => T): T {
    const wall = stretch.wallLimitMs();
    try {
      return wall === Infinity ? fn() : withTimeLimit(fn, wall);
    } catch (err) {
      if (err instanceof TimeLimitExceeded) throw stretch.timeout(this.timeoutMs);
      if (err instanceof FlowStoreError) throw err;
      throw new ScriptRuntimeError(errorMessage(err));
    }
  }
}

/** flow_store for one call: a store Promise is watched, so the script's continuation is drained. */
function storeFor(store: FlowStore, watch: (pending: Promise<unknown>) => void): Record<string, unknown> {
  const wrap =
    <A extends unknown[]>(fn: (...args: A) => unknown) =>
    (...args: A) => {
      const result = fn(...args);
      if (result instanceof Promise) watch(result);
      return result;
    };
  return {
    get: wrap((flowId: unknown, key: unknown) => store.get(String(flowId), String(key))),
    set: wrap((flowId: unknown, key: unknown, value: unknown) => store.set(String(flowId), String(key), (value ?? null) as never)),
    increment: wrap((flowId: unknown, key: unknown) => store.increment(String(flowId), String(key))),
    delete: wrap((flowId: unknown, key: unknown) => store.delete(String(flowId), String(key))),
    exists: wrap((flowId: unknown, key: unknown) => store.exists(String(flowId), String(key))),
    set_ttl: wrap((flowId: unknown, seconds: unknown) => store.setTtl(String(flowId), Number(seconds))),
  };
}

interface Settled {
  done: boolean;
  fail?: (err: unknown) => void;
}

function errorMessage(err: unknown): string {
  if (err instanceof Error || (typeof err === 'object' && err !== null && 'message' in err)) {
    const e = err as { name?: string; message: string };
    return `${e.name ?? 'Error'}: ${e.message}`;
  }
  return String(err);
}

/** V8 puts `script.js:LINE` on the stack's first line and a caret under the column. */
function syntaxError(err: unknown): ScriptSyntaxError {
  const stack = String((err as Error).stack ?? err);
  const lines = stack.split('\n');
  const line = Number(/script\.js:(\d+)/.exec(lines[0] ?? '')?.[1] ?? 1);
  const caret = lines[2]?.indexOf('^') ?? -1;
  const column = caret >= 0 ? caret + 1 : 1;
  return new ScriptSyntaxError(`javascript syntax error at line ${line}, column ${column}: ${(err as Error).message}`, line, column);
}
