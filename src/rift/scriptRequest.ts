// The `request` a `_rift.script` sees: method, path, lower-cased headers, query, and the body
// parsed when it is JSON (else null: unit in Rhai, nil in Lua).
import { joinedHeaders } from '../model/headers.js';
import { parseClientJson } from '../model/jsonDepth.js';
import { isPlainObject } from '../model/plainObject.js';
import type { ProtocolRequest, QueryValue } from '../model/request.js';
import type { ScriptRequest } from '../scripting/engine.js';

export function toScriptRequest(request: ProtocolRequest): ScriptRequest {
  return {
    method: String(request.method ?? ''),
    path: String(request.path ?? ''),
    headers: joinedHeaders(request.headers),
    query: isQuery(request.query) ? request.query : {},
    pathParams: isTextRecord(request.pathParams) ? request.pathParams : {},
    body: parseBody(request.body),
  };
}

/** A query as the http adapter parses it: each parameter a string, or a list when repeated. */
function isQuery(value: unknown): value is Record<string, QueryValue> {
  if (!isPlainObject(value)) return false;
  for (const key in value) {
    const item = value[key];
    if (typeof item !== 'string' && !(Array.isArray(item) && item.every((v) => typeof v === 'string'))) return false;
  }
  return true;
}

function isTextRecord(value: unknown): value is Record<string, string> {
  if (!isPlainObject(value)) return false;
  for (const key in value) if (typeof value[key] !== 'string') return false;
  return true;
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string' || body.length === 0) return null;
  try {
    return parseClientJson(body);
  } catch {
    return null;
  }
}
