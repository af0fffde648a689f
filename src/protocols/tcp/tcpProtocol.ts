// The tcp protocol as the core sees it: `mode` (text or binary) and `endOfRequestResolver` are
// read once per imposter and bound into its adapter.
import type { ProtocolAdapter, ProtocolSettings } from '../../contracts/index.js';
import { ValidationFailure, validationError } from '../../model/errors.js';
import { compileEndOfRequest, EVERY_PACKET } from './endOfRequest.js';
import { compileTcpProxy, validateTcpProxy } from './tcpProxy.js';
import { compileTcpReply, isTcpReply, type TcpEncoding } from './tcpReply.js';
import { listenTcp } from './tcpServer.js';
import type { TcpSettings } from './tcpSettings.js';

function adapterFor(settings: TcpSettings): ProtocolAdapter {
  return {
    name: 'tcp',
    // Binary mode: predicates compare base64-decoded bytes and refuse matches/xpath/jsonpath.
    predicateEncoding: settings.encoding,
    testRequest: { requestFrom: '', ip: '', data: 'test' },
    compileReply: (is, defaults, source) => compileTcpReply(is, defaults, settings.encoding, source),
    describeReply: (reply) => (isTcpReply(reply) ? { data: reply.data.toString(settings.encoding) } : reply),
    listen: (handler, options) => listenTcp(handler, options, settings),
    validateProxy: validateTcpProxy,
    compileProxy: (proxy, config, context, repeat, behaviors) => compileTcpProxy(proxy, config, context, repeat, behaviors, settings),
    configure,
  };
}

/** Validates `mode` and `endOfRequestResolver` and echoes them as mountebank does (`mode` always). */
function configure(config: Record<string, unknown>, { allowInjection, scripts }: ProtocolSettings): ProtocolAdapter {
  const mode = config.mode ?? 'text';
  if (mode !== 'text' && mode !== 'binary') throw new ValidationFailure([validationError("'mode' must be one of ['text', 'binary']")]);
  const encoding: TcpEncoding = mode === 'binary' ? 'base64' : 'utf8';
  const endOfRequest = compileEndOfRequest(config.endOfRequestResolver, encoding, allowInjection, scripts);
  const resolver = config.endOfRequestResolver;
  delete config.mode;
  delete config.endOfRequestResolver;
  config.mode = mode;
  if (resolver !== undefined) config.endOfRequestResolver = resolver;
  return adapterFor({ encoding, endOfRequest });
}

export const tcpProtocol: ProtocolAdapter = adapterFor({ encoding: 'utf8', endOfRequest: EVERY_PACKET });
