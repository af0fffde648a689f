// A `proxy` response: validated and compiled once; per request it forwards to the origin, answers
// with the origin's bytes and, unless transparent, saves the answer as a new `is` response.
import type {
  CompiledBehaviors,
  Outcome,
  ProxyMode,
  ProxySettings,
  ResolveScope,
  ResponseContext,
  ResponseKind,
  ResponseResolver,
} from '../contracts/index.js';
import { RAW_HTTP, type ProtocolRequest, type RawHttpRequest } from '../model/request.js';
import { StandinError, validationError } from '../model/errors.js';
import type { EchoedResponse } from '../model/echoedDefinition.js';
import { isPlainObject } from '../model/plainObject.js';
import type { HttpReply } from '../model/reply.js';
import { INJECTION_MESSAGE } from '../injection/index.js';
import { compilePredicateGenerators } from './predicateGenerators.js';
import { savedIs, savedResponse } from './recordResponse.js';
import { proxyError, type UpstreamResponse, type UpstreamTls } from './upstreamClient.js';

const MODES: readonly ProxyMode[] = ['proxyOnce', 'proxyAlways', 'proxyTransparent'];

/** A proxy's `mode`; anything else is proxyOnce, as mountebank reads it. */
function proxyModeOf(value: unknown): ProxyMode {
  return MODES.find((mode) => mode === value) ?? 'proxyOnce';
}

/** Request headers the upstream client sets itself or that only concern the client's own connection. */
const NOT_FORWARDED = new Set(['host', 'connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'content-length', 'upgrade', 'expect', 'te']);

const EMPTY_RAW: RawHttpRequest = { url: '/', rawHeaders: [], body: Buffer.alloc(0) };

/**
 * A `proxy` response after validation: its fields typed, as the imposter's protocol checked them
 * (tcp's `to` is tcp://, http's an http URL; a custom protocol has none).
 */
export interface ProxyShape {
  readonly kind: 'proxy';
  readonly proxy: ProxySettings;
}

declare module '../contracts/index.js' {
  interface ResponseShapes {
    proxy: ProxyShape;
  }
}

export const proxyKind: ResponseKind<'proxy'> = {
  key: 'proxy',
  public: true,
  takesCommonFields: true,
  // tcp brings its own proxy.
  validate: (config, context) => ({ kind: 'proxy', proxy: (context.protocol.validateProxy ?? validateHttpProxy)(config.proxy, config, context) }),
  compile: ({ proxy }, config, context, { repeat, behaviors }) =>
    (context.protocol.compileProxy ?? compileProxyResponse)(proxy, config, context, repeat, behaviors),
};

/** The http(s) proxy's checks, in mountebank's order. */
export function validateHttpProxy(proxy: unknown, config: EchoedResponse, context: ResponseContext): ProxySettings {
  if (!isPlainObject(proxy)) throw validationError('\'proxy\' must be an object, e.g. {"to": "http://origin:8080"}', config);
  if (context.protocol.name !== 'http' && context.protocol.name !== 'https') {
    throw validationError(`proxy responses are not supported for ${context.protocol.name} imposters by this version of standin`, config);
  }
  if (proxy.predicates !== undefined) {
    throw validationError(
      "'predicates' is not a proxy field: put predicates on the stub, or use 'proxy.predicateGenerators' to choose the predicates of the saved stubs",
      config,
    );
  }
  const to = compileTo(proxy.to, config);
  return {
    to: to.text,
    origin: { protocol: 'http', origin: to.origin, host: to.host },
    ...recordingSettings(proxy, config, context),
    injectHeaders: compileInjectHeaders(proxy.injectHeaders, config),
    tls: compileTls(proxy, config),
    keepalive: false,
  };
}

export function compileProxyResponse(
  proxy: ProxySettings,
  config: EchoedResponse,
  context: ResponseContext,
  repeat: number,
  behaviors: CompiledBehaviors,
): ResponseResolver {
  const { delayMs } = behaviors;
  const { origin, mode, injectHeaders: injected, tls, predicatesFor: generate } = proxy;
  if (origin.protocol !== 'http') {
    throw validationError(`proxy.to must be an http or https URL for an http imposter, got ${JSON.stringify(proxy.to)}`, config);
  }
  const to = { text: proxy.to, origin: origin.origin, host: origin.host };
  const hostHeader = injected.some((_, i) => i % 2 === 0 && injected[i]!.toLowerCase() === 'host') ? null : to.host;
  const injectedNames = new Set(injected.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase()));

  const forwardHeaders = (rawHeaders: string[]): string[] => {
    const headers: string[] = [];
    for (let i = 0; i < rawHeaders.length; i += 2) {
      const lower = rawHeaders[i]!.toLowerCase();
      if (NOT_FORWARDED.has(lower) || injectedNames.has(lower)) continue;
      headers.push(rawHeaders[i]!, rawHeaders[i + 1]!);
    }
    if (hostHeader !== null) headers.push('Host', hostHeader);
    headers.push(...injected);
    return headers;
  };

  const resolve = async (request: ProtocolRequest, scope: ResolveScope): Promise<Outcome> => {
    const raw = request[RAW_HTTP] ?? EMPTY_RAW;
    const started = Date.now();
    let upstream: UpstreamResponse;
    try {
      upstream = await context.instance.upstreams.send(to.origin, tls, context.proxyTimeout, {
        method: String(request.method),
        path: raw.url,
        headers: forwardHeaders(raw.rawHeaders),
        body: raw.body.length > 0 ? raw.body : null,
      });
    } catch (err) {
      throw proxyError(err, to.text, context.proxyTimeout);
    }
    if (behaviors.run) {
      // As mountebank: the behaviors run once, on the proxied answer, and what they make is both
      // the reply and what is saved (so a saved response is not transformed again on replay).
      const transformed = await behaviors.run(request, savedIs(upstream, Date.now() - started), scope);
      if (mode !== 'proxyTransparent') await scope.recordProxyResponse(mode, generate(request), savedResponse(transformed, proxy));
      return { reply: context.protocol.compileReply(transformed, context.defaultResponse, config), delayMs: 0, response: () => transformed };
    }
    const took = Date.now() - started;
    if (mode !== 'proxyTransparent') await scope.recordProxyResponse(mode, generate(request), savedResponse(savedIs(upstream, took), proxy));
    return { reply: toReply(upstream), delayMs, response: () => savedIs(upstream, took) };
  };

  return { config, repeat, resolve };
}

/** What every protocol's proxy reads alike: its mode and how it records what the origin said. */
export function recordingSettings(
  proxy: Record<string, unknown>,
  config: EchoedResponse,
  context: ResponseContext,
): Pick<ProxySettings, 'mode' | 'addWaitBehavior' | 'addDecorateBehavior' | 'predicatesFor'> {
  return {
    mode: proxyModeOf(proxy.mode),
    addWaitBehavior: Boolean(proxy.addWaitBehavior),
    addDecorateBehavior: validateAddDecorateBehavior(proxy.addDecorateBehavior, context.allowInjection, config),
    predicatesFor: compilePredicateGenerators(proxy.predicateGenerators, context.allowInjection ? context.scripts : undefined, config),
  };
}

/**
 * `addDecorateBehavior`: a decorate function the saved responses carry. As mountebank, it is not
 * compiled here: one that does not compile is reported when a saved response carrying it is made.
 */
function validateAddDecorateBehavior(value: unknown, allowInjection: boolean, source: unknown): string | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  if (!allowInjection) throw new StandinError('invalid injection', INJECTION_MESSAGE, source);
  if (typeof value !== 'string') throw validationError("'proxy.addDecorateBehavior' must be a string holding a JavaScript function", source);
  return value;
}

