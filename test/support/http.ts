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

/** A free TCP port on 127.0.0.1 (bind 0, read, release). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function request(method: string, url: string, options: HttpOptions = {}): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    let payload: Buffer | undefined;
    if (options.body !== undefined) {
      payload = Buffer.isBuffer(options.body)
        ? options.body
        : Buffer.from(typeof options.body === 'string' ? options.body : JSON.stringify(options.body));
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
export const post = (url: string, body: unknown, options: HttpOptions = {}) =>
  request('POST', url, { ...options, body: body as object });
export const put = (url: string, body: unknown, options: HttpOptions = {}) =>
  request('PUT', url, { ...options, body: body as object });
export const del = (url: string, options?: HttpOptions) => request('DELETE', url, options);
