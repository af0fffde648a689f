// The JSON shapes of an imposter that mountebank prints: list, full and replayable.
import type { EchoedResponse, EchoedStub } from '../model/echoedDefinition.js';
import { isPlainObject } from '../model/plainObject.js';
import type { Imposter } from './imposter.js';

export interface PrintOptions {
  /** `http://host:port` of the admin API, for absolute `_links`. */
  baseUrl: string;
  replayable?: boolean;
  removeProxies?: boolean;
  /** Replayable output keeps `is._proxyResponseTime` (--datadir: saved responses stay removable). */
  keepProxyResponseTimes?: boolean;
}

/** Keys printed in this order, before the protocol's and the stubs. */
const HEAD_KEYS = ['protocol', 'port', 'name', 'defaultResponse'] as const;
/** Keys mountebank prints last in the header, in every shape (the list too), and only when set. */
const TAIL_KEYS = ['endOfRequestResolver', 'allowCORS'] as const;
const KNOWN_KEYS = new Set<string>([...HEAD_KEYS, ...TAIL_KEYS, 'recordRequests', 'stubs', 'requests', 'numberOfRequests', '_links']);

function head(imposter: Imposter): Record<string, unknown> {
  const out: Record<string, unknown> = { protocol: imposter.protocol.name, port: imposter.port };
  if (imposter.config.name !== undefined) out.name = imposter.config.name;
  if (imposter.config.defaultResponse !== undefined) out.defaultResponse = imposter.config.defaultResponse;
  return out;
}

/**
 * The protocol's fields and those standin keeps beyond mountebank's list (host, ...), so a
 * save/replay round trip keeps them; then the tail keys.
 */
function otherFields(imposter: Imposter): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(imposter.config)) {
    if (!KNOWN_KEYS.has(key)) out[key] = value;
  }
  return Object.assign(out, tail(imposter));
}

/** `endOfRequestResolver`, and `allowCORS` as mountebank 2.9.2 added it: printed when truthy. */
function tail(imposter: Imposter): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of TAIL_KEYS) {
    if (imposter.config[key]) out[key] = imposter.config[key];
  }
  return out;
}

function links(imposter: Imposter, baseUrl: string) {
  const self = `${baseUrl}/imposters/${imposter.port}`;
  return { self: { href: self }, stubs: { href: `${self}/stubs` } };
}

export function printListEntry(imposter: Imposter, baseUrl: string): Record<string, unknown> {
  return { ...head(imposter), numberOfRequests: imposter.numberOfRequests, ...tail(imposter), _links: links(imposter, baseUrl) };
}

export function printImposter(imposter: Imposter, options: PrintOptions): Record<string, unknown> {
  const out = head(imposter);
  const recordRequests = imposter.config.recordRequests === true;
  if (options.replayable) {
    out.recordRequests = recordRequests;
    Object.assign(out, otherFields(imposter));
    out.stubs = printStubs(imposter, options, false);
    return out;
  }
  out.numberOfRequests = imposter.numberOfRequests;
  out.recordRequests = recordRequests;
  Object.assign(out, otherFields(imposter));
  out.requests = imposter.journal ? imposter.journal.toArray().map((record) => record.request) : [];
  out.stubs = printStubs(imposter, options, true);
  out._links = links(imposter, options.baseUrl);
  return out;
}

function printStubs(imposter: Imposter, options: PrintOptions, full: boolean): Record<string, unknown>[] {
  const printed: Record<string, unknown>[] = [];
  imposter.stubs.forEach((stub, index) => {
    let stubJson: EchoedStub = { ...stub.config };
    if (options.removeProxies) {
      const responses = stub.config.responses.filter((_, i) => stub.responses[i]?.shape.kind !== 'proxy');
      if (responses.length === 0) return;
      stubJson.responses = responses;
    }
    if (full) {
      if (stub.matches) stubJson.matches = stub.matches;
      stubJson._links = { self: { href: `${options.baseUrl}/imposters/${imposter.port}/stubs/${index}` } };
    } else if (!options.keepProxyResponseTimes) {
      stubJson = stripProxyResponseTimes(stubJson);
    }
    printed.push(stubJson);
  });
  return printed;
}

/** Replayable output drops `is._proxyResponseTime`, as mountebank does. */
function stripProxyResponseTimes(stub: EchoedStub): EchoedStub {
  const saved = (r: EchoedResponse) => isPlainObject(r.is) && '_proxyResponseTime' in r.is;
  if (!stub.responses.some(saved)) return stub;
  return {
    ...stub,
    responses: stub.responses.map((r) => {
      if (!isPlainObject(r.is) || !('_proxyResponseTime' in r.is)) return r;
      const { _proxyResponseTime: _dropped, ...is } = r.is;
      return { ...r, is };
    }),
  };
}
