// How a failed script reaches the user: mountebank's `invalid injection` error (a 500 at request
// time, with the function's source and what went wrong as `data`); the imposter logs it with the stub.
import { StandinError } from '../model/errors.js';
import { InjectionTimeoutError, type ScriptFunction } from './sandbox.js';
import type { ScriptScope } from './scriptScope.js';

/** `what` is mountebank's name for the injection point, e.g. 'response injection'. */
export function injectionFailure(what: string, source: string, err: unknown): StandinError {
  const data = err instanceof InjectionTimeoutError ? `${what} ${err.message}` : err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return new StandinError('invalid injection', `invalid ${what}`, undefined, { source, data });
}

/**
 * A script that does not compile is accepted, as mountebank accepts it (it compiles a script only
 * when a request reaches it). The reason goes to `scope.compileWarnings`, which the imposter logs
 * with the stub's index, and the function returned throws it on every call, so the request that
 * reaches the script fails with that injection point's usual error. Any script language can
 * defer its compile errors this way.
 */
export function deferCompileFailure(scope: ScriptScope, what: string, err: unknown): ScriptFunction {
  const reason = err instanceof Error ? err.message : String(err);
  scope.compileWarnings.push(`the ${what} does not compile: ${reason}; accepted as mountebank accepts it, and each request that reaches it fails`);
  const failure = new SyntaxError(reason);
  return () => {
    throw failure;
  };
}
