// The `_imposter` response type: what an Imposter-config resource or interceptor answers with,
// as an ordinary stub response (printed by GET /imposters/:port, saved and replayed like any
// other). The stub's predicates did the matching; this runs Imposter's per-request steps:
//   /system endpoints | continue-interceptors that precede ("before") | passthrough | capture,
//   response (statusCode, content/file, headers, template, delay).
// Everything is compiled here once; a plain static response is a prebuilt reply.
import type { NamedStores, Outcome, ResolveScope, ResponseContext, ResponseKind, ResponseResolver } from '../contracts/index.js';
import { compilePredicates, MatchRequest, type RequestMatcher } from '../matching/index.js';
import { StandinError, validationError } from '../model/errors.js';
import { isHttpRequest, type HttpRequest, type ProtocolRequest } from '../model/request.js';
import { isPlainObject } from '../model/plainObject.js';
import { compileCapture, type CompiledCapture } from './capture.js';
import { ImposterConfigError } from './configModel.js';
import { imposterLogFor, logHandled } from './imposterLog.js';
import { compileMockResponse, newResponseState, replyOf, type CompiledMockResponse } from './mockResponse.js';
import { forward, type PassthroughSettings } from './passthrough.js';
import { compilePathPattern, pathParamsOf } from './pathPattern.js';
import { RequestScope } from './requestScope.js';
import { answerSystem } from './systemEndpoints.js';
import type { TemplateContext } from './template.js';
import { parseUpstreamUrl } from './upstreamUrl.js';

interface Step {
  /** Only for continue-interceptors: the request must match these to run. */
  matcher: RequestMatcher | undefined;
  pathParams: ((path: string) => Record<string, string>) | undefined;
  capture: CompiledCapture | undefined;
  response: CompiledMockResponse;
}

/**
 * Written only by the Imposter-config loader (`standin imposter DIR`), never by users; `repeat`
 * and `behaviors` are not Imposter's, so they are not read.
 */
declare module '../contracts/index.js' {
  interface ResponseShapes {
    _imposter: ImposterShape;
  }
}

export const imposterKind: ResponseKind<'_imposter'> = {
  key: '_imposter',
  public: false,
  takesCommonFields: false,
  validate(config) {
    const spec = config._imposter;
    if (!isPlainObject(spec)) throw validationError("'_imposter' must be an object", config);
    return { kind: '_imposter', spec };
  },
  compile({ spec }, config, context) {
    try {
      return compile(spec, config, context);
    } catch (err) {
      if (err instanceof ImposterConfigError) throw validationError(err.message, config);
      throw err;
    }
  },
};

/** An `_imposter` response after validation: what the loader wrote (the resource's steps, its passthrough, or `/system`). */
interface ImposterShape {
  readonly kind: '_imposter';
  readonly spec: Record<string, unknown>;
}

const HTTP_ONLY = '_imposter responses need an http or https imposter';

/** The request as the http adapter made it: compile() refused every other protocol. */
function httpRequestOf(request: ProtocolRequest): HttpRequest {
  if (isHttpRequest(request)) return request;
  throw validationError(HTTP_ONLY);
}

