// Test helpers that talk to real servers over real sockets on 127.0.0.1.
import http from 'node:http';
import net from 'node:net';

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Header names as the server sent them, name/value pairs flattened as node gives them. */
  rawHeaders: string[];
  body: string;
  bodyBytes: Buffer;
  json<T = any>(): T;
}

export interface HttpOptions {
  headers?: Record<string, string | string[]>;
  body?: string | Buffer | object;
  timeoutMs?: number;
  /** The client socket's own address (to call from a non-loopback address of this machine). */
  localAddress?: string;
}

// Ports come from below the kernel's ephemeral range (32768+ here), so an outgoing client
// connection can never be holding the number a test is about to listen on; each test process
// starts in its own block (by pid) and never hands out a number twice, so two test files running
// side by side do not pick the same port between the check and the listen.
const PORT_LOW = 10_000;
const PORT_HIGH = 32_000;
const BLOCK = 100;
let nextPort = PORT_LOW + ((process.pid * 7919) % ((PORT_HIGH - PORT_LOW) / BLOCK)) * BLOCK;

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free TCP port on 127.0.0.1, not handed out before by this process. */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < PORT_HIGH - PORT_LOW; tries++) {
    const port = nextPort;
    nextPort = nextPort + 1 >= PORT_HIGH ? PORT_LOW : nextPort + 1;
    if (await canListen(port)) return port;
  }
  throw new Error('no free port below the ephemeral range');
}

export function request(method: string, url: string, options: HttpOptions = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    let payload: Buffer | undefined;
    if (options.body !== undefined) {
      payload = Buffer.isBuffer(options.body) ? options.body : Buffer.from(typeof options.body === 'string' ? options.body : JSON.stringify(options.body));
    }
    const headers: Record<string, string | string[] | number> = { ...(options.headers ?? {}) };
    if (payload && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-length')) {
      headers['Content-Length'] = payload.length;
    }
    const req = http.request(url, { method, headers, agent: false, localAddress: options.localAddress }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const bodyBytes = Buffer.concat(chunks);
        const body = bodyBytes.toString('utf8');
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          rawHeaders: res.rawHeaders,
          body,
          bodyBytes,
          json: () => JSON.parse(body),
        });
      });
    });
    req.setTimeout(options.timeoutMs ?? 10_000, () => req.destroy(new Error(`timeout: ${method} ${url}`)));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

export const get = (url: string, options?: HttpOptions) => request('GET', url, options);
export const post = (url: string, body: unknown, options: HttpOptions = {}) => request('POST', url, { ...options, body: body as object });
export const put = (url: string, body: unknown, options: HttpOptions = {}) => request('PUT', url, { ...options, body: body as object });
export const del = (url: string, options?: HttpOptions) => request('DELETE', url, options);
