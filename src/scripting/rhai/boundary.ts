// Values crossing between JavaScript and Rhai: plain objects become object maps, objects with
// methods (or class instances) become host objects, integers stay integers.
import { isObjectLike } from '../../model/plainObject.js';
import { LazyMap } from './lazyMap.js';
import { debugText, FnPtr, HostObject, RhaiChar, RhaiFloat, RhaiRange, Timestamp, type RhaiMap, type Value } from './values.js';

export function toRhai(js: unknown): Value {
  switch (typeof js) {
    case 'undefined':
      return undefined;
    case 'number':
      return Number.isSafeInteger(js) ? js + 0 : new RhaiFloat(js); // + 0 turns -0 into 0
    case 'string':
    case 'boolean':
      return js;
    case 'bigint':
      return Number.isSafeInteger(Number(js)) ? Number(js) : new RhaiFloat(Number(js));
    case 'function':
      return new HostObject(js);
    case 'symbol':
      return js.toString();
  }
  if (!isObjectLike(js)) return undefined; // null: every other typeof was answered above
  if (Array.isArray(js)) return js.map(toRhai);
  if (js instanceof Map) {
    const out: RhaiMap = new Map();
    for (const [k, v] of js) out.set(String(k), toRhai(v));
    return out;
  }
  if (js instanceof Date) return js.toISOString();
  const proto = Object.getPrototypeOf(js);
  if (proto !== Object.prototype && proto !== null) return new HostObject(js);
  for (const key in js) if (typeof js[key] === 'function') return new HostObject(js);
  return new LazyMap(js, toRhai);
}

export function toJs(v: Value): unknown {
  switch (typeof v) {
    case 'undefined':
    case 'number':
    case 'string':
    case 'boolean':
      return v;
  }
  if (v instanceof RhaiFloat) return v.value;
  if (v instanceof RhaiChar) return v.value;
  if (Array.isArray(v)) return v.map(toJs);
  if (v instanceof Map) {
    // Insertion order (the order the script wrote the keys), not Rhai's sorted order: cheaper,
    // and what a reader of the resulting headers or JSON expects.
    const out: Record<string, unknown> = {};
    for (const [key, item] of v) {
      // A "__proto__" key must stay a key, not replace the object's prototype.
      if (key === '__proto__') Object.defineProperty(out, key, { value: toJs(item), enumerable: true, writable: true, configurable: true });
      else out[key] = toJs(item);
    }
    return out;
  }
  if (v instanceof HostObject) return v.target;
  if (v instanceof FnPtr) return v.name;
  if (v instanceof Timestamp) return v.ms;
  if (v instanceof RhaiRange) return debugText(v);
  return undefined;
}
