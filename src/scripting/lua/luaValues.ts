// Moves values between JavaScript and a fengari Lua stack: integers stay integers (so `'' .. 1`
// is "1", not "1.0"), tables with keys 1..n become arrays, other tables objects.
import { isObjectLike } from '../../model/plainObject.js';
import type { FlowValue } from '../../state/flowStore.js';
import { lua, to_jsstring, to_luastring } from './fengariApi.js';

export function pushValue(L: unknown, value: unknown): void {
  if (value === undefined || value === null) lua.lua_pushnil(L);
  else if (typeof value === 'boolean') lua.lua_pushboolean(L, value);
  else if (typeof value === 'number') {
    if (Number.isSafeInteger(value)) lua.lua_pushinteger(L, value);
    else lua.lua_pushnumber(L, value);
  } else if (typeof value === 'string') lua.lua_pushstring(L, to_luastring(value));
  else if (Array.isArray(value)) {
    lua.lua_createtable(L, value.length, 0);
    value.forEach((item, i) => {
      pushValue(L, item);
      lua.lua_rawseti(L, -2, i + 1);
    });
  } else if (isObjectLike(value)) {
    const entries = Object.entries(value);
    lua.lua_createtable(L, 0, entries.length);
    for (const [key, item] of entries) {
      pushValue(L, item);
      lua.lua_setfield(L, -2, to_luastring(key));
    }
  } else lua.lua_pushnil(L);
}

/** The value at `index` as JavaScript; nil is undefined. Functions and userdata are refused. */
export function readValue(L: unknown, index: number): FlowValue | undefined {
  const type = lua.lua_type(L, index);
  return type === lua.LUA_TNIL || type === lua.LUA_TNONE ? undefined : readData(L, index, 0);
}

/** A value that is not nil (a table holds no nil keys or values). */
function readData(L: unknown, index: number, depth: number): FlowValue {
  switch (lua.lua_type(L, index)) {
    case lua.LUA_TBOOLEAN:
      return lua.lua_toboolean(L, index);
    case lua.LUA_TNUMBER:
      return lua.lua_isinteger(L, index) ? lua.lua_tointeger(L, index) : lua.lua_tonumber(L, index);
    case lua.LUA_TSTRING:
      return to_jsstring(lua.lua_tostring(L, index));
    case lua.LUA_TTABLE:
      if (depth > 32) throw new Error('table nested too deeply');
      return readTable(L, lua.lua_absindex(L, index), depth);
    default:
      throw new Error(`cannot use a Lua ${to_jsstring(lua.lua_typename(L, lua.lua_type(L, index)))} here`);
  }
}

function readTable(L: unknown, index: number, depth: number): FlowValue {
  const entries: [FlowValue, FlowValue][] = [];
  lua.lua_pushnil(L);
  while (lua.lua_next(L, index) !== 0) {
    // Copy the key before reading it: lua_tostring on a number key would confuse lua_next.
    lua.lua_pushvalue(L, -2);
    const key = readData(L, -1, depth + 1);
    lua.lua_pop(L, 1);
    entries.push([key, readData(L, -1, depth + 1)]);
    lua.lua_pop(L, 1);
  }
  const array = asArray(entries);
  if (array) return array;
  const out: Record<string, FlowValue> = {};
  for (const [k, v] of entries) out[String(k)] = v;
  return out;
}

/** A table whose keys are exactly 1..n, as an array; else undefined. */
function asArray(entries: readonly [FlowValue, FlowValue][]): FlowValue[] | undefined {
  if (entries.length === 0) return undefined;
  const out: FlowValue[] = new Array(entries.length);
  for (const [k, v] of entries) {
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > entries.length) return undefined;
    out[k - 1] = v;
  }
  return out;
}
