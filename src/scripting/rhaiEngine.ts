// Rhai scripts on standin's own interpreter (src/scripting/rhai/, docs/rhai.md). A flow_store
// call that answers a Promise (Redis) suspends the run; the interpreter resumes it. The
// interpreter checks, between steps, the run's deadline and the CPU time the synchronous stretch
// has used (--stallLimit); V8's own interrupt backs that up for work no step count sees (a
// built-in method on a huge string).
import { isObjectLike } from '../model/plainObject.js';
import { FlowStoreError, type FlowStore, type FlowValue } from '../state/flowStore.js';
import {
  ENTRY_POINT,
  ScriptRuntimeError,
  ScriptSyntaxError,
  ScriptTimeoutError,
  Stretch,
  runStretch,
  missingEntry,
  type CompiledScript,
  type CtxCall,
  type CtxScript,
  type ScriptCall,
  type ScriptEngine,
  type ScriptLimits,
} from './engine.js';
import { RESULT_CONSTRUCTORS } from './results.js';
import { compileRhai, RhaiStallError, RhaiSyntaxError, RhaiTimeoutError, type RhaiCallOptions, type RhaiProgram } from './rhai/index.js';

/** The function a bare `ctx` script becomes (a name no script would choose, unlike `delay`). */
const BARE_ENTRY = 'standin_bare_entry';

export const rhaiEngine: ScriptEngine = {
  name: 'rhai',
  compile(source, limits) {
    const program = parse(source);
    if (!program.hasFunction(ENTRY_POINT)) {
      throw new ScriptRuntimeError(`the rhai script must define a function ${ENTRY_POINT}(request, flow_store)`);
    }
    return new RhaiScript(program, limits);
  },

  compileCtx(source, limits, placement) {
    const program = parse(source, RESULT_CONSTRUCTORS);
    if (program.hasFunction(placement)) return new RhaiCtxScript(program, placement, limits);
    const declared = program.functionNames();
    if (declared.length > 0) throw missingEntry('rhai', placement, declared);
    // The bare form: the script is the body of the function, `ctx` its parameter. On the same
    // line, so lines keep their numbers (columns of the first line move by the prefix).
    const prefix = `fn ${BARE_ENTRY}(ctx) { `;
    return new RhaiCtxScript(parse(`${prefix}${source}\n}`, RESULT_CONSTRUCTORS, prefix.length), BARE_ENTRY, limits);
  },
};

function parse(source: string, hostFunctions?: Readonly<Record<string, (...args: unknown[]) => unknown>>, firstLineShift = 0): RhaiProgram {
  try {
    return compileRhai(source, hostFunctions);
  } catch (err) {
    if (!(err instanceof RhaiSyntaxError)) throw err;
    const column = err.line === 1 ? Math.max(1, err.column - firstLineShift) : err.column;
    throw new ScriptSyntaxError(`rhai syntax error at line ${err.line}, column ${column}: ${err.reason}`, err.line, column);
  }
}

/** One run's options: its deadline, and each synchronous stretch bounded by the stall limit. */
function callOptions(deadline: number, stallMs: number, timeoutMs: number): RhaiCallOptions {
  // The interpreter stops its own loops once the stall limit's CPU time is used; V8's
  // interrupt backs it up, later, for work no step check sees (a built-in on a huge string).
  const stretch = <T>(run: () => T): T => {
    try {
      return runStretch(new Stretch(deadline, stallMs, 'engine'), timeoutMs, run);
    } catch (err) {
      // Carried through the interpreter, which passes its own errors on untouched.
      if (err instanceof ScriptTimeoutError) throw Object.assign(new RhaiStallError(err.message), { hostError: err });
      throw err;
    }
  };
  return { deadline, stretch: stallMs > 0 ? stretch : undefined, stallMs };
}

class RhaiCtxScript implements CtxScript {
  constructor(
    private readonly program: RhaiProgram,
    private readonly entry: string,
    private readonly limits: ScriptLimits,
  ) {}

  run(call: CtxCall): unknown | Promise<unknown> {
    let result: unknown;
    try {
      result = this.program.call(this.entry, [call.ctx()], callOptions(call.deadline, call.stallMs, this.limits.timeoutMs));
    } catch (err) {
      throw scriptError(err, this.limits);
    }
    return result instanceof Promise ? result.catch((err: unknown) => Promise.reject(scriptError(err, this.limits))) : result;
  }
}

class RhaiScript implements CompiledScript {
  constructor(
    private readonly program: RhaiProgram,
    private readonly limits: ScriptLimits,
  ) {}

  run(call: ScriptCall): unknown | Promise<unknown> {
    let result: unknown;
    try {
      result = this.program.call(ENTRY_POINT, [call.request, storeObject(call.store)], callOptions(call.deadline, call.stallMs, this.limits.timeoutMs));
    } catch (err) {
      throw scriptError(err, this.limits);
    }
    return result instanceof Promise ? result.catch((err: unknown) => Promise.reject(scriptError(err, this.limits))) : result;
  }
}

function scriptError(err: unknown, limits: ScriptLimits): Error {
  const cause = isObjectLike(err) ? err.cause : undefined;
  if (err instanceof FlowStoreError) return err;
  if (cause instanceof FlowStoreError) return cause;
  if (err instanceof RhaiStallError) return err.hostError ?? new ScriptTimeoutError(limits.stallMs, true);
  if (err instanceof RhaiTimeoutError) return new ScriptTimeoutError(limits.timeoutMs);
  return new ScriptRuntimeError(err instanceof Error ? err.message : String(err));
}

/** `flow_store` as a host object: `flow_store.increment(id, key)` calls these. */
function storeObject(store: FlowStore): Record<string, (...args: unknown[]) => unknown> {
  return {
    get: (flowId, key) => store.get(String(flowId), String(key)),
    set: (flowId, key, value) => store.set(String(flowId), String(key), (value ?? null) as FlowValue), // kept as given (see FlowState.set)
    increment: (flowId, key) => store.increment(String(flowId), String(key)),
    delete: (flowId, key) => store.delete(String(flowId), String(key)),
    exists: (flowId, key) => store.exists(String(flowId), String(key)),
    set_ttl: (flowId, seconds) => store.setTtl(String(flowId), Number(seconds)),
  };
}
