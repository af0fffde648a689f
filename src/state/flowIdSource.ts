// Rift's `_rift.flowState.flowIdSource`: which flow (space) a request belongs to. Scenario state,
// space-scoped stubs and scripts' flow state are all partitioned by it.
import { validationError } from '../model/errors.js';
import type { ProtocolRequest } from '../model/request.js';
import { isPlainObject } from '../model/plainObject.js';

/** Resolves a request's flow id; `port` is the imposter's, the default flow. */
export type FlowIdResolver = (request: ProtocolRequest, port: number) => string;

const byPort: FlowIdResolver = (_request, port) => String(port);

/**
 * `"imposter_port"` (the default): every request is in the imposter's flow. `"header:<Name>"`: the
 * first value of that header, any case; a request without it is in the imposter's flow.
 */
export function compileFlowIdSource(source: unknown): FlowIdResolver {
  if (source === undefined || source === 'imposter_port') return byPort;
  const name = typeof source === 'string' && source.startsWith('header:') ? source.slice('header:'.length).trim().toLowerCase() : '';
  if (name === '') {
    throw validationError(
      `'_rift.flowState.flowIdSource' must be "imposter_port" or "header:<Name>" (e.g. "header:X-Mock-Space"), got ${JSON.stringify(source)}`,
    );
  }
  return (request, port) => firstHeaderValue(request, name) ?? String(port);
}

function firstHeaderValue(request: ProtocolRequest, lowerName: string): string | undefined {
  const headers = request.headers;
  if (!isPlainObject(headers)) return undefined;
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() !== lowerName) continue;
    const value = headers[key];
    if (typeof value === 'string') return value;
    if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  }
  return undefined;
}
