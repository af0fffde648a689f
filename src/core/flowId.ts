// Rift's flow id of a recorded request, for `match=flow_id=` filters, verify's `flowId` and the
// event stream: the imposter's port unless `_rift.flowState.flowIdSource` is `header:<Name>`.
import { isPlainObject } from '../model/types.js';
import type { ProtocolRequest } from '../model/request.js';

/** The flow id, or undefined when the source is a header the request does not carry. */
export function flowIdOf(config: Record<string, unknown>, port: number, request: ProtocolRequest): string | undefined {
  const rift = config._rift;
  const source = isPlainObject(rift) && isPlainObject(rift.flowState) ? rift.flowState.flowIdSource : undefined;
  if (typeof source !== 'string' || !source.startsWith('header:')) return String(port);
  return headerValue(request, source.slice('header:'.length));
}

/** A request header by name, any case; the first value of a repeated one. */
export function headerValue(request: ProtocolRequest, name: string): string | undefined {
  const headers = request.headers;
  if (!isPlainObject(headers)) return undefined;
  const wanted = name.toLowerCase();
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    const value = headers[key];
    return Array.isArray(value) ? (value[0] as string | undefined) : typeof value === 'string' ? value : undefined;
  }
  return undefined;
}
