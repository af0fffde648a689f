// Sends one request to an origin through a keep-alive undici pool and collects the answer as
// received: status, raw header names and values (case and repetition kept), body bytes. Redirects
// are not followed, bodies are not decoded. TLS certificates are not checked unless asked (as
// mountebank's proxies; Imposter-config passthrough asks).
import type { Dispatcher, Pool } from 'undici';
import { lazyModule } from '../model/lazyModule.js';
import { StandinError } from '../model/errors.js';
import type { Upstreams, UpstreamRequest, UpstreamResponse, UpstreamTls } from '../contracts/index.js';
import { errorCode } from '../model/caughtError.js';

// Loaded by the first proxied request, not at startup (undici takes ~150 ms to import).
const undici = lazyModule<typeof import('undici')>('undici');

export type { UpstreamRequest, UpstreamResponse, UpstreamTls } from '../contracts/index.js';

/**
 * The upstream pools of one standin instance: one pool per origin, TLS settings and timeout,
 * shared by every proxy of the instance. No answer (a connection, headers, or the next body
 * chunk) within `timeoutMs` is a failed proxy call. close() ends every pool and its sockets.
 */
export class UpstreamPools implements Upstreams {
  private readonly pools = new Map<string, Pool>();
  private closed = false;

  send(origin: string, tls: UpstreamTls, timeoutMs: number, request: UpstreamRequest, wholeExchange = false): Promise<UpstreamResponse> {
    return sendUpstream(this.poolFor(origin, tls, timeoutMs), request, wholeExchange ? timeoutMs : 0);
  }

  private poolFor(origin: string, tls: UpstreamTls, timeoutMs: number): Pool {
    const key = JSON.stringify([origin, tls.verify === true, tls.cert, tls.key, tls.passphrase, tls.ciphers, tls.secureProtocol, timeoutMs]);
    let pool = this.pools.get(key);
    if (!pool) {
      // A request still resolving as the instance closes gets a closed-pool error, not a new pool nobody closes.
      if (this.closed) throw new StandinError('invalid proxy', 'standin is closing');
      const { Pool } = undici();
      pool = new Pool(origin, {
        connect: {
          rejectUnauthorized: tls.verify === true,
          cert: tls.cert,
          key: tls.key,
          passphrase: tls.passphrase,
          ciphers: tls.ciphers ?? 'ALL',
          secureProtocol: tls.secureProtocol,
        },
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        connectTimeout: timeoutMs,
      });
      this.pools.set(key, pool);
    }
    return pool;
  }

  /** Closes every pool, dropping idle sockets (they would keep the process alive). */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(all.map((p) => p.close().catch(() => undefined)));
  }
}

/** The whole exchange outlived its time limit (`send` with `wholeExchange`). */
export class UpstreamDeadlineError extends Error {
  readonly code = 'UPSTREAM_DEADLINE';
  constructor(readonly timeoutMs: number) {
    super(`no complete answer within ${timeoutMs} ms`);
    this.name = 'UpstreamDeadlineError';
  }
}

/**
 * `deadlineMs` (0 = none) bounds the whole exchange (connect, headers and the last body byte) on
 * an ordinary timer, so it fires on time: undici's own timeouts restart with every chunk and have
 * a coarse resolution for long values.
 */
function sendUpstream(pool: Pool, request: UpstreamRequest, deadlineMs: number): Promise<UpstreamResponse> {
  return new Promise((resolve, reject) => {
    let statusCode = 0;
    let rawHeaders: string[] = [];
    const chunks: Buffer[] = [];
    let settled = false;
    let abort: ((err?: Error) => void) | undefined;
    let deadline: NodeJS.Timeout | undefined;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      reject(err);
    };
    if (deadlineMs > 0) {
      deadline = setTimeout(() => {
        const err = new UpstreamDeadlineError(deadlineMs);
        fail(err);
        abort?.(err);
      }, deadlineMs);
    }
    const handler: Dispatcher.DispatchHandlers = {
      onConnect(abortRequest: (err?: Error) => void) {
        abort = abortRequest;
        // Dispatched only after the deadline passed (it waited for a connection): drop it.
        if (settled) abortRequest(new UpstreamDeadlineError(deadlineMs));
      },
      onError(err: Error) {
        fail(err);
      },
      onUpgrade() {},
      onHeaders(status: number, headers: Buffer[] | string[] | null) {
        // 1xx informational answers are not the response.
        if (status < 200) return true;
        statusCode = status;
        rawHeaders = (headers ?? []).map((h) => h.toString('latin1'));
        return true;
      },
      onData(chunk: Buffer) {
        chunks.push(chunk);
        return true;
      },
      onComplete() {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        resolve({ statusCode, rawHeaders, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks) });
      },
    };
    try {
      // Any method is forwarded, as mountebank does; undici's type lists only the common ones.
      pool.dispatch({ method: request.method as Dispatcher.HttpMethod, path: request.path, headers: request.headers, body: request.body }, handler);
    } catch (err) {
      fail(err);
    }
  });
}

/** mountebank's `invalid proxy` errors, by the failure's code. */
export function proxyError(err: unknown, to: string, timeoutMs: number): StandinError {
  const code = errorCode(err) ?? '';
  const target = JSON.stringify(to);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new StandinError('invalid proxy', `Cannot resolve ${target}`);
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new StandinError('invalid proxy', `No response from ${target} within ${timeoutMs} ms`);
  }
  if (
    code === 'ECONNREFUSED' ||
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'UND_ERR_SOCKET' ||
    code === 'UND_ERR_CLOSED' ||
    code === 'EHOSTUNREACH' ||
    code === 'ENETUNREACH'
  ) {
    return new StandinError('invalid proxy', `Unable to connect to ${target}`);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new StandinError('invalid proxy', `Unable to proxy to ${target}: ${message}`);
}
