// One exchange with a tcp origin: connect, send the request's bytes, collect the answer until the
// end-of-request rule says it is whole (default: the first packet), then close, unless `keepalive`
// keeps the connection for the next request (mountebank opens one per request and, with
// keepalive, never closes it; standin reuses it).
import net, { type Socket } from 'node:net';
import type { Log } from '../../logging/logger.js';
import { StandinError } from '../../model/errors.js';
import { proxyError } from '../../proxy/upstreamClient.js';
import type { EndOfRequest } from './endOfRequest.js';

export interface TcpTarget {
  /** As the user wrote it, for error messages: `tcp://host:port`. */
  text: string;
  host: string;
  port: number;
}

export class TcpOrigin {
  private readonly idle: Socket[] = [];

  constructor(
    private readonly target: TcpTarget,
    private readonly keepalive: boolean,
    private readonly endOfRequest: EndOfRequest,
    private readonly timeoutMs: number,
  ) {}

  exchange(payload: Buffer, log: Log): Promise<Buffer> {
    const socket = this.idle.pop() ?? this.connect();
    socket.ref();
    return new Promise<Buffer>((resolve, reject) => {
      const packets: Buffer[] = [];
      const finish = (err: StandinError | null, answer: Buffer) => {
        clearTimeout(timer);
        socket.off('data', onData);
        socket.off('end', onEnd);
        socket.off('error', onError);
        if (err === null && this.keepalive && !socket.destroyed && socket.readyState === 'open') this.park(socket);
        else socket.destroy();
        if (err) reject(err);
        else resolve(answer);
      };
      const onData = (packet: Buffer) => {
        packets.push(packet);
        const bytes = packets.length === 1 ? packet : Buffer.concat(packets);
        if (this.endOfRequest(bytes)) finish(null, bytes);
      };
      // The origin hung up before the rule was met: its answer is what it sent.
      const onEnd = () => finish(null, Buffer.concat(packets));
      const onError = (err: Error) => {
        log.error(`Proxy ${this.target.host}:${this.target.port} transmission error X=> ${err.message}`);
        finish(proxyError(err, this.target.text, this.timeoutMs), Buffer.alloc(0));
      };
      const timer = setTimeout(
        () => finish(new StandinError('invalid proxy', `No response from ${JSON.stringify(this.target.text)} within ${this.timeoutMs} ms`), Buffer.alloc(0)),
        this.timeoutMs,
      );
      socket.on('data', onData);
      socket.once('end', onEnd);
      socket.once('error', onError);
      socket.write(payload);
    });
  }

  private connect(): Socket {
    const socket = net.connect({ host: this.target.host, port: this.target.port });
    // An idle keepalive connection may fail or be closed by the origin: it just leaves the pool
    // (errors during an exchange are reported by the exchange's own listener).
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const index = this.idle.indexOf(socket);
      if (index !== -1) this.idle.splice(index, 1);
    });
    return socket;
  }

  /** Keeps a keepalive connection for the next request; an idle one never keeps the process alive. */
  private park(socket: Socket): void {
    socket.unref();
    this.idle.push(socket);
  }
}
