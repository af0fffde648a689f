// Raw HTTP/1.1 exchanges for tests that check the bytes on the wire: requests written to a plain
// or TLS socket, the answer read until the server closes, and a strict parser of response framing
// (chunk sizes, terminator, Content-Length) that refuses any byte out of place.
import net from 'node:net';
import tls from 'node:tls';

export interface RawResponse {
  statusCode: number;
  /** Header name/value pairs in the order and case they were sent. */
  headers: [string, string][];
  framing: 'chunked' | 'content-length' | 'close';
  /** The sizes of the chunks in order, the terminating 0 left out (chunked framing only). */
  chunkSizes: number[];
  body: Buffer;
}

/** Writes `request` as is and resolves with every byte the server sent until it closed. */
export function exchange(protocol: 'http' | 'https', port: number, request: string, timeoutMs = 10_000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const options = { host: '127.0.0.1', port };
    const socket = protocol === 'https' ? tls.connect({ ...options, rejectUnauthorized: false }) : net.connect(options);
    const received: Buffer[] = [];
    const timer = setTimeout(
      () => socket.destroy(new Error(`no close from the server within ${timeoutMs} ms; got ${JSON.stringify(Buffer.concat(received).toString('latin1'))}`)),
      timeoutMs,
    );
    socket.once(protocol === 'https' ? 'secureConnect' : 'connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('end', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(received));
    });
  });
}

/** One connection kept open: each request waits for its complete answer before the next is sent. */
export class RawConnection {
  private received = Buffer.alloc(0);
  private ended = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      this.wake?.();
    });
    socket.on('end', () => {
      this.ended = true;
      this.wake?.();
    });
    socket.on('error', (err) => {
      this.failure = err;
      this.wake?.();
    });
  }

  static open(protocol: 'http' | 'https', port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const options = { host: '127.0.0.1', port };
      const socket = protocol === 'https' ? tls.connect({ ...options, rejectUnauthorized: false }) : net.connect(options);
      socket.once('error', reject);
      socket.once(protocol === 'https' ? 'secureConnect' : 'connect', () => {
        socket.off('error', reject);
        resolve(new RawConnection(socket));
      });
    });
  }

  /** Sends `request` and resolves with the next whole answer; throws if it is malformed. */
  async request(request: string, timeoutMs = 10_000): Promise<RawResponse> {
    this.socket.write(request);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.failure) throw this.failure;
      let parsed: [RawResponse, number] | undefined;
      let error: unknown;
      try {
        parsed = parseResponse(this.received, 0, 1);
      } catch (err) {
        error = err;
      }
      // A close-delimited answer is whole only once the server has closed.
      if (parsed && (parsed[0].framing !== 'close' || this.ended)) {
        this.received = this.received.subarray(parsed[1]);
        return parsed[0];
      }
      if (this.ended) throw error ?? new Error('the server closed the connection before answering');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no whole answer within ${timeoutMs} ms; got ${JSON.stringify(this.received.toString('latin1').slice(0, 300))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Resolves once the server has closed the connection, with whatever it sent after the last answer. */
  async leftover(timeoutMs = 10_000): Promise<Buffer> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended && !this.failure && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now());
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    if (!this.ended) throw this.failure ?? new Error(`the server did not close within ${timeoutMs} ms`);
    return this.received;
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Every response in `bytes`, in order; throws when the framing is broken or bytes are left over. */
export function parseResponses(bytes: Buffer): RawResponse[] {
  const responses: RawResponse[] = [];
  let at = 0;
  while (at < bytes.length) {
    const [response, next] = parseResponse(bytes, at, responses.length + 1);
    responses.push(response);
    at = next;
  }
  return responses;
}

function parseResponse(bytes: Buffer, start: number, n: number): [RawResponse, number] {
  const fail = (what: string, at: number): never => {
    const around = bytes.subarray(Math.max(start, at - 40), at + 40).toString('latin1');
    throw new Error(`response ${n}: ${what} at byte ${at - start}, near ${JSON.stringify(around)}`);
  };
  const headEnd = bytes.indexOf('\r\n\r\n', start, 'latin1');
  if (headEnd < 0) fail('no end of the header block', start);
  const [statusLine, ...lines] = bytes.subarray(start, headEnd).toString('latin1').split('\r\n');
  const status = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine!);
  if (!status) fail(`a status line was expected, got ${JSON.stringify(statusLine)}`, start);
  const headers = lines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    if (colon <= 0) fail(`a malformed header line ${JSON.stringify(line)}`, start);
    return [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
  const values = (name: string) => headers.filter(([h]) => h.toLowerCase() === name).map(([, v]) => v);
  const encoding = values('transfer-encoding');
  const length = values('content-length');
  let at = headEnd + 4;
  const response = { statusCode: Number(status![1]), headers, chunkSizes: [] as number[] };

  if (encoding.length > 0) {
    if (encoding.join(',').toLowerCase() !== 'chunked') fail(`an unexpected Transfer-Encoding ${encoding.join(', ')}`, start);
    if (length.length > 0) fail('both Transfer-Encoding and Content-Length', start);
    const parts: Buffer[] = [];
    for (;;) {
      const lineEnd = bytes.indexOf('\r\n', at, 'latin1');
      const sizeLine = lineEnd < 0 ? '' : bytes.subarray(at, lineEnd).toString('latin1');
      if (!/^[0-9a-f]+$/i.test(sizeLine)) fail(`a chunk size line was expected, got ${JSON.stringify(sizeLine)}`, at);
      const size = parseInt(sizeLine, 16);
      at = lineEnd + 2;
      if (size === 0) {
        if (bytes.subarray(at, at + 2).toString('latin1') !== '\r\n') fail('the terminating chunk is not followed by CRLF', at);
        return [{ ...response, framing: 'chunked', body: Buffer.concat(parts) }, at + 2];
      }
      if (at + size + 2 > bytes.length) fail(`a chunk of ${size} bytes runs past the end of what was sent`, at);
      parts.push(bytes.subarray(at, at + size));
      response.chunkSizes.push(size);
      at += size;
      if (bytes.subarray(at, at + 2).toString('latin1') !== '\r\n') fail('a chunk is not followed by CRLF', at);
      at += 2;
    }
  }
  if (length.length > 0) {
    if (length.length > 1 || !/^\d+$/.test(length[0]!)) fail(`a bad Content-Length ${length.join(', ')}`, start);
    const size = Number(length[0]);
    if (at + size > bytes.length) fail(`Content-Length ${size} but only ${bytes.length - at} bytes follow`, at);
    return [{ ...response, framing: 'content-length', body: bytes.subarray(at, at + size) }, at + size];
  }
  return [{ ...response, framing: 'close', body: bytes.subarray(at) }, bytes.length];
}
