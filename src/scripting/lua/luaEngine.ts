// Lua scripts on fengari (Lua 5.3 in JavaScript). Each call runs `should_inject` as a coroutine:
// a flow_store call that must wait (Redis) yields, and the coroutine resumes with the answer, so
// scripts read as synchronous code. A count hook stops scripts that run past their deadline.
// The hook also ends each synchronous stretch once it has used the stall limit in CPU time
// (--stallLimit), cleanly. It only sees Lua instructions, not fengari's library code (a pattern
// match that backtracks, string.rep building megabytes byte by byte), so each stretch also runs
// under V8's own interrupt, which counts time on the clock and waits a little longer (stallClock.ts).
// An interrupted call leaves only its own coroutine half-changed, and that is dropped.
import { errorMessage } from '../../model/caughtError.js';
import { isObjectLike } from '../../model/plainObject.js';
import { freshStallBudget } from '../../model/stallClock.js';
import type { FlowStore } from '../../state/flowStore.js';
import {
  ENTRY_POINT,
  ScriptRuntimeError,
  ScriptSyntaxError,
  ScriptTimeoutError,
  Stretch,
  runStretch,
  type CompiledScript,
  missingEntry,
  type CtxCall,
  type ScriptCall,
  type ScriptEngine,
  type ScriptLimits,
} from '../engine.js';
import { lauxlib, loadFengari, lua, lualib, to_jsstring, to_luastring } from './fengariApi.js';
import { pushValue, readValue } from './luaValues.js';
import { LUA_PRELUDE } from './luaPrelude.js';
import { delay, http, pass, reset } from '../results.js';
import { callFlowMethod } from '../scriptContext.js';

/** Instructions between deadline checks: cheap enough to ignore, fine enough to stop a loop in time. */
const HOOK_INSTRUCTIONS = 1_000;
const CHUNK_NAME = 'script';

/** Standard libraries scripts get; io, package (require) and debug (sethook) stay out. */
const libraries = (): [string, unknown][] => [
  ['_G', lualib.luaopen_base],
  [lualib.LUA_COLIBNAME, lualib.luaopen_coroutine],
  [lualib.LUA_TABLIBNAME, lualib.luaopen_table],
  [lualib.LUA_STRLIBNAME, lualib.luaopen_string],
  [lualib.LUA_MATHLIBNAME, lualib.luaopen_math],
  [lualib.LUA_UTF8LIBNAME, lualib.luaopen_utf8],
  [lualib.LUA_OSLIBNAME, lualib.luaopen_os],
];
const REMOVED_GLOBALS = ['dofile', 'loadfile'];
const REMOVED_OS = ['execute', 'exit', 'getenv', 'remove', 'rename', 'tmpname'];

interface CallState {
  /** flow_store's store: only for a `should_inject` call (a ctx script reaches state through ctx). */
  store?: FlowStore;
  /** The run's ctx (Rift's script API): standin_call reaches its state handles. */
  ctx?: Record<string, unknown>;
  deadline: number;
  timeoutMs: number;
  /** Set by a flow_store function just before it yields; the coroutine resumes with its value. */
  pending: Promise<unknown> | undefined;
  timedOut: boolean;
  /** The current synchronous stretch (it ends at the deadline or the stall limit). */
  stretch: Stretch;
}

type StoreMethod = (store: FlowStore, flowId: string, L: unknown, arg: number) => unknown;

const STORE_METHODS: Record<string, StoreMethod> = {
  get: (store, flowId, L, arg) => store.get(flowId, keyArgument(L, arg, 'get')),
  set: (store, flowId, L, arg) => store.set(flowId, keyArgument(L, arg, 'set'), readValue(L, arg + 1) ?? null),
  increment: (store, flowId, L, arg) => store.increment(flowId, keyArgument(L, arg, 'increment')),
  delete: (store, flowId, L, arg) => store.delete(flowId, keyArgument(L, arg, 'delete')),
  exists: (store, flowId, L, arg) => store.exists(flowId, keyArgument(L, arg, 'exists')),
  set_ttl: (store, flowId, L, arg) => store.setTtl(flowId, lauxlib.luaL_checkinteger(L, arg)),
};

