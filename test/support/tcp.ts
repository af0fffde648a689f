// A tcp client for tests: real sockets on 127.0.0.1, reads with generous timeouts.
import net from 'node:net';

export class TcpClient {
  private received: Buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;
  error: NodeJS.ErrnoException | null = null;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      this.wake();
    });
    socket.on('error', (err) => {
      this.error = err;
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  static connect(port: number): Promise<TcpClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        socket.off('error', reject);
        resolve(new TcpClient(socket));
      });
      socket.once('error', reject);
    });
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Resolves with (and consumes) what arrived once at least `bytes` bytes are there. */
  async read(bytes = 1, timeoutMs = 5_000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < bytes) {
      if (this.error) throw this.error;
      if (this.closed) throw new Error(`connection closed after ${this.received.length} of ${bytes} bytes`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout: ${this.received.length} of ${bytes} bytes`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const out = this.received;
    this.received = Buffer.alloc(0);
    return out;
  }

  /** Waits `ms` and returns whatever arrived meanwhile (empty when the server stayed silent). */
  async idle(ms: number): Promise<Buffer> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    const out = this.received;
    this.received = Buffer.alloc(0);
    return out;
  }

  /** Resolves once the server has closed or reset the connection. */
  async closedByServer(timeoutMs = 5_000): Promise<NodeJS.ErrnoException | null> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('the server kept the connection open');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.error;
  }

  /** Shuts the sending side (FIN) and keeps reading. */
  endWrite(): void {
    this.socket.end();
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

/** Connects, sends, reads one answer (at least `bytes` bytes), closes. */
export async function tcpExchange(port: number, data: string | Buffer, bytes = 1): Promise<Buffer> {
  const client = await TcpClient.connect(port);
  try {
    client.write(data);
    return await client.read(bytes);
  } finally {
    client.close();
  }
}
