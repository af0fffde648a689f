// `passthrough: <upstream>`: forwards the request as received (method, raw path and query,
// headers, body bytes) to the upstream through the shared undici pools and answers with the
// upstream's status, headers and body bytes. Hop-by-hop headers are dropped both ways; redirects
// are returned, not followed; nothing is decoded. Any transport failure or timeout is a 502.
import type { Outcome } from '../contracts/index.js';
import { RAW_HTTP, type HttpRequest } from '../model/request.js';
import type { HttpReply } from '../model/reply.js';
import type { Log } from '../logging/logger.js';
import type { Upstreams, UpstreamResponse, UpstreamTls } from '../contracts/index.js';
import { formatGoMillis } from './goDuration.js';
import { joinUpstreamPath, type UpstreamTarget } from './upstreamUrl.js';
import { errorCode } from '../model/caughtError.js';

/** The seed's list (RFC 2616 §13.5.1 plus Accept-Encoding and Host), lower-cased. */
export const HOP_BY_HOP = new Set([
  'accept-encoding',
  'host',
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailers',
  'transfer-encoding',
  'upgrade',
]);
/**
 * Also not forwarded to the upstream: `Trailer` (the header's real name), `Expect` (undici
 * refuses it; the body is already here) and `Content-Length` (undici sets it from the buffered
 * body). X-Forwarded-Host/Proto and Via are replaced when forwarded headers are on.
 */
const ALSO_NOT_SENT = new Set(['trailer', 'expect', 'content-length']);
const FORWARDED = new Set(['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'via']);

export interface PassthroughSettings {
  upstream: string;
  target: UpstreamTarget;
  timeoutMs: number;
  /** IMPOSTER_PASSTHROUGH_FORWARDED_HEADERS=true. */
  forwardedHeaders: boolean;
  /** An https upstream's certificate is checked unless IMPOSTER_PASSTHROUGH_TLS_VERIFY=false. */
  verifyTls: boolean;
}

const NO_BODY = Buffer.alloc(0);
const VERIFY: UpstreamTls = { verify: true };
const NO_VERIFY: UpstreamTls = {};
/** A passthrough's outcome: always an http reply. */
type PassthroughOutcome = Outcome & { reply: HttpReply };

const FAILED: PassthroughOutcome = {
  reply: { statusCode: 502, headers: ['Content-Length', '23'], body: Buffer.from('Upstream request failed') },
  delayMs: 0,
};

export async function forward(upstreams: Upstreams, settings: PassthroughSettings, request: HttpRequest, log: Log | undefined): Promise<PassthroughOutcome> {
  const raw = request[RAW_HTTP] ?? { url: request.path, rawHeaders: [], body: NO_BODY };
  const path = joinUpstreamPath(settings.target, raw.url);
  const name = JSON.stringify(settings.upstream);
  log?.info(`forwarding to upstream ${name} - method:${request.method}, url:${settings.target.origin}${path}`);
  const started = performance.now();
  let upstream: UpstreamResponse;
  try {
    upstream = await upstreams.send(
      settings.target.origin,
      settings.verifyTls ? VERIFY : NO_VERIFY,
      settings.timeoutMs,
      { method: request.method, path, headers: requestHeaders(settings, raw.rawHeaders, request.ip), body: raw.body.length > 0 ? raw.body : null },
      true,
    );
  } catch (err) {
    log?.error(`passthrough to ${name} failed: ${describe(err, settings.timeoutMs)}`);
    return FAILED;
  }
  log?.info(`upstream ${name} responded - status:${upstream.statusCode}, length:${upstream.body.length}, took:${formatGoMillis(performance.now() - started)}`);
  return { reply: { statusCode: upstream.statusCode, headers: withoutHopByHop(upstream.rawHeaders), body: upstream.body }, delayMs: 0 };
}

/** Headers named in `Connection` are hop-by-hop too (RFC 7230 §6.1). */
function connectionTokens(rawHeaders: string[]): Set<string> | undefined {
  let tokens: Set<string> | undefined;
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() !== 'connection') continue;
    for (const token of rawHeaders[i + 1]!.split(',')) {
      const t = token.trim().toLowerCase();
      if (t) (tokens ??= new Set()).add(t);
    }
  }
  return tokens;
}

function requestHeaders(settings: PassthroughSettings, rawHeaders: string[], clientIp: string): string[] {
  const named = connectionTokens(rawHeaders);
  const headers: string[] = [];
  const forwardedFor: string[] = [];
  let originalHost = '';
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!;
    const lower = name.toLowerCase();
    if (lower === 'host') originalHost = rawHeaders[i + 1]!;
    if (HOP_BY_HOP.has(lower) || ALSO_NOT_SENT.has(lower) || named?.has(lower)) continue;
    if (settings.forwardedHeaders && FORWARDED.has(lower)) {
      if (lower === 'x-forwarded-for') forwardedFor.push(rawHeaders[i + 1]!);
      continue;
    }
    headers.push(name, rawHeaders[i + 1]!);
  }
  headers.push('Host', settings.target.host);
  if (settings.forwardedHeaders) {
    const ip = clientIp.startsWith('::ffff:') ? clientIp.slice(7) : clientIp;
    forwardedFor.push(ip);
    headers.push('X-Forwarded-For', forwardedFor.join(', '));
    headers.push('X-Forwarded-Host', originalHost);
    headers.push('X-Forwarded-Proto', 'http');
    headers.push('Via', '1.1 imposter');
  }
  return headers;
}

function withoutHopByHop(rawHeaders: string[]): string[] {
  const named = connectionTokens(rawHeaders);
  const headers: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    const lower = rawHeaders[i]!.toLowerCase();
    if (HOP_BY_HOP.has(lower) || lower === 'trailer' || named?.has(lower)) continue;
    headers.push(rawHeaders[i]!, rawHeaders[i + 1]!);
  }
  return headers;
}

function describe(err: unknown, timeoutMs: number): string {
  const code = errorCode(err) ?? '';
  if (code === 'UPSTREAM_DEADLINE' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return `no response within ${formatGoMillis(timeoutMs)} (${code})`;
  }
  const message = err instanceof Error ? err.message : String(err);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}
