// Rhai scripts on standin's own interpreter (src/scripting/rhai/, docs/rhai.md). A flow_store
// call that answers a Promise (Redis) suspends the run; the interpreter resumes it.
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
import { compileRhai, RhaiSyntaxError, RhaiTimeoutError, type RhaiProgram } from './rhai/index.js';

export const rhaiEngine: ScriptEngine = {
  name: 'rhai',
  compile(source, timeoutMs) {
    let program: RhaiProgram;
    try {
      program = compileRhai(source);
    } catch (err) {
      if (!(err instanceof RhaiSyntaxError)) throw err;
      throw new ScriptSyntaxError(`rhai syntax error at line ${err.line}, column ${err.column}: ${err.reason}`, err.line, err.column);
    }
    if (!program.hasFunction(ENTRY_POINT)) {
      throw new ScriptRuntimeError(`the rhai script must define a function ${ENTRY_POINT}(request, flow_store)`);
    }
    return new RhaiScript(program, timeoutMs);
  },
};

class RhaiScript implements CompiledScript {
  constructor(
    private readonly program: RhaiProgram,
    private readonly timeoutMs: number,
  ) {}

  run(call: ScriptCall): unknown | Promise<unknown> {
    let result: unknown;
    try {
      result = this.program.call(ENTRY_POINT, [call.request, storeObject(call.store)], { deadline: call.deadline });
    } catch (err) {
      throw this.scriptError(err);
    }
    return result instanceof Promise ? result.catch((err: unknown) => Promise.reject(this.scriptError(err))) : result;
  }

  private scriptError(err: unknown): Error {
    const cause = (err as { cause?: unknown }).cause;
    if (err instanceof FlowStoreError) return err;
    if (cause instanceof FlowStoreError) return cause;
    if (err instanceof RhaiTimeoutError) return new ScriptTimeoutError(this.timeoutMs);
    return new ScriptRuntimeError(err instanceof Error ? err.message : String(err));
  }
}

/** `flow_store` as a host object: `flow_store.increment(id, key)` calls these. */
function storeObject(store: FlowStore): Record<string, (...args: unknown[]) => unknown> {
  return {
    get: (flowId, key) => store.get(String(flowId), String(key)),
    set: (flowId, key, value) => store.set(String(flowId), String(key), (value ?? null) as never),
    increment: (flowId, key) => store.increment(String(flowId), String(key)),
    delete: (flowId, key) => store.delete(String(flowId), String(key)),
    exists: (flowId, key) => store.exists(String(flowId), String(key)),
    set_ttl: (flowId, seconds) => store.setTtl(String(flowId), Number(seconds)),
  };
}
