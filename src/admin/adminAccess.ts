// Who may use the admin API and from which web pages: --apikey (an `x-api-key` header on every
// request, else 401) and --origin (CORS headers for that one origin), as mountebank applies them.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Log } from '../logging/logger.js';
import { StandinError } from '../model/errors.js';
import { AdminReply, errorReply } from './adminHttp.js';

export interface AdminAccessOptions {
  apikey?: string;
  origin?: string;
}

export interface AdminAccess {
  /** Headers every admin answer carries (CORS, when --origin is set). */
  readonly headers: Record<string, string>;
  /** The answer to a CORS preflight, or undefined when `req` is not one. */
  preflight(req: IncomingMessage): AdminReply | undefined;
  /** A 401 when --apikey is set and `req` does not carry it, else undefined. */
  refuse(req: IncomingMessage, log: Log): AdminReply | undefined;
}

const UNAUTHORIZED = 'If you set the apiKey option, make sure you are sending the correct apiKey in the x-api-key header.';
/** What the `cors` package mountebank uses allows by default. */
const PREFLIGHT_METHODS = 'GET,HEAD,PUT,PATCH,POST,DELETE';

// Both sides hashed so the comparison takes the same time whatever the lengths.
const digest = (text: string): Buffer => createHash('sha512').update(text).digest();

export function createAdminAccess(options: AdminAccessOptions): AdminAccess {
  const origin = options.origin;
  const headers: Record<string, string> = origin ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : {};
  const expected = options.apikey ? digest(options.apikey) : undefined;

  return {
    headers,

    preflight(req) {
      if (!origin || req.method !== 'OPTIONS' || req.headers['access-control-request-method'] === undefined) return undefined;
      const preflightHeaders: Record<string, string> = {
        'Access-Control-Allow-Origin': origin,
        Vary: 'Origin, Access-Control-Request-Headers',
        'Access-Control-Allow-Methods': PREFLIGHT_METHODS,
      };
      const asked = req.headers['access-control-request-headers'];
      if (asked) preflightHeaders['Access-Control-Allow-Headers'] = asked;
      return new AdminReply(204, undefined, preflightHeaders);
    },

    refuse(req, log) {
      if (!expected) return undefined;
      const given = req.headers['x-api-key'];
      if (typeof given !== 'string' || given === '') {
        log.error('The x-api-key header is required but was not provided');
      } else if (!timingSafeEqual(digest(given), expected)) {
        log.error('The x-api-key header value does not match the expected API key');
      } else {
        return undefined;
      }
      return errorReply(new StandinError('unauthorized', UNAUTHORIZED));
    },
  };
}
