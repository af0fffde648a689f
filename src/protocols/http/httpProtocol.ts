// The http protocol as the core sees it.
import type { ProtocolAdapter } from '../../contracts/index.js';
import type { HttpRequest } from '../../model/request.js';
import { compileHttpReply, replyForLog, type HttpReply } from './httpReply.js';
import { compileHttpTemplatedReply } from './httpTemplatedReply.js';
import { listenHttp } from './httpServer.js';

const testRequest: HttpRequest = { requestFrom: '', method: 'GET', path: '/', query: {}, headers: {}, body: '', ip: '' };

export const httpProtocol: ProtocolAdapter = {
  name: 'http',
  testRequest: testRequest as unknown as Record<string, unknown>,
  compileReply: compileHttpReply,
  compileTemplatedReply: compileHttpTemplatedReply,
  describeReply(reply: unknown) {
    const { statusCode, headers, body } = replyForLog(reply as HttpReply);
    return { statusCode, headers, body };
  },
  listen: listenHttp,
};
