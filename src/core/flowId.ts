// Rift's flow id of a recorded request, for `match=flow_id=` filters, verify's `flowId` and the
// event stream: the imposter's port unless `_rift.flowState.flowIdSource` is `header:<Name>`.
import { isPlainObject } from '../model/plainObject.js';
import type { ProtocolRequest } from '../model/request.js';

/** The flow id, or undefined when the source is a header the request does not carry. */
export function flowIdOf(config: Record<string, unknown>, port: number, request: ProtocolRequest): string | undefined {
  const rift = config._rift;
  const source = isPlainObject(rift) && isPlainObject(rift.flowState) ? rift.flowState.flowIdSource : undefined;
  if (typeof source !== 'string' || !source.startsWith('header:')) return String(port);
  return headerValues(request, source.slice('header:'.length))[0];
}

/** A request header's values by name, any case (a repeated header has several). */
export function headerValues(request: ProtocolRequest, name: string): string[] {
  const headers = request.headers;
  if (!isPlainObject(headers)) return [];
  const wanted = name.toLowerCase();
  const out: string[] = [];
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    const value = headers[key];
    if (Array.isArray(value)) out.push(...value.filter((v): v is string => typeof v === 'string'));
    else if (typeof value === 'string') out.push(value);
  }
  return out;
}
