// mountebank's value normalization (predicates.js `normalize`, `tryJSON`, `forceStrings`), split
// so that the expected side runs once at compile time and the actual side once per request view.
// String values: base64-decode (binary mode), lower-case (unless caseSensitive), strip `except`.
// Object keys: lower-cased unless caseSensitive. Built objects have no prototype, so request data
// such as a `__proto__` JSON key stays plain data.
import { parseClientJson } from '../model/jsonDepth.js';
import { isObjectLike, isPlainObject } from '../model/plainObject.js';
import { canonical } from './canonical.js';
import type { UserRegex } from './userRegex.js';

/** How strings and keys are transformed on one side of a predicate. */
export interface TextSpec {
  readonly lowerKeys: boolean;
  readonly lowerValues: boolean;
  /** Compiled `except` pattern (flags `gi`, or `g` when case-sensitive); null when absent. */
  readonly except: UserRegex | null;
  readonly binary: boolean;
}

export type PlainObject = Record<string, unknown>;

export function newObject(): PlainObject {
  return Object.create(null) as PlainObject;
}

/** decode (binary) → lower-case → strip except, mountebank's order for normalize(). */
export function transformText(text: string, spec: TextSpec): string {
  let result = spec.binary ? Buffer.from(text, 'base64').toString() : text;
  if (spec.lowerValues) result = result.toLowerCase();
  if (spec.except !== null) result = result.replace(spec.except, '');
  return result;
}

/** lower-case → strip except: the value transform tryJSON applies inside parsed JSON. */
export function transformJsonText(text: string, spec: TextSpec): string {
  const lowered = spec.lowerValues ? text.toLowerCase() : text;
  return spec.except === null ? lowered : lowered.replace(spec.except, '');
}

const hasUpperCaseKey = (record: PlainObject): boolean => {
  for (const key of Object.keys(record)) if (key !== key.toLowerCase()) return true;
  return false;
};

/**
 * lower-case → strip except over every string (and key) of a JSON value that was just built (by
 * JSON.parse or forceStrings) and is not shared yet: it is transformed in place, which saves
 * copying every object of a body per request. An object whose keys change case is rebuilt (keys
 * keep their order; of keys equal but for case the last wins, as in mountebank).
 */
export function transformFreshJson(value: unknown, spec: TextSpec): unknown {
  if (typeof value === 'string') return transformJsonText(value, spec);
  if (!isObjectLike(value)) return value;
  if (!spec.lowerValues && spec.except === null && !spec.lowerKeys) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = transformFreshJson(value[i], spec);
    return value;
  }
  if (spec.lowerKeys && hasUpperCaseKey(value)) {
    const result = newObject();
    for (const key of Object.keys(value)) result[key.toLowerCase()] = transformFreshJson(value[key], spec);
    return result;
  }
  for (const key of Object.keys(value)) {
    const transformed = transformFreshJson(value[key], spec);
    // An own `__proto__` key (JSON.parse makes one) is data: define it rather than assign.
    if (key === '__proto__') Object.defineProperty(value, key, { value: transformed, enumerable: true, writable: true, configurable: true });
    else value[key] = transformed;
  }
  return value;
}

/**
 * mountebank's tryJSON: parse a string as JSON and apply the key/value transforms (arrays are not
 * sorted, so indexed jsonpath selectors keep working); anything unparseable comes back unchanged.
 */
export function tryJSON(text: string, spec: TextSpec): unknown {
  try {
    return transformFreshJson(parseClientJson(text), spec);
  } catch {
    // Not JSON, or nested deeper than standin reads JSON (see parseClientJson): either way, plain text.
    return text;
  }
}

/** mountebank's forceStrings (deepEquals): null → "null", numbers/booleans → their strings. */
export function forceStrings(value: unknown): unknown {
  if (value === null) return 'null';
  if (value === undefined || typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(forceStrings);
  if (isObjectLike(value)) return forceStringsObject(value);
  return scalarString(value);
}

/** forceStrings of a value that is neither an object, a string nor undefined. */
export function scalarString(value: unknown): string {
  return value === null ? 'null' : String(value);
}

/** forceStrings of an object: a new object (without prototype) of its values' strings. */
export function forceStringsObject(value: PlainObject): PlainObject {
  const result = newObject();
  for (const key of Object.keys(value)) result[key] = forceStrings(value[key]);
  return result;
}

/**
 * What `<` sees of a value: objects convert the way mountebank's plain objects and arrays do; null
 * and undefined are compared as the numbers `<` turns them into (0 and NaN).
 */
function comparable(value: unknown): string | number | bigint | boolean {
  if (value === null) return 0;
  if (value === undefined) return Number.NaN;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return value;
  if (!isObjectLike(value)) return String(value);
  return Array.isArray(value) ? value.map((element) => (isObjectLike(element) ? comparable(element) : element)).join(',') : '[object Object]';
}

/** mountebank's sortObjects comparator (used for expected arrays, which it sorts). */
export function compareLikeMountebank(a: unknown, b: unknown): number {
  if (isObjectLike(a) && isObjectLike(b)) return compareLikeMountebank(canonical(a), canonical(b));
  return comparable(a) < comparable(b) ? -1 : 1;
}

/**
 * The expected side of a predicate, normalized once at compile time: keys and strings transformed
 * and arrays sorted like mountebank's normalize().
 */
export function normalizeExpected(value: unknown, spec: TextSpec): unknown {
  if (typeof value === 'string') return transformText(value, spec);
  if (Array.isArray(value)) return value.map((element) => normalizeExpected(element, spec)).sort(compareLikeMountebank);
  return isPlainObject(value) ? normalizeExpectedObject(value, spec) : value;
}

/** normalizeExpected of an object (a predicate's fields): always an object. */
export function normalizeExpectedObject(value: PlainObject, spec: TextSpec): PlainObject {
  const result = newObject();
  for (const key of Object.keys(value)) result[spec.lowerKeys ? key.toLowerCase() : key] = normalizeExpected(value[key], spec);
  return result;
}
