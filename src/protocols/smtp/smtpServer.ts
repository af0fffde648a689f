// Serves one smtp imposter: accepts every message (no authentication needed, STARTTLS with the
// generated certificate), records it as a request and answers `250 OK: message queued`, as
// mountebank does. Stubs and responses have no say over smtp.
import type { ListenOptions, ProtocolServer, RequestHandler } from '../../contracts/index.js';
import type { Socket } from 'node:net';
import { defaultCertificate } from '../https/defaultCertificate.js';
import { listenError } from '../serverLifecycle.js';
import { createSmtpRequest } from './smtpRequest.js';
import { portOf } from '../../model/boundPort.js';

export async function listenSmtp(handler: RequestHandler, options: ListenOptions): Promise<ProtocolServer> {
  // Loaded by the first smtp imposter, not at startup (mailparser alone takes ~370 ms to import).
  const [{ simpleParser }, { SMTPServer }, { key, cert }] = await Promise.all([import('mailparser'), import('smtp-server'), defaultCertificate()]);
  const server = new SMTPServer({
    authOptional: true,
    disableReverseLookup: true,
    maxAllowedUnauthenticatedCommands: 1000,
    logger: false,
    key,
    cert,
    closeTimeout: 1_000,
    onConnect(session, callback) {
      if (options.allowAddress(session.remoteAddress)) return callback();
      handler.log.warn(`Blocking incoming connection from ${session.remoteAddress}. Turn off --localOnly or add to --ipWhitelist to allow`);
      return callback(new Error('connection refused'));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          const request = createSmtpRequest(session, mail);
          if (handler.log.isInfoEnabled()) {
            handler.log.info(`${request.requestFrom} => Envelope from: ${JSON.stringify(request.envelopeFrom)} to: ${JSON.stringify(request.envelopeTo)}`);
          }
          await handler.handle(request);
          callback();
        })
        .catch((err: Error) => {
          handler.log.error(`${session.remoteAddress} X=> ${err.message}`);
          callback(err);
        });
    },
  });
  server.on('error', (err) => handler.log.error(`smtp error: ${err.message}`));
  const sockets = new Set<Socket>();
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => reject(listenError(err, options.port));
    server.server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.server.off('error', onError);
      resolve({
        port: portOf(server.server.address()),
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
