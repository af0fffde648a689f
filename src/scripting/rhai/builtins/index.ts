// Finds the built-in for a name and the type of its first argument. Rhai lets every function be
// called either way: `s.len()` and `len(s)` are the same call.
import { FnPtr, HostObject, RhaiChar, RhaiFloat, RhaiRange, Timestamp, type Value } from '../values.js';
import { ARRAY_METHODS } from './arrays.js';
import type { Builtin } from './callSite.js';
import { ANY_METHODS, FN_METHODS, RANGE_METHODS, TIMESTAMP_METHODS } from './globals.js';
import { MAP_METHODS } from './maps.js';
import { NUMBER_METHODS } from './numbers.js';
import { CHAR_METHODS, STRING_METHODS } from './strings.js';

export { CallSite, notFound, type Builtin } from './callSite.js';

const NONE: Record<string, Builtin> = {};

function tableFor(v: Value): Record<string, Builtin> {
  switch (typeof v) {
    case 'string':
      return STRING_METHODS;
    case 'number':
      return NUMBER_METHODS;
    case 'boolean':
    case 'undefined':
      return NONE;
  }
  if (Array.isArray(v)) return ARRAY_METHODS;
  if (v instanceof Map) return MAP_METHODS;
  if (v instanceof RhaiFloat) return NUMBER_METHODS;
  if (v instanceof RhaiChar) return CHAR_METHODS;
  if (v instanceof FnPtr) return FN_METHODS;
  if (v instanceof Timestamp) return TIMESTAMP_METHODS;
  if (v instanceof RhaiRange) return RANGE_METHODS;
  if (v instanceof HostObject) return NONE;
  return NONE;
}

const ALL_NAMES = new Set(
  [STRING_METHODS, NUMBER_METHODS, ARRAY_METHODS, MAP_METHODS, CHAR_METHODS, FN_METHODS, TIMESTAMP_METHODS, RANGE_METHODS, ANY_METHODS].flatMap((table) =>
    Object.keys(table),
  ),
);

/** Whether any built-in has this name (decided once, when a call is compiled). */
export function isBuiltinName(name: string): boolean {
  return ALL_NAMES.has(name);
}

/** The built-in for this name when its first argument is `first`. */
export function findBuiltin(name: string, first: Value): Builtin | undefined {
  const own = tableFor(first);
  return (Object.hasOwn(own, name) ? own[name] : undefined) ?? (Object.hasOwn(ANY_METHODS, name) ? ANY_METHODS[name] : undefined);
}

/** Property getters Rhai defines on built-in types (`s.len`, `ts.elapsed`, `fp.name`). */
const GETTERS = new Set(['len', 'is_empty', 'elapsed', 'name', 'is_anonymous', 'start', 'end', 'is_inclusive']);

export function findGetter(name: string, target: Value): Builtin | undefined {
  return GETTERS.has(name) ? findBuiltin(name, target) : undefined;
}
