// The `is` and `fault` response kinds. A static `is` becomes its final reply here, once; an `is`
// with templates or with behaviors that change it is rendered per request.
import type {
  CompiledBehaviors,
  IsRenderer,
  Outcome,
  ResolveScope,
  ResponseContext,
  ResponseKind,
  ResponseObject,
  ResponseResolver,
} from '../contracts/index.js';
import type { EchoedResponse } from '../model/echoedDefinition.js';
import { cloneJson } from '../model/cloneJson.js';
import { validationError } from '../model/errors.js';
import type { ProtocolRequest } from '../model/request.js';
import { isPlainObject } from '../model/plainObject.js';
import { compileTemplatedIs, compileTemplatedIsObject } from './templatedResponse.js';

/** An `is` response after validation. */
export interface IsShape {
  readonly kind: 'is';
  readonly is: ResponseObject;
}

declare module '../contracts/index.js' {
  interface ResponseShapes {
    is: IsShape;
    fault: FaultShape;
  }
}

export const isKind: ResponseKind<'is'> = {
  key: 'is',
  public: true,
  takesCommonFields: true,
  validate(config) {
    if (!isPlainObject(config.is)) throw validationError("'is' must be an object", config);
    return { kind: 'is', is: config.is };
  },
  compile({ is }, config, context, { repeat, behaviors }) {
    const { delayMs } = behaviors;
    const rendered = context.renderIs?.(is, config);
    if (rendered) return compileRenderedIs(rendered, config, context, repeat, behaviors);
    if (behaviors.run) return compileTransformedIs(is, config, context, repeat, behaviors);
    const templated = compileTemplatedIs(is, context, config);
    if (templated) return { config, repeat, resolve: (request) => ({ reply: templated(request), delayMs }) };
    const outcome: Outcome = { reply: context.protocol.compileReply(is, context.defaultResponse, config), delayMs, response: () => cloneJson(is) };
    return { config, repeat, resolve: () => outcome };
  },
};

/** A `fault` response after validation: the fault's name (unknown names fall back to the default response). */
export interface FaultShape {
  readonly kind: 'fault';
  readonly fault: string;
}

export const faultKind: ResponseKind<'fault'> = {
  key: 'fault',
  public: true,
  takesCommonFields: true,
  validate(config) {
    if (typeof config.fault !== 'string') throw validationError("'fault' must be a string", config);
    return { kind: 'fault', fault: config.fault };
  },
  compile({ fault }, config, context, { repeat }) {
    // Unknown faults fall back to the default response, as mountebank does; behaviors do not run.
    const outcome: Outcome = {
      reply: context.protocol.compileReply({}, context.defaultResponse, config),
      fault,
      delayMs: 0,
      response: () => cloneJson(config),
    };
    return { config, repeat, resolve: () => outcome };
  },
};

/** An `is` an extension renders per request (Rift's templates), then its behaviors. */
function compileRenderedIs(
  render: IsRenderer,
  config: EchoedResponse,
  context: ResponseContext,
  repeat: number,
  behaviors: CompiledBehaviors,
): ResponseResolver {
  const run = behaviors.run;
  const toOutcome = (response: ResponseObject): Outcome => ({
    reply: context.protocol.compileReply(response, context.defaultResponse, config),
    delayMs: run ? 0 : behaviors.delayMs,
    response: () => response,
  });
  const behave = (request: ProtocolRequest, response: ResponseObject, scope: ResolveScope): Outcome | Promise<Outcome> => {
    if (!run) return toOutcome(response);
    const changed = run(request, response, scope);
    return changed instanceof Promise ? changed.then(toOutcome) : toOutcome(changed);
  };
  const resolve = (request: ProtocolRequest, scope: ResolveScope): Outcome | Promise<Outcome> => {
    const response = render(request, scope);
    return response instanceof Promise ? response.then((r) => behave(request, r, scope)) : behave(request, response, scope);
  };
  return { config, repeat, resolve };
}

/** An `is` response with behaviors that change it: a copy of `is` goes through them per request. */
function compileTransformedIs(
  is: ResponseObject,
  config: EchoedResponse,
  context: ResponseContext,
  repeat: number,
  behaviors: CompiledBehaviors,
): ResponseResolver {
  const run = behaviors.run!;
  const render = compileTemplatedIsObject(is, context, config);
  const toOutcome = (response: ResponseObject): Outcome => ({
    reply: context.protocol.compileReply(response, context.defaultResponse, config),
    delayMs: 0,
    response: () => response,
  });
  const resolve = (request: ProtocolRequest, scope: ResolveScope): Outcome | Promise<Outcome> => {
    const response = run(request, render ? render(request) : cloneJson(is), scope);
    return response instanceof Promise ? response.then(toOutcome) : toOutcome(response);
  };
  return { config, repeat, resolve };
}
