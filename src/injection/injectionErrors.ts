// How a failed script reaches the user: mountebank's `invalid injection` error (a 500 at request
// time, with the function's source and what went wrong as `data`); the imposter logs it with the stub.
import { StandinError, validationError } from '../model/errors.js';
import { InjectionSyntaxError, InjectionTimeoutError } from './sandbox.js';

/** `what` is mountebank's name for the injection point, e.g. 'response injection'. */
export function injectionFailure(what: string, source: string, err: unknown): StandinError {
  const data = err instanceof InjectionTimeoutError ? `${what} ${err.message}` : err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new StandinError('invalid injection', `invalid ${what}`, undefined, { source, data });
}

/** A function that does not compile is refused when the imposter is created (mountebank finds out per request). */
export function syntaxFailure(what: string, err: unknown, source: unknown): StandinError {
  const reason = err instanceof InjectionSyntaxError ? err.message : String(err);
  return validationError(`the ${what} does not compile: ${reason}`, source);
}
