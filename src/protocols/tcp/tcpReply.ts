// Compiles a tcp `is` response into the bytes written on the socket, once, when the stub is
// created: mountebank's `is.data || defaultResponse.data || ''`, text as utf8, binary as base64.
import { validationError } from '../../model/errors.js';
import { isObjectLike } from '../../model/plainObject.js';

export type TcpEncoding = 'utf8' | 'base64';

export interface TcpReply {
  /** Empty: nothing is written and the connection stays open (mountebank). */
  data: Buffer;
}

export const isTcpReply = (reply: unknown): reply is TcpReply => isObjectLike(reply) && Buffer.isBuffer(reply.data);

export function compileTcpReply(is: Record<string, unknown>, defaults: Record<string, unknown> | undefined, encoding: TcpEncoding, source: unknown): TcpReply {
  const value = is.data || defaults?.data || '';
  // An injected response may hand back bytes (mountebank uses a Buffer as it is).
  if (Buffer.isBuffer(value)) return { data: value };
  if (typeof value === 'number' || typeof value === 'boolean') return { data: Buffer.from(String(value), 'utf8') };
  if (typeof value !== 'string') {
    throw validationError(`a tcp response's 'data' must be a string (${encoding === 'base64' ? 'base64, in binary mode' : 'text'})`, source);
  }
  return { data: Buffer.from(value, encoding) };
}
