// Reading requests and writing answers for the admin API, in mountebank's shapes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ERROR_CATALOG, StandinError, ValidationFailure, type ErrorBody } from '../model/errors.js';
import { jsonNestedDeeperThan, MAX_JSON_DEPTH } from '../model/jsonDepth.js';

export interface AdminRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  /** Parsed JSON body; '' when the body was empty. */
  body: unknown;
  /** `http://<Host header>`, the base of every absolute link. */
  baseUrl: string;
  raw: IncomingMessage;
}

/** A parameter of the matched route (`:flowId`): the router matched the route, so it is there. */
export function routeParam(req: AdminRequest, name: string): string {
  const value = req.params[name];
  if (value === undefined) throw new Error(`the route has no parameter :${name}`);
  return value;
}

export class AdminReply<Body = unknown> {
  constructor(
    readonly status: number,
    readonly body: Body,
    readonly headers: Record<string, string> = {},
  ) {}
}

/** mountebank's error envelope. */
export interface ErrorEnvelope {
  errors: ErrorBody[];
}

export const ok = (body: unknown, headers?: Record<string, string>) => new AdminReply(200, body, headers);

/** A body that is not JSON (GET /metrics): written as is, with its own Content-Type. */
export class TextBody {
  constructor(
    readonly text: string,
    readonly contentType: string,
  ) {}
}

/** A body written over time (the event stream): `open` takes over the response. */
export class StreamBody {
  constructor(readonly open: (res: ServerResponse, headers: Record<string, string>) => void) {}
}

/** How much of a body that is not JSON its error echoes. */
const ECHOED_CHARS = 64 * 1024;

/** Bytes JSON text may start with after whitespace: `{ [ " - 0-9 t f n`. */
const JSON_START = new Set([...'{["-0123456789tfn'].map((c) => c.charCodeAt(0)));
const ASCII_WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);

/**
 * Body parsed as JSON whatever its Content-Type, as mountebank's middleware does. A body whose
 * first character cannot start JSON is refused without decoding the rest: megabytes of text that
 * is not JSON cost no more than a few bytes of it.
 */
export function parseJsonBody(bytes: Buffer): unknown {
  let first = 0;
  while (first < bytes.length && ASCII_WHITESPACE.has(bytes[first]!)) first++;
  if (first === bytes.length) return '';
  // Non-ASCII first (a byte-order mark, other Unicode spaces): decoded and trimmed as text below.
  if (bytes[first]! < 0x80 && !JSON_START.has(bytes[first]!)) throw notJson(bytes);
  const text = bytes.toString('utf8');
  if (text.trim() === '') return '';
  if (jsonNestedDeeperThan(text)) {
    throw new StandinError('bad data', `the body nests arrays and objects more than ${MAX_JSON_DEPTH} levels deep; standin accepts up to ${MAX_JSON_DEPTH}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw notJson(bytes);
  }
}

/** mountebank echoes the body; standin echoes only its start when large: a copy of many MB helps no one. */
function notJson(bytes: Buffer): StandinError {
  if (bytes.length <= ECHOED_CHARS) return new StandinError('invalid JSON', 'Unable to parse body as JSON', bytes.toString('utf8'));
  const start = bytes.subarray(0, ECHOED_CHARS).toString('utf8').slice(0, ECHOED_CHARS);
  return new StandinError('invalid JSON', 'Unable to parse body as JSON', `${start}... (${bytes.length} bytes)`);
}

/** `?replayable=true` (any case) */
export const flag = (query: URLSearchParams, name: string): boolean => (query.get(name) ?? '').toLowerCase() === 'true';

export function errorReply(err: unknown): AdminReply<ErrorEnvelope> {
  if (err instanceof ValidationFailure) return new AdminReply(400, { errors: err.errors.map((e) => e.toJSON()) });
  if (err instanceof StandinError) return new AdminReply(err.httpStatus, { errors: [err.toJSON()] });
  const message = err instanceof Error ? err.message : String(err);
  const body: ErrorBody = { code: 'internal error', message };
  return new AdminReply(ERROR_CATALOG['internal error'].status, { errors: [body] });
}

export function writeReply(res: ServerResponse, reply: AdminReply, extraHeaders: Record<string, string> = {}): void {
  if (reply.body === undefined) {
    res.writeHead(reply.status, { ...extraHeaders, ...reply.headers, 'Content-Length': 0 });
    res.end();
    return;
  }
  if (reply.body instanceof StreamBody) {
    reply.body.open(res, { ...extraHeaders, ...reply.headers });
    return;
  }
  const body = reply.body;
  const textBody = body instanceof TextBody ? body : undefined;
  const text = textBody ? textBody.text : JSON.stringify(body, null, 2);
  res.writeHead(reply.status, {
    ...extraHeaders,
    'Content-Type': textBody ? textBody.contentType : 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...reply.headers,
  });
  res.end(text);
}
