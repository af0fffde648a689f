// A client of the admin API over loopback HTTP, for the programmatic API and `standin save`.
// No keep-alive agent: a closed standin leaves no pooled socket behind in the caller's process.
import http from 'node:http';
import { isErrorCode, StandinError, ValidationFailure } from '../model/errors.js';
import { isPlainObject } from '../model/plainObject.js';

interface AdminAnswer {
  status: number;
  text: string;
}

export interface AdminClient {
  /** Sends one request; resolves with the status and body text, whatever the status. */
  send(method: string, path: string, body?: unknown): Promise<AdminAnswer>;
  /** Sends one request and parses the JSON answer; a 4xx/5xx becomes the error the API reported. */
  json<T>(method: string, path: string, body?: unknown): Promise<T>;
}

export function createAdminClient(baseUrl: string, apikey: string | undefined): AdminClient {
  const send = (method: string, path: string, body?: unknown): Promise<AdminAnswer> =>
    new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const headers: Record<string, string | number> =
        data === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) };
      if (apikey) headers['x-api-key'] = apikey;
      const req = http.request(`${baseUrl}${path}`, { method, headers, agent: false }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(data);
    });

  return {
    send,
    async json<T>(method: string, path: string, body?: unknown): Promise<T> {
      const answer = await send(method, path, body);
      if (answer.status >= 400) throw errorFromAnswer(method, path, answer);
      // The shape of this route's answer, which the caller names: the one place it is asserted.
      return JSON.parse(answer.text) as T;
    },
  };
}

/** mountebank's envelope `{"errors":[...]}` as the error it describes: one StandinError, or all of them. */
function errorFromAnswer(method: string, path: string, answer: AdminAnswer): Error {
  let errors: Record<string, unknown>[] = [];
  try {
    const parsed: unknown = JSON.parse(answer.text);
    if (isPlainObject(parsed) && Array.isArray(parsed.errors)) errors = parsed.errors.filter(isPlainObject);
  } catch {
    // not the envelope: described below with the raw text
  }
  const toError = ({ code, message, source, ...extra }: Record<string, unknown>): StandinError =>
    new StandinError(isErrorCode(code) ? code : 'bad data', typeof message === 'string' ? message : '', source, extra).withStatus(answer.status);
  if (errors.length > 1) return new ValidationFailure(errors.map(toError));
  if (errors.length === 1) return toError(errors[0]!);
  return new StandinError('bad data', `${method} ${path} answered ${answer.status}: ${answer.text}`).withStatus(answer.status);
}
