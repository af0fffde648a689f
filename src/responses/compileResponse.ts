// Turns one canonical response definition into something that answers a request without
// re-reading configuration: static replies are built here, once.
import { cloneJson } from '../model/cloneJson.js';
import { StandinError, validationError } from '../model/errors.js';
import type { ProtocolRequest } from '../model/request.js';
import { isPlainObject } from '../model/types.js';
import type { Outcome, ProtocolAdapter } from '../protocols/protocol.js';
import type { ScriptScope } from '../injection/index.js';
import { compileImposterResponse } from '../imposterConfig/imposterResponse.js';
import { compileProxyResponse } from '../proxy/proxyResponse.js';
import { compileTemplatedIs, compileTemplatedIsObject } from '../templates/templatedResponse.js';
import { INJECTION_MESSAGE } from '../injection/index.js';
import { compileBehaviors, type CompiledBehaviors } from './behaviors.js';
import { compileInjectResponse } from './injectResponse.js';

export interface ResponseContext {
  protocol: ProtocolAdapter;
  defaultResponse: Record<string, unknown> | undefined;
  allowInjection: boolean;
  /** How long a proxy waits for its origin, in milliseconds. */
  proxyTimeout: number;
  /** The imposter's injection scope: script state, logger, time limit. */
  scripts: ScriptScope;
}

export interface CompiledResponse {
  /** The canonical definition, echoed in the imposter's JSON. */
  readonly config: Record<string, unknown>;
  /** How many times in a row the response is served before the stub moves on (`repeat`). */
  readonly repeat: number;
  /** `recorder` and `stub` let a proxy save what the origin answered next to the stub that proxied. */
  resolve(request: ProtocolRequest, recorder: ProxyRecorder, stub: object): Outcome | Promise<Outcome>;
}

/** Where a proxy response saves the origin's answers (the imposter). */
export interface ProxyRecorder {
  recordProxyResponse(
    proxyStub: object,
    mode: 'proxyOnce' | 'proxyAlways',
    predicates: Record<string, unknown>[],
    response: Record<string, unknown>,
  ): void;
}

const RESPONSE_TYPES = ['is', 'proxy', 'inject', 'fault'] as const;

export function compileResponse(config: unknown, context: ResponseContext): CompiledResponse {
  if (!isPlainObject(config)) throw validationError('each response must be an object', config);
  // Hook for the Imposter-config front door (src/imposterConfig/): its resources answer with `_imposter`.
  if (config._imposter !== undefined) return compileImposterResponse(config, context);
  // A null type (`"proxy": null`, emitted by some generators) means the type is absent.
  const types = RESPONSE_TYPES.filter((t) => config[t] !== undefined && config[t] !== null);
  if (types.length === 0) throw validationError('unrecognized response type', config);
  if (types.length > 1) throw validationError('each response object must have only one response type', config);

  const repeat = compileRepeat(config.repeat, config);
  const behaviors = compileBehaviors(config.behaviors, context, config);
  const { delayMs } = behaviors;

  switch (types[0]) {
    case 'is': {
      if (!isPlainObject(config.is)) throw validationError("'is' must be an object", config);
      if (behaviors.run) return compileTransformedIs(config, context, repeat, behaviors);
      const templated = compileTemplatedIs(config.is, context, config);
      if (templated) return { config, repeat, resolve: (request) => ({ reply: templated(request), delayMs }) };
      const outcome: Outcome = { reply: context.protocol.compileReply(config.is, context.defaultResponse, config), delayMs };
      return { config, repeat, resolve: () => outcome };
    }
    case 'fault': {
      if (typeof config.fault !== 'string') throw validationError("'fault' must be a string", config);
      // Unknown faults fall back to the default response, as mountebank does; behaviors do not run.
      const outcome: Outcome = { reply: context.protocol.compileReply({}, context.defaultResponse, config), fault: config.fault, delayMs: 0 };
      return { config, repeat, resolve: () => outcome };
    }
    case 'inject':
      if (!context.allowInjection) throw new StandinError('invalid injection', INJECTION_MESSAGE, config);
      return compileInjectResponse(config, context, repeat, behaviors);
    default:
      // tcp brings its own proxy.
      return (context.protocol.compileProxy ?? compileProxyResponse)(config, context, repeat, behaviors);
  }
}

/** An `is` response with behaviors that change it: a copy of `is` goes through them per request. */
function compileTransformedIs(
  config: Record<string, unknown>,
  context: ResponseContext,
  repeat: number,
  behaviors: CompiledBehaviors,
): CompiledResponse {
  const is = config.is as Record<string, unknown>;
  const run = behaviors.run!;
  const render = compileTemplatedIsObject(is, context, config);
  const toOutcome = (response: Record<string, unknown>): Outcome => ({
    reply: context.protocol.compileReply(response, context.defaultResponse, config),
    delayMs: 0,
  });
  const resolve = (request: ProtocolRequest): Outcome | Promise<Outcome> => {
    const response = run(request, render ? render(request) : cloneJson(is));
    return response instanceof Promise ? response.then(toOutcome) : toOutcome(response);
  };
  return { config, repeat, resolve };
}

function compileRepeat(value: unknown, source: unknown): number {
  if (value === undefined) return 1;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw validationError('"repeat" field must be an integer greater than 0', source);
  }
  return value;
}
