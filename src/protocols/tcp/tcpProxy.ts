// A tcp `proxy` response (`{"to": "tcp://host:port"}`): compiled once; per request it sends the
// request's bytes to the origin and answers with the origin's, saving them as `{is: {data}}` next
// to the proxy stub (proxyOnce, proxyAlways) as the http proxy does, or not (proxyTransparent).
import type { CompiledBehaviors, Outcome, ProxySettings, ResolveScope, ResponseContext, ResponseResolver } from '../../contracts/index.js';
import { StandinError, validationError } from '../../model/errors.js';
import { isPlainObject } from '../../model/plainObject.js';
import { savedResponse } from '../../proxy/recordResponse.js';
import { recordingSettings } from '../../proxy/proxyResponse.js';
import { TcpOrigin, type TcpTarget } from './tcpOrigin.js';
import type { TcpSettings } from './tcpSettings.js';

/** A tcp proxy's checks; its old `{"host", "port"}` target is rewritten as a URL in the response (echoed so). */
export function validateTcpProxy(proxy: unknown, config: Record<string, unknown>, context: ResponseContext): ProxySettings {
  if (!isPlainObject(proxy)) throw validationError('\'proxy\' must be an object, e.g. {"to": "tcp://origin:3000"}', config);
  const target = compileTarget(proxy, config);
  // A target of another protocol is refused per request, as mountebank does, whatever the other fields say.
  if (typeof target === 'string') return { ...REFUSED, to: target };
  return {
    to: target.text,
    origin: { protocol: 'tcp', host: target.host, port: target.port },
    ...recordingSettings(proxy, config, context),
    injectHeaders: [],
    tls: {},
    keepalive: proxy.keepalive === true,
  };
}

const REFUSED: ProxySettings = {
  to: '',
  origin: { protocol: 'refused' },
  mode: 'proxyOnce',
  addWaitBehavior: false,
  addDecorateBehavior: undefined,
  predicatesFor: () => [],
  injectHeaders: [],
  tls: {},
  keepalive: false,
};

export function compileTcpProxy(
  proxy: ProxySettings,
  config: Record<string, unknown>,
  context: ResponseContext,
  repeat: number,
  behaviors: CompiledBehaviors,
  settings: TcpSettings,
): ResponseResolver {
  const { origin: target, mode, predicatesFor: generate } = proxy;
  if (target.protocol !== 'tcp') return refuseEveryRequest(config, repeat, proxy.to);
  const origin = new TcpOrigin({ text: proxy.to, host: target.host, port: target.port }, proxy.keepalive, settings.endOfRequest, context.proxyTimeout);

  const resolve = async (request: Record<string, unknown>, scope: ResolveScope): Promise<Outcome> => {
    const started = Date.now();
    const answer = await origin.exchange(Buffer.from(String(request.data), settings.encoding), context.scripts.log);
    let is: Record<string, unknown> = { data: answer.toString(settings.encoding), _proxyResponseTime: Date.now() - started };
    // As for http: behaviors run once, on the origin's answer; the result is the reply and what is saved.
    if (behaviors.run) is = await behaviors.run(request, is);
    if (mode !== 'proxyTransparent') await scope.recordProxyResponse(mode, generate(request), savedResponse(is, proxy));
    if (!behaviors.run) return { reply: { data: answer }, delayMs: behaviors.delayMs };
    return { reply: context.protocol.compileReply(is, context.defaultResponse, config), delayMs: 0 };
  };
  return { config, repeat, resolve };
}

/**
 * mountebank accepts a target of another protocol (`http://...`) and answers each request with
 * its `invalid proxy` error on the socket; so does standin.
 */
function refuseEveryRequest(config: Record<string, unknown>, repeat: number, to: string): ResponseResolver {
  const resolve = (): Outcome => {
    throw new StandinError('invalid proxy', 'Unable to proxy to any protocol other than tcp', to);
  };
  return { config, repeat, resolve };
}

/**
 * `tcp://host:port`, or mountebank's old `{"host": ..., "port": ...}` form, which is stored and
 * echoed as the URL (mountebank upcasts it the same way). A string target of another protocol
 * comes back as is, for refuseEveryRequest.
 */
function compileTarget(proxy: Record<string, unknown>, source: unknown): TcpTarget | string {
  let to = proxy.to;
  if (to === undefined || to === null) throw validationError('Missing to', source);
  if (isPlainObject(to) && typeof to.host === 'string' && (typeof to.port === 'number' || typeof to.port === 'string')) {
    to = `tcp://${to.host}:${to.port}`;
    proxy.to = to;
  }
  if (typeof to !== 'string') throw validationError('proxy.to must be a URL string such as "tcp://origin:3000"', source);
  let url: URL;
  try {
    url = new URL(to);
  } catch {
    // mountebank parses it the same way and finds no tcp: protocol.
    return to;
  }
  if (url.protocol !== 'tcp:') return to;
  if (url.port === '') throw validationError(`proxy.to must name the origin's port, e.g. "tcp://${url.hostname}:3000"`, source);
  // WHATWG URLs keep IPv6 hosts in brackets; net.connect wants them bare.
  return { text: to, host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port) };
}
