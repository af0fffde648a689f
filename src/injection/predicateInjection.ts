// The `inject` predicate: `function (config, logger, state)` (or the old `function (request,
// logger)`) returning truthy to match. Synchronous, as in mountebank; a throw or a loop fails the
// request with `invalid predicate injection`.
import type { ProtocolRequest } from '../model/request.js';
import { injectionConfig } from './injectionConfig.js';
import { deferCompileFailure, injectionFailure } from './injectionErrors.js';
import { compileScript, runSync, type ScriptFunction } from './sandbox.js';
import type { ScriptScope } from './scriptScope.js';

export function compilePredicateInjection(source: string, predicate: Record<string, unknown>, scope: ScriptScope): (request: ProtocolRequest) => boolean {
  let fn: ScriptFunction;
  try {
    fn = compileScript(source, 'predicate injection');
  } catch (err) {
    fn = deferCompileFailure(scope, 'inject predicate', err);
  }
  return (request) => {
    const config = injectionConfig(request, { state: scope.state, logger: scope.logger });
    try {
      return Boolean(runSync(fn, [config, scope.logger, scope.state], scope.timeoutMs, scope.stallMs));
    } catch (err) {
      throw injectionFailure('predicate injection', source, err);
    }
  };
}
