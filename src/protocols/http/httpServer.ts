// Serves one http (or https) imposter: reads the body, builds mountebank's request, asks the
// imposter, writes the compiled reply. The imposter's sockets are tracked so closing frees the port
// at once.
import type { ListenOptions, Outcome, ProtocolServer, RequestHandler } from '../../contracts/index.js';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type https from 'node:https';
import { StandinError } from '../../model/errors.js';
import type { HttpRequest } from '../../model/request.js';
import { applyFault } from '../faults.js';
import { guardConnections, startListening } from '../serverLifecycle.js';
import { createHttpRequest } from './httpRequest.js';
import { replyForLog, type HttpReply } from './httpReply.js';
import { answerTooLarge, BodyTooLargeError, decodeBody, declaresTooLarge } from './requestBody.js';

const NO_BODY: Buffer = Buffer.alloc(0);

/** Options shared by the http and https servers. */
export const HTTP_SERVER_OPTIONS = { requestTimeout: 0, keepAliveTimeout: 5_000 } as const;

export function listenHttp(handler: RequestHandler, options: ListenOptions): Promise<ProtocolServer> {
  return serveHttp(http.createServer(HTTP_SERVER_OPTIONS), handler, options);
}

/** Serves an imposter on a server made by node's http or https module (same request events). */
export function serveHttp(server: http.Server | https.Server, handler: RequestHandler, options: ListenOptions): Promise<ProtocolServer> {
  const sockets = guardConnections(server, handler.log, options);
  // Long `wait` behaviors must not be cut by node's timeouts (mountebank sets timeout 0 too).
  server.timeout = 0;
  server.headersTimeout = 60_000;

  const limit = options.bodyLimit;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    // No body coming (the usual GET): answer now, without stream listeners; node drains the rest.
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
      respond(handler, req, res, createHttpRequest(req, NO_BODY));
      return;
    }
    if (declaresTooLarge(req, limit)) {
      refuseTooLarge(handler, req, res, new BodyTooLargeError(limit, BODY_LIMIT_FLAG));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      // Past the limit: nothing more is kept, and the client is told at once.
      req.off('data', onData);
      chunks.length = 0;
      refuseTooLarge(handler, req, res, new BodyTooLargeError(limit, BODY_LIMIT_FLAG));
    };
    req.on('data', onData);
    req.on('end', () => {
      if (size > limit) return;
      const body = chunks.length === 0 ? NO_BODY : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
      const encoding = req.headers['content-encoding'];
      if (encoding === undefined || body.length === 0) {
        respond(handler, req, res, createHttpRequest(req, body));
        return;
      }
      decodeBody(body, encoding, limit, BODY_LIMIT_FLAG).then(
        (decoded) => respond(handler, req, res, createHttpRequest(req, body, decoded)),
        (err) => refuseTooLarge(handler, req, res, err),
      );
    });
  });

  return startListening(server, options, sockets);
}

function respond(handler: RequestHandler, req: IncomingMessage, res: ServerResponse, request: HttpRequest): void {
  const log = handler.log;
  if (log.isInfoEnabled()) {
    log.info(`${request.requestFrom} => ${request.method} ${req.url ?? request.path}`);
    if (log.isDebugEnabled()) log.debug(`${request.requestFrom} => ${JSON.stringify(request)}`);
  }
  if (req.headers['x-rift-debug'] !== undefined && handler.debugAnswer && asksForDebug(req.headers['x-rift-debug'])) {
    writeDebug(handler, res, request);
    return;
  }
  let outcome: Outcome | Promise<Outcome>;
  try {
    outcome = handler.handle(request);
  } catch (err) {
    writeError(handler, res, request, err);
    return;
  }
  if (outcome instanceof Promise) {
    outcome.then(
      (o) => deliver(handler, req, res, request, o),
      (err) => writeError(handler, res, request, err),
    );
  } else {
    deliver(handler, req, res, request, outcome);
  }
}

function deliver(handler: RequestHandler, req: IncomingMessage, res: ServerResponse, request: HttpRequest, outcome: Outcome): void {
  if (outcome.delayMs > 0) {
    handler.log.debug(`Waiting ${outcome.delayMs} ms...`);
    setTimeout(() => write(handler, req, res, request, outcome), outcome.delayMs);
  } else {
    write(handler, req, res, request, outcome);
  }
}

