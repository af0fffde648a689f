// The `wait` behavior: a number of milliseconds, or (with --allowInjection) a JavaScript function
// returning one. As mountebank, a string is read with parseInt first and only run when it is not a number.
import { compileScript, deferCompileFailure, injectionFailure, runSync, type ScriptScope } from '../injection/index.js';
import { StandinError, validationError } from '../model/errors.js';
import type { BehaviorStep } from './behaviorStep.js';
import { INJECTION_MESSAGE } from '../injection/index.js';

/** A fixed wait gives its milliseconds; a function gives a step that asks it each time. */
export function compileWait(value: unknown, scope: ScriptScope | undefined, source: unknown): number | BehaviorStep {
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Number.parseInt(value, 10) : NaN;
  if (typeof value === 'string' && Number.isNaN(ms)) {
    if (!scope) throw new StandinError('invalid injection', INJECTION_MESSAGE, source);
    return compileWaitFunction(value, scope, source);
  }
  if (!Number.isInteger(ms) || ms < 0) {
    throw validationError('wait behavior "wait" field must be an integer greater than or equal to 0', source);
  }
  return ms;
}

function compileWaitFunction(fnSource: string, scope: ScriptScope, source: unknown): BehaviorStep {
  let fn;
  try {
    fn = compileScript(fnSource, 'wait injection');
  } catch (err) {
    fn = deferCompileFailure(scope, 'wait function', err);
  }
  return (_request, response) => {
    let ms: number;
    try {
      ms = Number(runSync(fn, [], scope.timeoutMs));
    } catch (err) {
      throw injectionFailure('wait injection', fnSource, err);
    }
    return delay(Number.isFinite(ms) && ms > 0 ? ms : 0, response);
  };
}

export function delay<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}
