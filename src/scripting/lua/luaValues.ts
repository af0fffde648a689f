// Moves values between JavaScript and a fengari Lua stack: integers stay integers (so `'' .. 1`
// is "1", not "1.0"), tables with keys 1..n become arrays, other tables objects.
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
  } else if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    lua.lua_createtable(L, 0, entries.length);
    for (const [key, item] of entries) {
      pushValue(L, item);
      lua.lua_setfield(L, -2, to_luastring(key));
    }
  } else lua.lua_pushnil(L);
}

/** The value at `index` as JavaScript; nil is undefined. Functions and userdata are refused. */
export function readValue(L: unknown, index: number, depth = 0): unknown {
  switch (lua.lua_type(L, index)) {
    case lua.LUA_TNIL:
    case lua.LUA_TNONE:
      return undefined;
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

function readTable(L: unknown, index: number, depth: number): unknown {
  const entries: [unknown, unknown][] = [];
  lua.lua_pushnil(L);
  while (lua.lua_next(L, index) !== 0) {
    // Copy the key before reading it: lua_tostring on a number key would confuse lua_next.
    lua.lua_pushvalue(L, -2);
    const key = readValue(L, -1, depth + 1);
    lua.lua_pop(L, 1);
    entries.push([key, readValue(L, -1, depth + 1)]);
    lua.lua_pop(L, 1);
  }
  const isArray = entries.length > 0 && entries.every(([k]) => typeof k === 'number' && Number.isInteger(k) && k >= 1 && k <= entries.length);
  if (isArray) {
    const out: unknown[] = new Array(entries.length);
    for (const [k, v] of entries) out[(k as number) - 1] = v;
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) out[String(k)] = v;
  return out;
}