export const luaEngine: ScriptEngine = {
  name: 'lua',
  compile: (source, limits) => new LuaState(source, limits),
  compileCtx(source, limits, placement) {
    // Named when the script defines the function; else the bare form, the body of one (same line: lines keep their numbers).
    const named = new RegExp(`\\bfunction\\s+${placement}\\s*\\(`).test(source);
    const declared = [...source.matchAll(/\bfunction\s+([\w.:]+)\s*\(/g)].map((m) => m[1]!);
    if (!named && declared.length > 0) throw missingEntry('lua', placement, declared);
    const script = named ? new LuaState(source, limits, placement) : new LuaState(`function ${BARE_ENTRY}(ctx) ${source}\nend`, limits, BARE_ENTRY, source);
    return { run: (call) => script.runCtx(call) };
  },
};

/** The function a bare ctx script becomes. */
const BARE_ENTRY = 'standin_bare_entry';

/** A compiled script: one Lua state; each call runs in a coroutine of its own. */
class LuaState implements CompiledScript {
  private readonly timeoutMs: number;
  private readonly L: unknown;
  private readonly calls = new Map<unknown, CallState>();
  private readonly functionRef: number;
  private readonly storeRef: number;

  constructor(
    source: string,
    private readonly limits: ScriptLimits,
    private readonly entry: string = ENTRY_POINT,
    /** The script as written, when `source` wraps it (the bare form): syntax errors point into it. */
    written: string = source,
  ) {
    const timeoutMs = (this.timeoutMs = limits.timeoutMs);
    loadFengari();
    const L = (this.L = lauxlib.luaL_newstate());
    for (const [name, open] of libraries()) {
      lauxlib.luaL_requiref(L, to_luastring(name), open, 1);
      lua.lua_pop(L, 1);
    }
    removeFields(L, null, REMOVED_GLOBALS);
    removeFields(L, 'os', REMOVED_OS);
    lua.lua_sethook(L, (thread: unknown) => this.checkDeadline(thread), lua.LUA_MASKCOUNT, HOOK_INSTRUCTIONS);
    if (this.entry !== ENTRY_POINT) this.loadPrelude();

    if (lauxlib.luaL_loadbuffer(L, to_luastring(source), null, to_luastring(`=${CHUNK_NAME}`)) !== lua.LUA_OK) {
      throw syntaxError(popMessage(L), written);
    }
    // The chunk's top level runs once, here, under the same deadline as a call.
    const state = this.newState(undefined, Date.now() + timeoutMs);
    this.calls.set(L, state);
    freshStallBudget();
    state.stretch = new Stretch(state.deadline, limits.stallMs, 'stretch');
    const status = runStretch(state.stretch, timeoutMs, () => lua.lua_pcall(L, 0, 0, 0));
    this.calls.delete(L);
    if (status !== lua.LUA_OK) {
      throw state.timedOut ? state.stretch.timeout(timeoutMs) : new ScriptRuntimeError(popMessage(L));
    }

    lua.lua_getglobal(L, to_luastring(this.entry));
    if (lua.lua_type(L, -1) !== lua.LUA_TFUNCTION) {
      throw new ScriptRuntimeError(
        this.entry === ENTRY_POINT
          ? `the lua script must define a function ${ENTRY_POINT}(request, flow_store)`
          : `the lua script must define a function ${this.entry}(ctx), or be its body alone`,
      );
    }
    this.functionRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    this.storeRef = this.createStoreTable();
  }

  run(call: ScriptCall): unknown | Promise<unknown> {
    const L = this.L;
    const thread = lua.lua_newthread(L);
    // Anchored in the registry (not on the main stack): concurrent calls finish in any order.
    const threadRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    const state = this.newState(call.store, call.deadline);
    this.calls.set(thread, state);
    lua.lua_rawgeti(thread, lua.LUA_REGISTRYINDEX, this.functionRef);
    pushValue(thread, call.request);
    lua.lua_rawgeti(thread, lua.LUA_REGISTRYINDEX, this.storeRef);
    return this.resume(thread, threadRef, state, 2);
  }

  /** One run of Rift's script API: ctx built in Lua from the request's data, the result read back as a result constructor. */
  runCtx(call: CtxCall): unknown | Promise<unknown> {
    const L = this.L;
    const thread = lua.lua_newthread(L);
    const threadRef = lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
    const state = this.newState(undefined, call.deadline);
    const ctx = call.ctx();
    state.ctx = ctx;
    this.calls.set(thread, state);
    lua.lua_rawgeti(thread, lua.LUA_REGISTRYINDEX, this.functionRef);
    lua.lua_getglobal(thread, to_luastring('standin_ctx'));
    pushValue(thread, ctxData(ctx));
    lua.lua_call(thread, 1, 1);
    const result = this.resume(thread, threadRef, state, 1);
    return result instanceof Promise ? result.then(toResult) : toResult(result);
  }

  /** standin_call and standin_log, then the Lua half of the API (luaPrelude.ts). */
  private loadPrelude(): void {
    const L = this.L;
    lua.lua_pushcfunction(L, (thread: unknown) => this.callCtx(thread));
    lua.lua_setglobal(L, to_luastring('standin_call'));
    lua.lua_pushcfunction(L, (thread: unknown) => this.logCtx(thread));
    lua.lua_setglobal(L, to_luastring('standin_log'));
    if (lauxlib.luaL_loadbuffer(L, to_luastring(LUA_PRELUDE), null, to_luastring('=prelude')) !== lua.LUA_OK || lua.lua_pcall(L, 0, 0, 0) !== lua.LUA_OK) {
      throw new Error(`standin's Lua prelude failed: ${popMessage(L)}`);
    }
  }

  /** standin_call(flow, method, ...): flow false is the request's own (ctx.state). */
  private callCtx(thread: unknown): number {
    const state = this.calls.get(thread);
    if (!state?.ctx) return lauxlib.luaL_error(thread, to_luastring('ctx.state can only be used while the script runs'));
    const own = lua.lua_type(thread, 1) === lua.LUA_TBOOLEAN;
    const method = to_jsstring(lua.lua_tostring(thread, 2));
    const args: unknown[] = [];
    for (let i = 3; i <= lua.lua_gettop(thread); i++) args.push(readValue(thread, i));
    let result: unknown;
    try {
      result = callFlowMethod(state.ctx, own ? undefined : to_jsstring(lua.lua_tostring(thread, 1)), method, args);
    } catch (err) {
      return lauxlib.luaL_error(thread, to_luastring(`ctx.state.${method}: ${errorMessage(err)}`));
    }
    if (result instanceof Promise) {
      state.pending = result;
      return lua.lua_yield(thread, 0);
    }
    pushValue(thread, result);
    return 1;
  }

  private logCtx(thread: unknown): number {
    const state = this.calls.get(thread);
    const level: string = to_jsstring(lua.lua_tostring(thread, 1));
    const logger = state?.ctx?.logger;
    const log = isObjectLike(logger) ? logger[level] : undefined;
    if (typeof log === 'function') log.call(logger, to_jsstring(lua.lua_tostring(thread, 2) ?? to_luastring('')));
    return 0;
  }

  private resume(thread: unknown, threadRef: number, state: CallState, nargs: number): unknown | Promise<unknown> {
    let status: number;
    try {
      state.stretch = new Stretch(state.deadline, this.limits.stallMs, 'stretch');
      status = runStretch(state.stretch, this.timeoutMs, () => lua.lua_resume(thread, this.L, nargs));
    } catch (err) {
      // Interrupted inside the coroutine: only that thread is half-changed, and it is dropped.
      this.finish(thread, threadRef);
      throw err;
    }
    if (status === lua.LUA_YIELD && state.pending) {
      const pending = state.pending;
      state.pending = undefined;
      return pending.then(
        (value) => {
          if (Date.now() > state.deadline) {
            this.finish(thread, threadRef);
            throw new ScriptTimeoutError(state.timeoutMs);
          }
          pushValue(thread, value);
          // Its own stretch: answers that arrive together resume several requests' scripts in one go.
          freshStallBudget();
          return this.resume(thread, threadRef, state, 1);
        },
        (err: unknown) => {
          this.finish(thread, threadRef);
          throw err;
        },
      );
    }
    try {
      if (status === lua.LUA_YIELD) throw new ScriptRuntimeError(`${ENTRY_POINT} yielded outside a flow_store call`);
      if (status !== lua.LUA_OK) {
        throw state.timedOut
          ? state.stretch.timeout(state.timeoutMs)
          : new ScriptRuntimeError(to_jsstring(lua.lua_tostring(thread, -1) ?? to_luastring('error')));
      }
      if (lua.lua_gettop(thread) === 0) return undefined;
      try {
        return readValue(thread, 1);
      } catch (err) {
        throw new ScriptRuntimeError(`${ENTRY_POINT} returned ${errorMessage(err)}`);
      }
    } finally {
      this.finish(thread, threadRef);
    }
  }

  private finish(thread: unknown, threadRef: number): void {
    this.calls.delete(thread);
    lauxlib.luaL_unref(this.L, lua.LUA_REGISTRYINDEX, threadRef);
  }

  private newState(store: FlowStore | undefined, deadline: number): CallState {
    return { store, deadline, timeoutMs: this.timeoutMs, pending: undefined, timedOut: false, stretch: new Stretch(deadline, 0, 'stretch') };
  }

  private checkDeadline(thread: unknown): void {
    const state = this.calls.get(thread);
    if (state && state.stretch.over()) {
      state.timedOut = true;
      lauxlib.luaL_error(thread, to_luastring('script timed out'));
    }
  }

  /** `flow_store`: a table of functions, called with `:` (the table first) or with `.`. */
  private createStoreTable(): number {
    const L = this.L;
    lua.lua_createtable(L, 0, Object.keys(STORE_METHODS).length);
    const table = lua.lua_absindex(L, -1);
    for (const [name, method] of Object.entries(STORE_METHODS)) {
      lua.lua_pushvalue(L, table);
      lua.lua_pushcclosure(L, (thread: unknown) => this.callStore(thread, name, method), 1);
      lua.lua_setfield(L, table, to_luastring(name));
    }
    return lauxlib.luaL_ref(L, lua.LUA_REGISTRYINDEX);
  }

  private callStore(thread: unknown, name: string, method: StoreMethod): number {
    const state = this.calls.get(thread);
    const store = state?.store;
    if (!state || !store) return lauxlib.luaL_error(thread, to_luastring(`flow_store:${name} can only be called from ${ENTRY_POINT}`));
    // With `:` the first argument is the table itself (upvalue 1).
    const first = lua.lua_rawequal(thread, 1, lua.lua_upvalueindex(1)) ? 2 : 1;
    const result = method(store, keyArgument(thread, first, name), thread, first + 1);
    if (result instanceof Promise) {
      state.pending = result;
      return lua.lua_yield(thread, 0);
    }
    pushValue(thread, result);
    return 1;
  }
}

/** What Lua's ctx is built from: the request's fields as data (its json parsed now). */
function ctxData(ctx: Record<string, unknown>): Record<string, unknown> {
  const message = (m: unknown) =>
    isObjectLike(m)
      ? { method: m.method, path: m.path, pathParams: m.pathParams, query: m.query, status: m.status, headers: m.headers, body: m.body, json: m.json }
      : undefined;
  return {
    request: message(ctx.request),
    response: message(ctx.response),
    flowId: ctx.flowId,
    stub: ctx.stub,
  };
}

/** A Lua result table as the result constructor it stands for. */
function toResult(value: unknown): unknown {
  if (!isObjectLike(value) || !('standin_result' in value)) return value;
  switch (value.standin_result) {
    case 'http': {
      let out = http(value.status, value.body);
      const headers: unknown[] = Array.isArray(value.headers) ? value.headers : [];
      for (const pair of headers) out = out.header(itemOf(pair, 0), itemOf(pair, 1));
      return out;
    }
    case 'delay':
      return delay(value.ms);
    case 'reset':
      return reset();
    default:
      return pass();
  }
}

/** `pair[i]` of a header pair (the prelude's `{ name, value }`), read as JavaScript would read it. */
function itemOf(pair: unknown, i: number): unknown {
  if (typeof pair === 'string') return pair[i];
  return isObjectLike(pair) ? pair[i] : undefined;
}

function keyArgument(L: unknown, index: number, method: string): string {
  const type = lua.lua_type(L, index);
  if (type !== lua.LUA_TSTRING && type !== lua.LUA_TNUMBER) {
    return lauxlib.luaL_error(L, to_luastring(`flow_store:${method}: argument ${index} must be a string`));
  }
  return to_jsstring(lua.lua_tostring(L, index));
}

function removeFields(L: unknown, table: string | null, names: string[]): void {
  if (table === null) lua.lua_pushglobaltable(L);
  else lua.lua_getglobal(L, to_luastring(table));
  for (const name of names) {
    lua.lua_pushnil(L);
    lua.lua_setfield(L, -2, to_luastring(name));
  }
  lua.lua_pop(L, 1);
}

function popMessage(L: unknown): string {
  const message = to_jsstring(lua.lua_tostring(L, -1) ?? to_luastring('error'));
  lua.lua_pop(L, 1);
  return message;
}

/** Lua reports `script:LINE: message near 'TOKEN'`; the column is where TOKEN sits on that line. */
function syntaxError(message: string, source: string): ScriptSyntaxError {
  const match = /^script:(\d+): (.*)$/s.exec(message);
  const line = match ? Number(match[1]) : 1;
  const text = match ? match[2]! : message;
  const lineText = source.split('\n')[line - 1] ?? '';
  const near = /near '([^']*)'/.exec(text)?.[1];
  let column = 1;
  if (near !== undefined && lineText.includes(near)) column = lineText.indexOf(near) + 1;
  else if (/near <eof>/.test(text)) column = lineText.length + 1;
  return new ScriptSyntaxError(`lua syntax error at line ${line}, column ${column}: ${text}`, line, column);
}
