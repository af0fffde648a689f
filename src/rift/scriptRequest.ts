// The `request` a `_rift.script` sees: method, path, lower-cased headers, query, and the body
// parsed when it is JSON (else null: unit in Rhai, nil in Lua).
import { parseClientJson } from '../model/jsonDepth.js';
import type { ProtocolRequest } from '../model/request.js';
import type { ScriptRequest } from '../scripting/engine.js';

export function toScriptRequest(request: ProtocolRequest): ScriptRequest {
  const headers: Record<string, string> = {};
  const raw = (request.headers ?? {}) as Record<string, string | string[]>;
  for (const name in raw) {
    const value = raw[name]!;
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: String(request.method ?? ''),
    path: String(request.path ?? ''),
    headers,
    query: (request.query ?? {}) as Record<string, string | string[]>,
    pathParams: (request.pathParams ?? {}) as Record<string, string>,
    body: parseBody(request.body),
  };
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string' || body.length === 0) return null;
  try {
    return parseClientJson(body);
  } catch {
    return null;
  }
}