function write(handler: RequestHandler, req: IncomingMessage, res: ServerResponse, request: HttpRequest, outcome: Outcome): void {
  if (outcome.fault !== undefined && applyFault(handler.log, req.socket, outcome.fault)) return;
  const reply = outcome.reply as HttpReply;
  const headers = handler.allowCORS && request.method === 'OPTIONS' ? withCors(reply.headers, request) : reply.headers;
  // writeHead before end keeps mountebank's chunked framing when no Content-Length is set.
  res.writeHead(reply.statusCode, headers);
  if (reply.chunks) writeChunks(res, reply.chunks);
  else res.end(reply.body);
  if (handler.log.isDebugEnabled()) handler.log.debug(`${request.requestFrom} <= ${JSON.stringify(replyForLog(reply))}`);
}

/**
 * The socket is corked so the parts go out in one writev instead of being copied together, and
 * end() uncorks it. Not res.cork(): from Node 22 on, a corked response holds chunks back until its
 * uncork while end() writes the terminating chunk at once, so the body would arrive after it.
 * No socket yet (an earlier pipelined answer is still going out): node queues the parts itself.
 */
function writeChunks(res: ServerResponse, chunks: readonly Buffer[]): void {
  const socket = res.socket;
  socket?.cork();
  for (const chunk of chunks) res.write(chunk);
  res.end();
  socket?.uncork();
}

/** mountebank answers a CORS preflight only when all three of its headers are present. */
function withCors(headers: string[], request: HttpRequest): string[] {
  const h = lowerCaseHeaders(request.headers);
  const allowHeaders = h['access-control-request-headers'];
  const allowMethods = h['access-control-request-method'];
  const origin = h['origin'];
  if (!allowHeaders || !allowMethods || !origin) return headers;
  return [...headers, 'Access-Control-Allow-Headers', allowHeaders, 'Access-Control-Allow-Methods', allowMethods, 'Access-Control-Allow-Origin', origin];
}

function lowerCaseHeaders(headers: HttpRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

/** Rift's `X-Rift-Debug: true` or `1`, any case. */
function asksForDebug(value: string | string[] | undefined): boolean {
  const text = (Array.isArray(value) ? (value[0] ?? '') : (value ?? '')).trim().toLowerCase();
  return text === 'true' || text === '1';
}

function writeDebug(handler: RequestHandler, res: ServerResponse, request: HttpRequest): void {
  const failed = (err: unknown): void => {
    handler.log.error(`debug matching failed: ${err instanceof Error ? err.message : String(err)}`);
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code: 'internal error', message: 'Debug matching failed' }] }));
  };
  let answer: unknown;
  try {
    answer = handler.debugAnswer!(request);
  } catch (err) {
    failed(err);
    return;
  }
  // Under --workers or --fleet, the preview of a stub that cycles reads the shared position.
  if (answer instanceof Promise) answer.then((resolved) => writeDebugAnswer(res, resolved), failed);
  else writeDebugAnswer(res, answer);
}

function writeDebugAnswer(res: ServerResponse, answer: unknown): void {
  const body = JSON.stringify(answer, null, 2);
  res.writeHead(200, { 'Content-Type': 'application/json', 'X-Rift-Debug-Response': 'true', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** The flag that raises the limit on imposters' request bodies, named in the 413 answer. */
export const BODY_LIMIT_FLAG = '--bodyLimit';

function refuseTooLarge(handler: RequestHandler, req: IncomingMessage, res: ServerResponse, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  handler.log.warn(`${req.socket.remoteAddress}:${req.socket.remotePort} => ${req.method} ${req.url}: 413, ${message}`);
  answerTooLarge(req, res, JSON.stringify({ errors: [{ code: 'payload too large', message }] }, null, 2));
}

/** mountebank's answer to a request that failed: the error line, and a 500 with the error envelope in one line of JSON. */
function writeError(handler: RequestHandler, res: ServerResponse, request: HttpRequest, err: unknown): void {
  const body = err instanceof StandinError ? err.toJSON() : { message: err instanceof Error ? err.message : String(err) };
  const json = JSON.stringify(body);
  handler.log.error(`${request.requestFrom} X=> ${json}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(500, { 'content-type': 'application/json' });
  res.end(`{"errors":[${json}]}`);
}