/** The origin's answer as received; `Connection: close` added when the origin set none (as for `is`). */
function toReply(upstream: UpstreamResponse): HttpReply {
  const headers = upstream.rawHeaders.slice();
  let hasConnection = false;
  for (let i = 0; i < headers.length; i += 2) if (headers[i]!.toLowerCase() === 'connection') hasConnection = true;
  if (!hasConnection) headers.push('Connection', 'close');
  return { statusCode: upstream.statusCode, headers, body: upstream.body };
}

interface ProxyTarget {
  text: string;
  origin: string;
  host: string;
}

function compileTo(value: unknown, source: unknown): ProxyTarget {
  if (value === undefined || value === null) throw validationError('Missing to', source);
  if (typeof value !== 'string') throw validationError('proxy.to must be a URL string such as "http://origin:8080"', source);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw validationError(`proxy.to is not a valid URL: ${JSON.stringify(value)}`, source);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw validationError(`proxy.to must be an http or https URL for an http imposter, got ${JSON.stringify(value)}`, source);
  }
  if (url.pathname !== '/') throw validationError(`proxy.to must not contain a path '${url.pathname}'`, source);
  return { text: value, origin: url.origin, host: url.host };
}

function compileInjectHeaders(value: unknown, source: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!isPlainObject(value)) throw validationError("'proxy.injectHeaders' must be an object of header names and values", source);
  const flat: string[] = [];
  for (const [name, v] of Object.entries(value)) {
    for (const item of Array.isArray(v) ? v : [v]) flat.push(name, String(item));
  }
  return flat;
}

function compileTls(proxy: Record<string, unknown>, source: unknown): UpstreamTls {
  const tls: UpstreamTls = {};
  for (const key of ['cert', 'key', 'passphrase', 'ciphers', 'secureProtocol'] as const) {
    const v = proxy[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string') throw validationError(`'proxy.${key}' must be a string`, source);
    tls[key] = v;
  }
  return tls;
}
