// The normalized request every protocol adapter produces and every predicate reads.
import { isPlainObject } from './plainObject.js';

export type QueryValue = string | string[];
export type HeaderValue = string | string[];

/** Where the http adapter keeps what a proxy forwards as received (a symbol: never printed). */
export const RAW_HTTP: unique symbol = Symbol('standin.rawHttp');

export interface RawHttpRequest {
  /** The request target as received (path and exact query string). */
  url: string;
  /** Header names and values as received, flattened. */
  rawHeaders: string[];
  /** The body bytes as received (before any gzip/br decoding). */
  body: Buffer;
}

// A type alias (not an interface) so it is assignable to ProtocolRequest's index signature.
export type HttpRequest = {
  requestFrom: string;
  method: string;
  path: string;
  query: Record<string, QueryValue>;
  headers: Record<string, HeaderValue>;
  body: string;
  ip: string;
  form?: Record<string, QueryValue>;
  timestamp?: string;
  [RAW_HTTP]?: RawHttpRequest;
};

/** Any protocol's request: predicates address its fields by name; an http request keeps its raw form aside. */
export type ProtocolRequest = Record<string, unknown> & { [RAW_HTTP]?: RawHttpRequest };

/** The http adapter's request (http and https), told from other protocols' by its fields. */
export function isHttpRequest(request: ProtocolRequest): request is HttpRequest {
  return (
    typeof request.method === 'string' &&
    typeof request.path === 'string' &&
    typeof request.body === 'string' &&
    typeof request.requestFrom === 'string' &&
    typeof request.ip === 'string' &&
    isPlainObject(request.query) &&
    isPlainObject(request.headers)
  );
}
