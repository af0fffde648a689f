// Where one tcp request ends. mountebank's default is every packet (`data` event) on its own;
// `endOfRequestResolver: {inject: "function (requestData, logger) {...}"}` decides instead, seeing
// the packets so far (a string in text mode, a Buffer in binary). The same rule tells the tcp
// proxy when the origin's answer is complete.
import type { Log } from '../../logging/logger.js';
import { StandinError, validationError } from '../../model/errors.js';
import { isPlainObject } from '../../model/types.js';
import { INJECTION_MESSAGE } from '../../responses/behaviors.js';

/** True when `data` (every packet since the last request) is a whole request. */
export type EndOfRequest = (data: Buffer, log: Log) => boolean;

export const EVERY_PACKET: EndOfRequest = () => true;

export function compileEndOfRequest(value: unknown, allowInjection: boolean): EndOfRequest {
  if (value === undefined || value === null) return EVERY_PACKET;
  if (!isPlainObject(value) || (value.inject !== undefined && typeof value.inject !== 'string')) {
    throw validationError("'endOfRequestResolver' must be an object such as {\"inject\": \"function (requestData, logger) { return true; }\"}", value);
  }
  if (value.inject === undefined) return EVERY_PACKET;
  if (!allowInjection) throw new StandinError('invalid injection', INJECTION_MESSAGE, value);
  throw validationError('endOfRequestResolver injection is not supported by this version of standin yet', value);
}
