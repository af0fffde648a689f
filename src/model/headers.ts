// Headers as mountebank shows them, from node's flat list of raw names and values: read by the
// http adapter for requests and by the proxy for the origin's answers.
import { isObjectLike } from './plainObject.js';
import type { HeaderValue } from './request.js';

/** Header names keep the client's case; a repeated header (any case) becomes an array. */
export function headersFromRaw(rawHeaders: string[]): Record<string, HeaderValue> {
  const headers: Record<string, HeaderValue> = {};
  let lowerToName: Map<string, string> | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    let name = rawHeaders[i]!;
    const value = rawHeaders[i + 1]!;
    const existing = headers[name];
    if (existing === undefined) {
      // The same header in another case is still the same header.
      lowerToName ??= new Map();
      const lower = name.toLowerCase();
      const known = lowerToName.get(lower);
      if (known === undefined) {
        lowerToName.set(lower, name);
        headers[name] = value;
        continue;
      }
      name = known;
    }
    const current = headers[name]!;
    headers[name] = Array.isArray(current) ? [...current, value] : [current, value];
  }
  return headers;
}

/** A request's headers as scripts and templates read them: names lower-cased, a repeated header's values joined with ", ". */
export function joinedHeaders(headers: unknown): Record<string, string> {
  const joined: Record<string, string> = {};
  if (!isObjectLike(headers)) return joined;
  for (const name in headers) {
    const value = headers[name];
    joined[name.toLowerCase()] = typeof value === 'string' ? value : Array.isArray(value) ? value.join(', ') : String(value);
  }
  return joined;
}
