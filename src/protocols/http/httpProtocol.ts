// The http protocol as the core sees it.
import type { ProtocolAdapter } from '../../contracts/index.js';
import type { HttpRequest } from '../../model/request.js';
import { compileHttpReply, type HttpReply } from './httpReply.js';
import { compileHttpTemplatedReply } from './httpTemplatedReply.js';
import { listenHttp } from './httpServer.js';

const testRequest: HttpRequest = { requestFrom: '', method: 'GET', path: '/', query: {}, headers: {}, body: '', ip: '' };

export const httpProtocol: ProtocolAdapter = {
  name: 'http',
  testRequest: testRequest as unknown as Record<string, unknown>,
  compileReply: compileHttpReply,
  compileTemplatedReply: compileHttpTemplatedReply,
  describeReply(reply: unknown) {
    const r = reply as HttpReply;
    const headers: Record<string, string | string[]> = {};
    for (let i = 0; i < r.headers.length; i += 2) {
      const name = r.headers[i]!;
      const value = r.headers[i + 1]!;
      const existing = headers[name];
      headers[name] = existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
    }
    return { statusCode: r.statusCode, headers, body: r.body.toString('utf8') };
  },
  listen: listenHttp,
};
