// The request a dry run (POST /imposters/:id/test) evaluates: mountebank's request shape, with
// what the client leaves out filled in from the protocol's blank request, so `{"path": "/x"}` is
// a GET of /x. For http, a query string left in `path` and an object `body` are accepted too.
import type { Imposter } from '../../core/imposter.js';
import { validationError } from '../../model/errors.js';
import type { ProtocolRequest } from '../../model/request.js';
import { isPlainObject } from '../../model/plainObject.js';
import { parseQuery } from '../../protocols/http/httpRequest.js';

export function requestToTest(imposter: Imposter, body: unknown): ProtocolRequest {
  if (!isPlainObject(body) || !isPlainObject(body.request)) {
    throw validationError('the body must hold the request to test, e.g. {"request": {"method": "GET", "path": "/orders"}}');
  }
  const given = body.request;
  const request: ProtocolRequest = { ...structuredClone(imposter.protocol.testRequest), ...given };
  if (imposter.protocol.name !== 'http' && imposter.protocol.name !== 'https') return request;
  if (typeof request.path === 'string' && given.query === undefined) {
    const q = request.path.indexOf('?');
    if (q !== -1) {
      request.query = parseQuery(request.path.slice(q + 1));
      request.path = request.path.slice(0, q);
    }
  }
  if (request.body !== undefined && typeof request.body !== 'string') request.body = JSON.stringify(request.body);
  if (given.form === undefined && typeof request.body === 'string' && request.body !== '' && isFormPost(request.headers)) {
    request.form = parseQuery(request.body);
  }
  return request;
}

function isFormPost(headers: unknown): boolean {
  if (!isPlainObject(headers)) return false;
  const name = Object.keys(headers).find((key) => key.toLowerCase() === 'content-type');
  const value = name === undefined ? undefined : headers[name];
  return typeof value === 'string' && value.split(';')[0]!.trim().toLowerCase() === 'application/x-www-form-urlencoded';
}
