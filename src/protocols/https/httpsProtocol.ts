// The https protocol: the http adapter (requests, replies, proxies, recording) on a TLS server.
import type { ListenOptions, ProtocolAdapter, ProtocolServer, RequestHandler } from '../../contracts/index.js';
import https from 'node:https';
import type { Socket } from 'node:net';
import { httpProtocol } from '../http/httpProtocol.js';
import { HTTP_SERVER_OPTIONS, serveHttp } from '../http/httpServer.js';
import { defaultCertificate } from './defaultCertificate.js';
import { compileHttpsSettings, type HttpsSettings } from './httpsSettings.js';

function bound(settings: HttpsSettings, echo: Record<string, unknown>): ProtocolAdapter {
  return { ...httpsProtocol, configure: undefined, listen: (handler, options) => listenHttps(handler, options, settings, echo) };
}

export const httpsProtocol: ProtocolAdapter = {
  ...httpProtocol,
  name: 'https',
  configure: (config) => bound(compileHttpsSettings(config), config),
  listen: (handler, options) => listenHttps(handler, options, compileHttpsSettings({}), {}),
};

/** `echo` is the imposter's printed config: it shows the generated pair when the imposter has none. */
async function listenHttps(handler: RequestHandler, options: ListenOptions, settings: HttpsSettings, echo: Record<string, unknown>): Promise<ProtocolServer> {
  let { key, cert } = settings;
  if (key === undefined || cert === undefined) {
    ({ key, cert } = await defaultCertificate());
    echo.key = key;
    echo.cert = cert;
  }
  const server = https.createServer({
    ...HTTP_SERVER_OPTIONS,
    key,
    cert,
    ca: settings.ca,
    ciphers: settings.ciphers,
    requestCert: settings.mutualAuth,
    // node checks client certificates only when it asks for them.
    rejectUnauthorized: settings.mutualAuth && settings.rejectUnauthorized,
  });
  server.on('tlsClientError', (err: Error, socket: Socket) => {
    handler.log.warn(`${socket.remoteAddress}:${socket.remotePort} TLS handshake refused: ${err.message}`);
  });
  return serveHttp(server, handler, options);
}
