// Turns node's IncomingMessage and its body bytes into mountebank's http request shape.
import type { IncomingMessage } from 'node:http';
import querystring from 'node:querystring';
import { headersFromRaw } from '../../model/headers.js';
import { RAW_HTTP, type HttpRequest, type QueryValue } from '../../model/request.js';

const decodeComponent = (text: string): string =>
  text.includes('+') ? querystring.unescape(text.replace(/\+/g, ' ')) : text.includes('%') ? querystring.unescape(text) : text;

/**
 * node's querystring.parse semantics (repeated keys become arrays, `?WSDL` is `{"WSDL": ""}`),
 * into a plain object; about twice as fast as copying querystring's null-prototype result.
 */
export function parseQuery(search: string): Record<string, QueryValue> {
  const query: Record<string, QueryValue> = {};
  if (!search) return query;
  for (const pair of search.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeComponent(eq === -1 ? pair : pair.slice(0, eq));
    const value = eq === -1 ? '' : decodeComponent(pair.slice(eq + 1));
    const existing = Object.hasOwn(query, key) ? query[key] : undefined;
    if (existing === undefined) {
      // A key named __proto__ is data, not the object's prototype (defineProperty only for it: it
      // costs a descriptor and a map migration per key).
      if (key === '__proto__') Object.defineProperty(query, key, { value, enumerable: true, writable: true, configurable: true });
      else query[key] = value;
    } else if (Array.isArray(existing)) {
      existing.push(value);
    } else {
      query[key] = [existing, value];
    }
  }
  return query;
}

function isUrlEncodedForm(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const semicolon = contentType.indexOf(';');
  const media = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  return media === 'application/x-www-form-urlencoded';
}

/** `decodedBytes`: the body once inflated per its Content-Encoding (see requestBody.ts). */
export function createHttpRequest(message: IncomingMessage, bodyBytes: Buffer, decodedBytes: Buffer = bodyBytes): HttpRequest {
  const socket = message.socket;
  const ip = socket.remoteAddress ?? '';
  let url = message.url ?? '/';
  // Absolute-form targets (a client using us as a forward proxy) still have a path.
  if (url.charCodeAt(0) !== 47 /* '/' */ && /^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    const parsed = new URL(url);
    url = parsed.pathname + parsed.search;
  }
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? {} : parseQuery(url.slice(q + 1));
  const headers = headersFromRaw(message.rawHeaders);
  const body = decodedBytes.toString('utf8');

  const request: HttpRequest = {
    requestFrom: `${ip}:${socket.remotePort ?? ''}`,
    method: message.method ?? 'GET',
    path,
    query,
    headers,
    body,
    ip,
  };
  // Kept for a proxy to forward the request as received; not enumerable, so the journal's copy
  // of the request does not hold the raw bytes a second time.
  Object.defineProperty(request, RAW_HTTP, { value: { url, rawHeaders: message.rawHeaders, body: bodyBytes } });
  if (body && isUrlEncodedForm(message.headers['content-type'])) request.form = parseQuery(body);
  return request;
}
