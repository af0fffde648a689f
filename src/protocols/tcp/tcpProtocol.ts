// The tcp protocol as the core sees it: `mode` (text or binary) and `endOfRequestResolver` are
// read once per imposter and bound into its adapter.
import type { Log } from '../../logging/logger.js';
import { ValidationFailure, validationError } from '../../model/errors.js';
import type { ProtocolAdapter } from '../protocol.js';
import { compileEndOfRequest, EVERY_PACKET, type EndOfRequest } from './endOfRequest.js';
import { compileTcpProxy } from './tcpProxy.js';
import { compileTcpReply, type TcpEncoding, type TcpReply } from './tcpReply.js';
import { listenTcp } from './tcpServer.js';

export interface TcpSettings {
  encoding: TcpEncoding;
  endOfRequest: EndOfRequest;
  /** The imposter's log, once it listens (the proxy's end-of-request rule logs through it). */
  log: Log;
}

const SILENT: Log = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  isDebugEnabled: () => false,
  isInfoEnabled: () => false,
};

function adapterFor(settings: TcpSettings): ProtocolAdapter {
  return {
    name: 'tcp',
    // Binary mode: predicates compare base64-decoded bytes and refuse matches/xpath/jsonpath.
    predicateEncoding: settings.encoding,
    testRequest: { requestFrom: '', ip: '', data: 'test' },
    compileReply: (is, defaults, source) => compileTcpReply(is, defaults, settings.encoding, source),
    describeReply: (reply) => ({ data: (reply as TcpReply).data.toString(settings.encoding) }),
    listen: (handler, options) => listenTcp(handler, options, settings),
    compileProxy: (config, context, repeat, delayMs) => compileTcpProxy(config, context, repeat, delayMs, settings),
    configure,
  };
}

/** Validates `mode` and `endOfRequestResolver` and echoes them as mountebank does (`mode` always). */
function configure(config: Record<string, unknown>, { allowInjection }: { allowInjection: boolean }): ProtocolAdapter {
  const mode = config.mode ?? 'text';
  if (mode !== 'text' && mode !== 'binary') throw new ValidationFailure([validationError("'mode' must be one of ['text', 'binary']")]);
  const endOfRequest = compileEndOfRequest(config.endOfRequestResolver, allowInjection);
  const resolver = config.endOfRequestResolver;
  delete config.mode;
  delete config.endOfRequestResolver;
  config.mode = mode;
  if (resolver !== undefined) config.endOfRequestResolver = resolver;
  return adapterFor({ encoding: mode === 'binary' ? 'base64' : 'utf8', endOfRequest, log: SILENT });
}

export const tcpProtocol: ProtocolAdapter = adapterFor({ encoding: 'utf8', endOfRequest: EVERY_PACKET, log: SILENT });
