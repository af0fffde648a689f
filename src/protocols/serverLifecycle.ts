// What every imposter server does with its sockets, whatever it speaks: refuse addresses that
// --localOnly/--ipWhitelist exclude, track the rest so closing frees the port at once, and turn a
// failed listen into the admin API's error.
import type { ListenOptions, ProtocolServer } from '../contracts/index.js';
import type net from 'node:net';
import type { Socket } from 'node:net';
import type { Log } from '../logging/logger.js';
import { StandinError } from '../model/errors.js';
import { portOf } from '../model/boundPort.js';

/** Register before the protocol's own 'connection' listener: it then sees only allowed sockets (check `destroyed`). */
export function guardConnections(server: net.Server, log: Log, options: ListenOptions): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    if (!options.allowAddress(socket.remoteAddress)) {
      log.warn(`Blocking incoming connection from ${socket.remoteAddress}. Turn off --localOnly or add to --ipWhitelist to allow`);
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // mountebank's connection lines, at debug level.
    if (log.isDebugEnabled()) {
      const name = `${socket.remoteAddress}:${socket.remotePort}`;
      log.debug(`${name} ESTABLISHED`);
      socket.once('end', () => log.debug(`${name} LAST-ACK`));
      socket.once('close', () => log.debug(`${name} CLOSED`));
    }
  });
  return sockets;
}

export function startListening(server: net.Server, options: ListenOptions, sockets: Set<Socket>): Promise<ProtocolServer> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => reject(listenError(err, options.port));
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve({
        port: portOf(server.address()),
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
          }),
      });
    });
  });
}

export function listenError(err: NodeJS.ErrnoException, port: number): StandinError {
  if (err.code === 'EADDRINUSE') return new StandinError('resource conflict', `port ${port} is already in use`, { port });
  if (err.code === 'EACCES') return new StandinError('insufficient access', `not allowed to listen on port ${port}`, { port });
  return new StandinError('cannot start server', err.message, { port });
}
