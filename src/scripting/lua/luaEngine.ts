// Lua scripts on fengari (Lua 5.3 in JavaScript). Each call runs `should_inject` as a coroutine:
// a flow_store call that must wait (Redis) yields, and the coroutine resumes with the answer, so
// scripts read as synchronous code. A count hook stops scripts that run past their deadline.
import type { FlowStore } from '../../state/flowStore.js';
import {
  ENTRY_POINT,
  ScriptRuntimeError,
  ScriptSyntaxError,
  ScriptTimeoutError,
  type CompiledScript,
  type ScriptCall,
  type ScriptEngine,
} from '../engine.js';
import { lauxlib, loadFengari, lua, lualib, to_jsstring, to_luastring } from './fengariApi.js';
import { pushValue, readValue } from './luaValues.js';

/** Instructions between deadline checks: cheap enough to ignore, fine enough to stop a loop in time. */
const HOOK_INSTRUCTIONS = 10_000;
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
  store: FlowStore;
  deadline: number;
  timeoutMs: number;
  /** Set by a flow_store function just before it yields; the coroutine resumes with its value. */
  pending: Promise<unknown> | undefined;
  timedOut: boolean;
}

type StoreMethod = (store: FlowStore, flowId: string, L: unknown, arg: number) => unknown;

const STORE_METHODS: Record<string, StoreMethod> = {
  get: (store, flowId, L, arg) => store.get(flowId, keyArgument(L, arg, 'get')),
  set: (store, flowId, L, arg) => store.set(flowId, keyArgument(L, arg, 'set'), readValue(L, arg + 1) as never ?? null),
  increment: (store, flowId, L, arg) => store.increment(flowId, keyArgument(L, arg, 'increment')),
  delete: (store, flowId, L, arg) => store.delete(flowId, keyArgument(L, arg, 'delete')),
  exists: (store, flowId, L, arg) => store.exists(flowId, keyArgument(L, arg, 'exists')),
  set_ttl: (store, flowId, L, arg) => store.setTtl(flowId, lauxlib.luaL_checkinteger(L, arg)),
};

export const luaEngine: ScriptEngine = {
  name: 'lua',
  compile: (source, timeoutMs) => new LuaScript(source, timeoutMs),
};

class LuaScript implements CompiledScript {
  private readonly L: unknown;
  private readonly calls = new Map<unknown, CallState>();
  private readonly functionRef: number;
  private readonly storeRef: number;

  constructor(source: string, private readonly timeoutMs: number) {
    loadFengari();
    const L = (this.L = lauxlib.luaL_newstate());
    for (const [name, open] of libraries()) {
      lauxlib.luaL_requiref(L, to_luastring(name), open, 1);
      lua.lua_pop(L, 1);
    }
    removeFields(L, null, REMOVED_GLOBALS);
    removeFields(L, 'os', REMOVED_OS);
    lua.lua_sethook(L, (thread: unknown) => this.checkDeadline(thread), lua.LUA_MASKCOUNT, HOOK_INSTRUCTIONS);

    if (lauxlib.luaL_loadbuffer(L, to_luastring(source), null, to_luastring(`=${CHUNK_NAME}`)) !== lua.LUA_OK) {
      throw syntaxError(popMessage(L), source);
    }
    // The chunk's top level runs once, here, under the same deadline as a call.
    const state = this.newState(undefined as unknown as FlowStore, Date.now() + timeoutMs);
    this.calls.set(L, state);
    const status = lua.lua_pcall(L, 0, 0, 0);
    this.calls.delete(L);
    if (status !== lua.LUA_OK) throw state.timedOut ? new ScriptTimeoutError(timeoutMs) : new ScriptRuntimeError(popMessage(L));

    lua.lua_getglobal(L, to_luastring(ENTRY_POINT));
    if (lua.lua_type(L, -1) !== lua.LUA_TFUNCTION) {
      throw new ScriptRuntimeError(`the lua script must define a function ${ENTRY_POINT}(request, flow_store)`);
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

  private resume(thread: unknown, threadRef: number, state: CallState, nargs: number): unknown | Promise<unknown> {
    const status = lua.lua_resume(thread, this.L, nargs);
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
        throw state.timedOut ? new ScriptTimeoutError(state.timeoutMs) : new ScriptRuntimeError(to_jsstring(lua.lua_tostring(thread, -1) ?? to_luastring('error')));
      }
      if (lua.lua_gettop(thread) === 0) return undefined;
      try {
        return readValue(thread, 1);
      } catch (err) {
        throw new ScriptRuntimeError(`${ENTRY_POINT} returned ${(err as Error).message}`);
      }
    } finally {
      this.finish(thread, threadRef);
    }
  }

  private finish(thread: unknown, threadRef: number): void {
    this.calls.delete(thread);
    lauxlib.luaL_unref(this.L, lua.LUA_REGISTRYINDEX, threadRef);
  }

  private newState(store: FlowStore, deadline: number): CallState {
    return { store, deadline, timeoutMs: this.timeoutMs, pending: undefined, timedOut: false };
  }

  private checkDeadline(thread: unknown): void {
    const state = this.calls.get(thread);
    if (state && Date.now() > state.deadline) {
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
    if (!state) return lauxlib.luaL_error(thread, to_luastring(`flow_store:${name} can only be called from ${ENTRY_POINT}`));
    // With `:` the first argument is the table itself (upvalue 1).
    const first = lua.lua_rawequal(thread, 1, lua.lua_upvalueindex(1)) ? 2 : 1;
    const result = method(state.store, keyArgument(thread, first, name), thread, first + 1);
    if (result instanceof Promise) {
      state.pending = result;
      return lua.lua_yield(thread, 0);
    }
    pushValue(thread, result);
    return 1;
  }
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
