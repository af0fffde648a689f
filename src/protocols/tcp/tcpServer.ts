// Serves one tcp imposter: packets become requests (`{requestFrom, ip, data}`) where the
// end-of-request rule says so, each is answered with the stub's bytes, in order per connection.
// Errors (a failed proxy, say) are written on the socket as mountebank's JSON error envelope.
import type { ListenOptions, Outcome, ProtocolServer, RequestHandler } from '../../contracts/index.js';
import net, { type Socket } from 'node:net';
import { StandinError } from '../../model/errors.js';
import { describeBytes } from '../http/requestBody.js';
import { applyFault } from '../faults.js';
import { guardConnections, startListening } from '../serverLifecycle.js';
import type { TcpSettings } from './tcpSettings.js';
import type { TcpReply } from './tcpReply.js';

const LOGGED_CHARS = 20;

export type TcpRequest = { requestFrom: string; ip: string; data: string; timestamp?: string };

export function listenTcp(handler: RequestHandler, options: ListenOptions, settings: TcpSettings): Promise<ProtocolServer> {
  // Half-open: a client that sends and then shuts its side (`printf x | nc -N`) still gets the
  // answer; the connection is ended once every pending answer is written.
  const server = net.createServer({ allowHalfOpen: true });
  const sockets = guardConnections(server, handler.log, options);
  server.on('connection', (socket: Socket) => {
    if (!socket.destroyed) serveConnection(socket, handler, settings, options.bodyLimit);
  });
  return startListening(server, options, sockets);
}

function serveConnection(socket: Socket, handler: RequestHandler, settings: TcpSettings, limit: number): void {
  const requestFrom = `${socket.remoteAddress}:${socket.remotePort}`;
  const ip = socket.remoteAddress ?? '';
  let packets: Buffer[] = [];
  let size = 0;
  // Answers go out in the order the requests came, even when one waits or proxies.
  let answered: Promise<void> = Promise.resolve();

  socket.on('error', (err) => handler.log.debug(`${requestFrom} transmission error X=> ${err.message}`));
  socket.on('data', (packet: Buffer) => {
    packets.push(packet);
    size += packet.length;
    if (size > limit) {
      // A request that never ends (by the endOfRequestResolver) must not hold memory without bound.
      handler.log.warn(`${requestFrom} sent more than ${describeBytes(limit)} without completing a request; closing the connection (--bodyLimit)`);
      packets = [];
      socket.destroy();
      return;
    }
    const bytes = packets.length === 1 ? packet : Buffer.concat(packets, size);
    if (!settings.endOfRequest(bytes)) return;
    packets = [];
    size = 0;
    const request: TcpRequest = { requestFrom, ip, data: bytes.toString(settings.encoding) };
    if (handler.log.isInfoEnabled()) {
      const shown = request.data.length > LOGGED_CHARS ? `${request.data.slice(0, LOGGED_CHARS)}...` : request.data;
      handler.log.info(`${requestFrom} => ${shown}`);
      if (handler.log.isDebugEnabled()) handler.log.debug(`${requestFrom} => ${JSON.stringify(request.data)}`);
    }
    answered = answered.then(() => answer(socket, handler, request, settings.encoding));
  });
  socket.on('end', () => {
    void answered.then(() => socket.end());
  });
}

async function answer(socket: Socket, handler: RequestHandler, request: TcpRequest, encoding: BufferEncoding): Promise<void> {
  let outcome: Outcome;
  try {
    outcome = await handler.handle(request);
  } catch (err) {
    writeError(socket, handler, request, err);
    return;
  }
  if (outcome.delayMs > 0) {
    handler.log.debug(`Waiting ${outcome.delayMs} ms...`);
    await new Promise((resolve) => setTimeout(resolve, outcome.delayMs));
  }
  if (socket.destroyed) return;
  if (outcome.fault !== undefined && applyFault(handler.log, socket, outcome.fault)) return;
  const { data } = outcome.reply as TcpReply;
  if (data.length > 0) {
    socket.write(data);
    if (handler.log.isDebugEnabled()) handler.log.debug(`${request.requestFrom} <= ${JSON.stringify(data.toString(encoding))}`);
  }
}

function writeError(socket: Socket, handler: RequestHandler, request: TcpRequest, err: unknown): void {
  const body = err instanceof StandinError ? err.toJSON() : { message: err instanceof Error ? err.message : String(err) };
  handler.log.error(`${request.requestFrom} X=> ${JSON.stringify(body)}`);
  if (!socket.destroyed) socket.write(JSON.stringify({ errors: [body] }), 'utf8');
}
