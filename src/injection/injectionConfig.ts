// The `config` object injected functions receive, as mountebank builds it: a copy of the request
// (so a script cannot change what later predicates and behaviors see) plus the point's own
// fields, and, for http and tcp requests, every request field copied onto `config` itself so that
// old-style `function (request) { return request.path === '/x'; }` keeps working.
import type { ProtocolRequest } from '../model/request.js';
import { isObjectLike, isPlainObject } from '../model/plainObject.js';

/**
 * A JSON copy: plain data only (the http adapter's raw bytes, a symbol, are left behind). Its
 * `headers` keep the client's names, as mountebank's do, and also answer a lookup in any case
 * (`headers['content-type']` finds `Content-Type`).
 */
export function cloneRequest(request: ProtocolRequest): ProtocolRequest {
  // The JSON copy of an object is an object; the check says so to the compiler.
  const parsed: unknown = JSON.parse(JSON.stringify(request));
  const copy = isPlainObject(parsed) ? parsed : {};
  if (isObjectLike(copy.headers)) copy.headers = anyCaseLookup(copy.headers);
  return copy;
}

/** Enumeration, JSON and writes see the object as it is; a read of a missing name tries the other cases. */
function anyCaseLookup(headers: Record<string, unknown>): Record<string, unknown> {
  const find = (target: Record<string, unknown>, name: string): string | undefined => {
    const lower = name.toLowerCase();
    return Object.keys(target).find((key) => key.toLowerCase() === lower);
  };
  return new Proxy(headers, {
    get(target, name, receiver) {
      if (typeof name !== 'string' || Object.hasOwn(target, name)) return Reflect.get(target, name, receiver);
      const found = find(target, name);
      return found === undefined ? Reflect.get(target, name, receiver) : target[found];
    },
    has(target, name) {
      return Reflect.has(target, name) || (typeof name === 'string' && find(target, name) !== undefined);
    },
  });
}

export function injectionConfig(request: ProtocolRequest, fields: Record<string, unknown>): Record<string, unknown> {
  const copy = cloneRequest(request);
  const config: Record<string, unknown> = { request: copy, ...fields };
  if (copy.method || copy.data) Object.assign(config, copy);
  return config;
}
