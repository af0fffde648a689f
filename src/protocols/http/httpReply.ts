// Compiles an `is` response (with the imposter's defaultResponse) into the bytes written on the
// wire, once, when the stub is created: mountebank's field fallback and wire defaults.
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { validationError } from '../../model/errors.js';
import { isObjectLike, isPlainObject } from '../../model/plainObject.js';
import type { HttpReply } from '../../model/reply.js';

export type { HttpReply };

export const isHttpReply = (reply: unknown): reply is HttpReply =>
  isObjectLike(reply) && typeof reply.statusCode === 'number' && Array.isArray(reply.headers) && Buffer.isBuffer(reply.body);

/** The reply as mountebank logs it at debug level (`<= {...}`): its response object after the defaults. */
export function replyForLog(reply: HttpReply): { statusCode: number; headers: Record<string, string | string[]>; body: string; _mode: string } {
  const headers: Record<string, string | string[]> = {};
  for (let i = 0; i < reply.headers.length; i += 2) {
    const name = reply.headers[i]!;
    const value = reply.headers[i + 1]!;
    const existing = headers[name];
    headers[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  const body = reply.chunks ? Buffer.concat(reply.chunks) : reply.body;
  return { statusCode: reply.statusCode, headers, body: body.toString(reply.binary ? 'base64' : 'utf8'), _mode: reply.binary ? 'binary' : 'text' };
}

const BASE64_NOISE = /[^A-Za-z0-9=+/]/g;

/** mountebank's fallback is per field and shallow: `is.x || default.x || builtin`. */
export function compileHttpReply(is: Record<string, unknown>, defaults: Record<string, unknown> | undefined, source: unknown): HttpReply {
  const d = defaults ?? {};
  const statusCode = toStatusCode(is.statusCode || d.statusCode || 200, source);
  const headerConfig: unknown = is.headers || d.headers || {};
  const mode: unknown = is._mode || d._mode || 'text';
  const body = toBody(is.body || d.body || '', mode, source);
  const headers = toHeaders(headerConfig, body, source);
  return mode === 'binary' ? { statusCode, headers, body, binary: true } : { statusCode, headers, body };
}

function toStatusCode(value: unknown, source: unknown): number {
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 100 || n > 999) {
    throw validationError(`'statusCode' must be an integer from 100 to 999, got ${JSON.stringify(value)}`, source);
  }
  return n;
}

function toBody(value: unknown, mode: unknown, source: unknown): Buffer {
  if (mode === 'binary') {
    if (typeof value !== 'string') throw validationError("a binary '_mode' body must be a base64 string", source);
    return Buffer.from(value.replace(BASE64_NOISE, ''), 'base64');
  }
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (typeof value === 'object' && value !== null) return Buffer.from(JSON.stringify(value, null, 4), 'utf8');
  return Buffer.from(String(value), 'utf8');
}

function toHeaders(config: unknown, body: Buffer, source: unknown): string[] {
  if (!isPlainObject(config)) throw validationError("'headers' must be an object", source);
  const flat: string[] = [];
  let hasConnection = false;
  for (const [name, raw] of Object.entries(config)) {
    const lower = name.toLowerCase();
    try {
      validateHeaderName(name);
    } catch {
      throw validationError(`invalid header name ${JSON.stringify(name)}`, source);
    }
    if (lower === 'connection') hasConnection = true;
    // mountebank recomputes Content-Length from the real body (after any transformation).
    const values = lower === 'content-length' ? [String(body.length)] : Array.isArray(raw) ? raw : [raw];
    for (const v of values) {
      const text = v === null || v === undefined ? '' : String(v);
      try {
        validateHeaderValue(name, text);
      } catch {
        throw validationError(`invalid value for header ${JSON.stringify(name)}`, source);
      }
      flat.push(name, text);
    }
  }
  if (!hasConnection) flat.push('Connection', 'close');
  return flat;
}
