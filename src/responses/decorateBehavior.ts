// The `decorate` behavior: `function (config)` with config = {request, response, logger, state}
// (or the old `function (request, response, logger)`) changes `config.response` in place or
// returns a new response. Runs under the injection time limit; a throw or a loop fails the
// request with `invalid decorator injection`.
import { compileScript, deferCompileFailure, INJECTION_MESSAGE, injectionConfig, injectionFailure, runSync, type ScriptScope } from '../injection/index.js';
import { StandinError } from '../model/errors.js';
import { isPlainObject } from '../model/plainObject.js';
import { BehaviorFields } from './behaviorFields.js';
import type { BehaviorStep } from './behaviorStep.js';
import type { FlowScripts } from '../contracts/index.js';
import { compileRhaiBehavior } from './rhaiBehaviorCompile.js';
import { rhaiDecorateStep } from './rhaiBehavior.js';

/** The function's source (JavaScript, or Rhai); refused without --allowInjection. */
export function validateDecorate(value: unknown, allowInjection: boolean, source: unknown): string {
  if (!allowInjection) throw new StandinError('invalid injection', INJECTION_MESSAGE, source);
  return new BehaviorFields('decorate', source).requiredString(value, 'decorate', 'a JavaScript function');
}

export function compileDecorate(fnSource: string, scope: ScriptScope, source: unknown, flows?: FlowScripts): BehaviorStep {
  let fn;
  try {
    fn = compileScript(fnSource, 'decorator injection');
  } catch (err) {
    // Not a JavaScript function: Rhai, as Rift reads it (`response.body = "x" + request.path;`, or transform(ctx)).
    const rhai = compileRhaiBehavior(fnSource, flows, 'transform', source, scope.stallMs);
    if (rhai) return rhaiDecorateStep(rhai, scope, flows);
    fn = deferCompileFailure(scope, 'decorate function', err);
  }
  return (request, response) => {
    const config = injectionConfig(request, { response, logger: scope.logger, state: scope.state });
    let result: unknown;
    try {
      result = runSync(fn, [config, response, scope.logger], scope.timeoutMs, scope.stallMs);
    } catch (err) {
      throw injectionFailure('decorator injection', fnSource, err);
    }
    // mountebank uses whatever truthy value comes back; only an object can be a response.
    return isPlainObject(result) ? result : response;
  };
}
