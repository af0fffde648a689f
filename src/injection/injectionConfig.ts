// The `config` object injected functions receive, as mountebank builds it: a copy of the request
// (so a script cannot change what later predicates and behaviors see) plus the point's own
// fields, and, for http and tcp requests, every request field copied onto `config` itself so that
// old-style `function (request) { return request.path === '/x'; }` keeps working.
import type { ProtocolRequest } from '../model/request.js';

/** A JSON copy: plain data only (the http adapter's raw bytes, a symbol, are left behind). */
export function cloneRequest(request: ProtocolRequest): Record<string, unknown> {
  return JSON.parse(JSON.stringify(request)) as Record<string, unknown>;
}

export function injectionConfig(request: ProtocolRequest, fields: Record<string, unknown>): Record<string, unknown> {
  const copy = cloneRequest(request);
  const config: Record<string, unknown> = { request: copy, ...fields };
  if (copy.method || copy.data) Object.assign(config, copy);
  return config;
}
