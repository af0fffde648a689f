// Where one tcp request ends. mountebank's default is every packet (`data` event) on its own;
// `endOfRequestResolver: {inject: "function (requestData, logger) {...}"}` decides instead, seeing
// the packets so far (a string in text mode, a Buffer in binary). The same rule tells the tcp
// proxy when the origin's answer is complete.
import { compileScript, deferCompileFailure, INJECTION_MESSAGE, runSync, type ScriptScope } from '../../injection/index.js';
import { StandinError, validationError } from '../../model/errors.js';
import { isPlainObject } from '../../model/plainObject.js';
import type { TcpEncoding } from './tcpReply.js';

/** True when `data` (every packet since the last request) is a whole request. */
export type EndOfRequest = (data: Buffer) => boolean;

export const EVERY_PACKET: EndOfRequest = () => true;

export function compileEndOfRequest(value: unknown, encoding: TcpEncoding, allowInjection: boolean, scripts: ScriptScope): EndOfRequest {
  if (value === undefined || value === null) return EVERY_PACKET;
  if (!isPlainObject(value) || (value.inject !== undefined && typeof value.inject !== 'string')) {
    throw validationError('\'endOfRequestResolver\' must be an object such as {"inject": "function (requestData, logger) { return true; }"}', value);
  }
  const source = value.inject;
  if (source === undefined) return EVERY_PACKET;
  if (!allowInjection) throw new StandinError('invalid injection', INJECTION_MESSAGE, value);
  let fn;
  try {
    fn = compileScript(source, 'endOfRequestResolver');
  } catch (err) {
    fn = deferCompileFailure(scripts, 'endOfRequestResolver function', err);
  }
  return (data) => {
    try {
      return Boolean(runSync(fn, [encoding === 'utf8' ? data.toString('utf8') : data, scripts.logger], scripts.timeoutMs, scripts.stallMs));
    } catch (err) {
      // mountebank: logged, and the request is not complete yet.
      scripts.log.error(`endOfRequestResolver injection X=> ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`);
      return false;
    }
  };
}