function compile(spec: Record<string, unknown>, config: Record<string, unknown>, context: ResponseContext): ResponseResolver {
  if (context.protocol.name !== 'http' && context.protocol.name !== 'https') throw validationError(HTTP_ONLY, config);
  const where = typeof spec.source === 'string' ? spec.source : '_imposter';
  const base = { config, repeat: 1 };

  if (spec.system === true) {
    return {
      ...base,
      resolve: (request, scope) => {
        const http = httpRequestOf(request);
        const reply = answerSystem(http, context.instance.stores);
        logHandled(imposterLogFor(context.instance, scope), http.method, http.path, reply.statusCode, reply.body.length);
        return { reply, delayMs: 0 };
      },
    };
  }

  const before = compileBefore(spec.before, where);
  const own = compileStep(spec, undefined, where);
  const serverUrl = typeof spec.serverUrl === 'string' ? spec.serverUrl : 'http://localhost:8080';
  const passthrough = spec.passthrough === undefined ? undefined : compilePassthrough(spec.passthrough, where);
  const needsScope = before.length > 0 || own.capture !== undefined || own.response.dynamic;

  if (passthrough) {
    return {
      ...base,
      resolve: async (request, scope) => {
        const http = httpRequestOf(request);
        // Interceptors that precede still run; the resource's own capture, response and templates do not.
        if (before.length > 0) runSteps(before, http, serverUrl, context.instance.stores);
        const log = imposterLogFor(context.instance, scope);
        const outcome = await forward(context.instance.upstreams, passthrough, http, log);
        const reply = outcome.reply;
        logHandled(log, http.method, http.path, reply.statusCode, reply.body.length);
        return outcome;
      },
    };
  }

  if (!needsScope) {
    const state = newResponseState();
    own.response.apply(state, undefined);
    const fixedDelay = state.delayMs;
    const reply = replyOf(state);
    // A delay range is drawn per request; everything else was built above.
    const varies = isPlainObject(spec.response) && isPlainObject(spec.response.delay) && spec.response.delay.exact === undefined;
    return {
      ...base,
      resolve: (request, scope) => {
        const http = httpRequestOf(request);
        logHandled(imposterLogFor(context.instance, scope), http.method, http.path, reply.statusCode, reply.body.length);
        if (!varies) return { reply, delayMs: fixedDelay };
        const drawn = newResponseState();
        own.response.apply(drawn, undefined);
        return { reply, delayMs: drawn.delayMs };
      },
    };
  }

  const steps = [...before, own];
  return {
    ...base,
    resolve: (request: ProtocolRequest, scope: ResolveScope): Outcome => {
      const http = httpRequestOf(request);
      const state = runSteps(steps, http, serverUrl, context.instance.stores);
      const reply = replyOf(state);
      logHandled(imposterLogFor(context.instance, scope), http.method, http.path, reply.statusCode, reply.body.length);
      return { reply, delayMs: state.delayMs };
    },
  };
}

/** Runs capture then response of each step whose matcher (if any) accepts the request, onto one state. */
function runSteps(steps: readonly Step[], request: HttpRequest, serverUrl: string, stores: NamedStores) {
  const state = newResponseState();
  const scope = new RequestScope(request, {});
  const context: TemplateContext = { scope, stores, serverUrl };
  let match: MatchRequest | undefined;
  for (const step of steps) {
    if (step.matcher && !step.matcher((match ??= new MatchRequest(request)))) continue;
    scope.pathParams = step.pathParams ? step.pathParams(request.path) : {};
    step.capture?.(context);
    step.response.apply(state, context);
  }
  return state;
}

function compileStep(spec: Record<string, unknown>, matcher: RequestMatcher | undefined, where: string): Step {
  let pathParams: Step['pathParams'];
  if (typeof spec.path === 'string') {
    const pattern = compilePathPattern(spec.path);
    const regex = new RegExp(pattern.source);
    if (pattern.params.length > 0) pathParams = (path) => pathParamsOf(regex, pattern.params, path) ?? {};
  }
  return {
    matcher,
    pathParams,
    capture: compileCapture(spec.capture, where),
    response: compileMockResponse(spec.response, where),
  };
}

function compileBefore(value: unknown, where: string): Step[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ImposterConfigError(`${where}: '_imposter.before' must be an array of interceptors`);
  return value.map((interceptor, i) => {
    if (!isPlainObject(interceptor)) throw new ImposterConfigError(`${where}: '_imposter.before[${i}]' must be an object`);
    const at = typeof interceptor.source === 'string' ? interceptor.source : `${where} before[${i}]`;
    let matcher: RequestMatcher;
    try {
      matcher = compilePredicates(interceptor.predicates, { encoding: 'utf8' });
    } catch (err) {
      throw new ImposterConfigError(`${at}: ${err instanceof StandinError ? err.message : String(err)}`);
    }
    return compileStep(interceptor, matcher, at);
  });
}

function compilePassthrough(value: unknown, where: string): PassthroughSettings {
  if (!isPlainObject(value)) throw new ImposterConfigError(`${where}: '_imposter.passthrough' must be {upstream, url, timeoutMs}`);
  const upstream = typeof value.upstream === 'string' ? value.upstream : '';
  const timeoutMs = value.timeoutMs === undefined ? 30_000 : Number(value.timeoutMs);
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new ImposterConfigError(`${where}: '_imposter.passthrough.timeoutMs' must be a positive number`);
  return {
    upstream,
    target: parseUpstreamUrl(value.url, `${where} upstream ${JSON.stringify(upstream)}`),
    timeoutMs,
    forwardedHeaders: value.forwardedHeaders === true,
    verifyTls: value.verifyTls !== false,
  };
}
