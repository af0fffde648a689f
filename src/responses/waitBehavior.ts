// The `wait` behavior: a number of milliseconds, or (with --allowInjection) a JavaScript function
// returning one. As mountebank, a string is read with parseInt first and only run when it is not a number.
// Rift adds two object forms: `{"min": N, "max": M}` (uniform, a new draw per request) and
// `{"inject": "function () {...}"}` (the function form).
import { compileScript, deferCompileFailure, injectionFailure, runSync, type ScriptScope } from '../injection/index.js';
import { StandinError, validationError } from '../model/errors.js';
import { isPlainObject } from '../model/plainObject.js';
import type { BehaviorStep } from './behaviorStep.js';
import type { FlowScripts } from '../contracts/index.js';
import { compileRhaiBehavior } from './rhaiBehaviorCompile.js';
import { rhaiWaitStep } from './rhaiBehavior.js';
import { INJECTION_MESSAGE } from '../injection/index.js';

/** A `wait` after validation: fixed milliseconds, a uniform range, or a function's source (JavaScript or Rhai). */
export type WaitShape =
  | { readonly kind: 'fixed'; readonly ms: number }
  | { readonly kind: 'range'; readonly min: number; readonly max: number }
  | { readonly kind: 'function'; readonly source: string };

/** A function is refused without --allowInjection. */
export function validateWait(value: unknown, allowInjection: boolean, source: unknown): WaitShape {
  if (isPlainObject(value)) return validateWaitObject(value, allowInjection, source);
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Number.parseInt(value, 10) : NaN;
  if (typeof value === 'string' && Number.isNaN(ms)) return waitFunction(value, allowInjection, source);
  if (!Number.isInteger(ms) || ms < 0) {
    throw validationError('wait behavior "wait" field must be an integer greater than or equal to 0', source);
  }
  return { kind: 'fixed', ms };
}

function validateWaitObject(value: Record<string, unknown>, allowInjection: boolean, source: unknown): WaitShape {
  if (typeof value.inject === 'string') return waitFunction(value.inject, allowInjection, source);
  const { min, max } = value;
  const whole = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (!whole(min) || !whole(max) || max < min) {
    throw validationError(
      'wait behavior "wait" as an object is {"min": N, "max": M}, whole milliseconds with 0 <= N <= M (or {"inject": "function () {...}"})',
      source,
    );
  }
  return min === max ? { kind: 'fixed', ms: min } : { kind: 'range', min, max };
}

function waitFunction(fnSource: string, allowInjection: boolean, source: unknown): WaitShape {
  if (!allowInjection) throw new StandinError('invalid injection', INJECTION_MESSAGE, source);
  return { kind: 'function', source: fnSource };
}

/** A fixed wait gives its milliseconds; a range or a function gives a step that decides each time. */
export function compileWait(wait: WaitShape, scope: ScriptScope, source: unknown, flows?: FlowScripts): number | BehaviorStep {
  if (wait.kind === 'fixed') return wait.ms;
  if (wait.kind === 'function') return compileWaitFunction(wait.source, scope, source, flows);
  const { min } = wait;
  const span = wait.max - min + 1;
  return (_request, response) => delay(min + Math.floor(Math.random() * span), response);
}

function compileWaitFunction(fnSource: string, scope: ScriptScope, source: unknown, flows: FlowScripts | undefined): BehaviorStep {
  let fn;
  try {
    fn = compileScript(fnSource, 'wait injection');
  } catch (err) {
    // Not a JavaScript function: Rhai's delay(ctx) (or its body alone), as Rift reads it.
    const rhai = compileRhaiBehavior(fnSource, flows, 'delay', source, scope.stallMs);
    if (rhai?.kind === 'ctx') return rhaiWaitStep(rhai, scope, flows);
    fn = deferCompileFailure(scope, 'wait function', err);
  }
  return (_request, response) => {
    let ms: number;
    try {
      ms = Number(runSync(fn, [], scope.timeoutMs, scope.stallMs));
    } catch (err) {
      throw injectionFailure('wait injection', fnSource, err);
    }
    return delay(Number.isFinite(ms) && ms > 0 ? ms : 0, response);
  };
}

export function delay<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}
