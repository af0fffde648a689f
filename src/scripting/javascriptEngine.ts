// JavaScript scripts in a node:vm context of their own (not a security boundary: they run only
// under --allowInjection). `should_inject` may be async: flow_store calls answer values with the
// in-memory store and promises with Redis, so `await` works with both.
//
// The context runs its own microtask queue (microtaskMode 'afterEvaluate'): every piece of the
// script, also what runs after an `await`, is drained by a runInContext call carrying the
// timeout, so a loop anywhere in the script is stopped.
import vm from 'node:vm';
import { FlowStoreError, type FlowStore } from '../state/flowStore.js';
import {
  ENTRY_POINT,
  ScriptRuntimeError,
  ScriptSyntaxError,
  ScriptTimeoutError,
  type CompiledScript,
  type ScriptCall,
  type ScriptEngine,
} from './engine.js';

const FILENAME = 'script.js';
const CALL = new vm.Script(`globalThis.__standinCall()`, { filename: 'standin-call.js' });
/** Runs nothing; evaluating it drains the context's microtasks under a timeout. */
const DRAIN = new vm.Script('undefined', { filename: 'standin-drain.js' });

export const javascriptEngine: ScriptEngine = {
  name: 'javascript',
  compile: (source, timeoutMs) => new JavaScriptScript(source, timeoutMs),
};

type Thenable = { then(onValue: (v: unknown) => void, onError: (e: unknown) => void): unknown };
const isThenable = (value: unknown): value is Thenable =>
  typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';

class JavaScriptScript implements CompiledScript {
  private readonly context: vm.Context;
  private readonly entry: (...args: unknown[]) => unknown;

  constructor(source: string, private readonly timeoutMs: number) {
    let script: vm.Script;
    try {
      script = new vm.Script(source, { filename: FILENAME });
    } catch (err) {
      throw syntaxError(err);
    }
    this.context = vm.createContext({}, { microtaskMode: 'afterEvaluate', codeGeneration: { strings: false, wasm: false } });
    this.evaluate(() => script.runInContext(this.context, { timeout: timeoutMs }));
    const entry = (this.context as Record<string, unknown>)[ENTRY_POINT];
    if (typeof entry !== 'function') {
      throw new ScriptRuntimeError(`the javascript script must define a function ${ENTRY_POINT}(request, flow_store)`);
    }
    this.entry = entry as (...args: unknown[]) => unknown;
  }

  run(call: ScriptCall): unknown | Promise<unknown> {
    const remaining = (): number => Math.max(1, call.deadline - Date.now());
    const settled: Settled = { done: false };
    const store = this.storeFor(call.store, settled, remaining);
    (this.context as Record<string, unknown>).__standinCall = () => this.entry(call.request, store);
    const result = this.evaluate(() => CALL.runInContext(this.context, { timeout: remaining() }));
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

  /** flow_store for one call: a store promise, once settled, drains the script's continuation. */
  private storeFor(store: FlowStore, settled: Settled, remaining: () => number): Record<string, unknown> {
    const wrap = <A extends unknown[]>(fn: (...args: A) => unknown) => (...args: A) => {
      const result = fn(...args);
      if (!(result instanceof Promise)) return result;
      const drain = () =>
        setImmediate(() => {
          if (settled.done) return;
          try {
            this.evaluate(() => DRAIN.runInContext(this.context, { timeout: remaining() }));
          } catch (err) {
            settled.fail?.(err);
          }
        });
      result.then(drain, drain);
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

  /** Runs script code, turning vm's timeout and the script's throws into script errors. */
  private evaluate<T>(fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw new ScriptTimeoutError(this.timeoutMs);
      if (err instanceof FlowStoreError) throw err;
      throw new ScriptRuntimeError(errorMessage(err));
    }
  }
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
