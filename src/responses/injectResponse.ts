// An `inject` response: `function (config)` (config = {request, state, logger, callback}, plus
// the request's fields) or the old `function (request, state, logger, callback)` returns the
// response, returns a promise of it, or returns nothing and calls `callback` later. The result
// goes through the behaviors and the same defaults as an `is` response.
import type { CompiledBehaviors, Outcome, ResolveScope, ResponseContext, ResponseKind, ResponseObject, ResponseResolver } from '../contracts/index.js';
import { compileScript, deferCompileFailure, INJECTION_MESSAGE, injectionConfig, injectionFailure, runWithCallback } from '../injection/index.js';
import { StandinError, validationError } from '../model/errors.js';
import type { EchoedResponse } from '../model/echoedDefinition.js';
import type { ProtocolRequest } from '../model/request.js';
import { isPlainObject } from '../model/plainObject.js';

/** An `inject` response after validation: the function's source. */
export interface InjectShape {
  readonly kind: 'inject';
  readonly source: string;
}

declare module '../contracts/index.js' {
  interface ResponseShapes {
    inject: InjectShape;
  }
}

export const injectKind: ResponseKind<'inject'> = {
  key: 'inject',
  public: true,
  takesCommonFields: true,
  validate(config, context) {
    if (!context.allowInjection) throw new StandinError('invalid injection', INJECTION_MESSAGE, config);
    const source = config.inject;
    if (typeof source !== 'string') throw validationError("'inject' must be a string holding a JavaScript function", config);
    return { kind: 'inject', source };
  },
  compile: ({ source }, config, context, { repeat, behaviors }) => compileInjectResponse(source, config, context, repeat, behaviors),
};

function compileInjectResponse(
  source: string,
  config: EchoedResponse,
  context: ResponseContext,
  repeat: number,
  behaviors: CompiledBehaviors,
): ResponseResolver {
  const scope = context.scripts;
  let fn;
  try {
    fn = compileScript(source, 'response injection');
  } catch (err) {
    fn = deferCompileFailure(scope, 'inject function', err);
  }

  const resolve = async (request: ProtocolRequest, stub: ResolveScope): Promise<Outcome> => {
    let injected: unknown;
    try {
      injected = await runWithCallback(
        fn,
        (callback) => {
          const injectConfig = injectionConfig(request, { state: scope.state, logger: scope.logger, callback });
          // (config, injectState, logger, callback, imposterState): the old positional interface too.
          return [injectConfig, scope.legacyState, scope.logger, callback, scope.state];
        },
        scope.timeoutMs,
        scope.stallMs,
      );
    } catch (err) {
      throw injectionFailure('response injection', source, err);
    }
    let response: ResponseObject = isPlainObject(injected) ? injected : {};
    if (behaviors.run) response = await behaviors.run(request, response, stub);
    const resolved = response;
    return { reply: context.protocol.compileReply(response, context.defaultResponse, config), delayMs: behaviors.delayMs, response: () => resolved };
  };
  return { config, repeat, resolve };
}
