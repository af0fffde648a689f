// The origin's answer as mountebank saves it: an `is` with the raw headers, the body as JSON,
// text or base64 (`_mode: "binary"`), and the time the origin took.
import type { ProxySettings, ResponseObject } from '../contracts/index.js';
import type { EchoedResponse } from '../model/echoedDefinition.js';
import { headersFromRaw } from '../model/headers.js';
import type { HeaderValue } from '../model/request.js';
import type { UpstreamResponse } from './upstreamClient.js';

const BINARY_CONTENT_ENCODINGS = ['gzip', 'br', 'compress', 'deflate'];
const BINARY_MIME_TYPES = [
  'audio/',
  'application/epub+zip',
  'application/gzip',
  'application/java-archive',
  'application/msword',
  'application/octet-stream',
  'application/pdf',
  'application/rtf',
  'application/vnd.ms-excel',
  'application/vnd.ms-fontobject',
  'application/vnd.ms-powerpoint',
  'application/vnd.visio',
  'application/x-shockwave-flash',
  'application/x-tar',
  'application/zip',
  'font/',
  'image/',
  'model/',
  'video/',
];

/** The first value of a header, any case (node's `headers[name]` for the rules below). */
function firstHeader(rawHeaders: string[], lowerName: string): string {
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === lowerName) return rawHeaders[i + 1]!;
  }
  return '';
}

export function isBinaryResponse(rawHeaders: string[]): boolean {
  const contentEncoding = firstHeader(rawHeaders, 'content-encoding');
  if (BINARY_CONTENT_ENCODINGS.some((e) => contentEncoding.includes(e))) return true;
  const contentType = firstHeader(rawHeaders, 'content-type');
  return BINARY_MIME_TYPES.some((t) => contentType.includes(t));
}

function maybeJSON(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** What a proxy saves of an http answer as its `is`, in mountebank's key order. */
export type SavedIs = {
  statusCode: number;
  headers: Record<string, HeaderValue>;
  /** Text (JSON parsed when it is JSON), or base64 in binary mode. */
  body: unknown;
  _mode: 'binary' | 'text';
  _proxyResponseTime: number;
};

export function savedIs(response: UpstreamResponse, proxyResponseTime: number): SavedIs {
  const binary = isBinaryResponse(response.rawHeaders);
  return {
    statusCode: response.statusCode,
    headers: headersFromRaw(response.rawHeaders),
    // (mountebank also JSON-parses base64, which turns a base64 body like "1234" into a number.)
    body: binary ? response.body.toString('base64') : maybeJSON(response.body.toString('utf8')),
    _mode: binary ? 'binary' : 'text',
    _proxyResponseTime: proxyResponseTime,
  };
}

/** The saved response: the `is` plus the behaviors the proxy asks to add. */
export function savedResponse(is: ResponseObject, proxy: Pick<ProxySettings, 'addWaitBehavior' | 'addDecorateBehavior'>): EchoedResponse {
  const result: EchoedResponse = { is };
  const behaviors: unknown[] = [];
  if (proxy.addWaitBehavior && is._proxyResponseTime) behaviors.push({ wait: is._proxyResponseTime });
  if (proxy.addDecorateBehavior) behaviors.push({ decorate: proxy.addDecorateBehavior });
  if (behaviors.length > 0) result.behaviors = behaviors;
  return result;
}
