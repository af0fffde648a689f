// The http protocol as the core sees it.
import type { ProtocolAdapter } from '../../contracts/index.js';
import { cloneJson } from '../../model/cloneJson.js';
import type { HttpRequest } from '../../model/request.js';
import { isPlainObject } from '../../model/plainObject.js';
import { compileHttpReply, isHttpReply, replyForLog } from './httpReply.js';
import { compileHttpTemplatedReply } from './httpTemplatedReply.js';
import { listenHttp } from './httpServer.js';

const testRequest: HttpRequest = { requestFrom: '', method: 'GET', path: '/', query: {}, headers: {}, body: '', ip: '' };

/**
 * The response object as mountebank's http server leaves it after writing it: its own `headers`
 * object gains `Connection: close` when it has none, and a `Content-Length` is set to the body's
 * byte length; the rest is as resolved (an object body stays an object).
 */
export function describeHttpResponse(resolved: unknown): unknown {
  const response = cloneJson(resolved);
  if (!isPlainObject(response) || !isPlainObject(response.headers)) return response;
  const headers = response.headers;
  const names = Object.keys(headers);
  if (!names.some((name) => name.toLowerCase() === 'connection')) headers.Connection = 'close';
  const contentLength = names.find((name) => name.toLowerCase() === 'content-length');
  if (contentLength !== undefined) {
    const body = response.body || '';
    const text = typeof body === 'object' ? JSON.stringify(body, null, 4) : String(body);
    headers[contentLength] = Buffer.byteLength(text, response._mode === 'binary' ? 'base64' : 'utf8');
  }
  return response;
}

export const httpProtocol: ProtocolAdapter = {
  name: 'http',
  testRequest,
  compileReply: compileHttpReply,
  compileTemplatedReply: compileHttpTemplatedReply,
  describeReply(reply: unknown) {
    if (!isHttpReply(reply)) return reply;
    const { statusCode, headers, body } = replyForLog(reply);
    return { statusCode, headers, body };
  },
  describeResponse: describeHttpResponse,
  listen: listenHttp,
};
