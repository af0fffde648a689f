// A response carrying `_rift`: its script runs first and decides (an answer of its own, a delay,
// or the response's own `is`/`proxy` with its behaviors); then `_rift.fault` has its say.
// Responses without `_rift` go straight to the next compiler. The imposter's `_rift` (flow store,
// script budget) is the extension that installs this wrapper.
import type { CompiledResponse, FlowScripts, ImposterExtension, Outcome, ResolveScope, ResponseCompiler, ResponseContext } from '../contracts/index.js';
import { errorMessage } from '../model/caughtError.js';
import { ERROR_CATALOG, validationError } from '../model/errors.js';
import type { ProtocolRequest } from '../model/request.js';
import { isPlainObject } from '../model/plainObject.js';
import { presentKinds } from '../responses/compileResponse.js';
import { ScriptTimeoutError, type CtxScript } from '../scripting/engine.js';
import { DelayResult, HttpResult, PassResult, ResetResult } from '../scripting/results.js';
import type { Log } from '../logging/logger.js';
import { FlowStoreError } from '../state/flowStore.js';
import { addDelay, compileRiftFault, TCP_FAULTS } from './compileRiftFault.js';
import { compileScript, type RiftScript } from './compileScript.js';
import { compileRiftTemplated } from './riftTemplated.js';
import { buildCtx, type CtxInput } from '../scripting/scriptContext.js';
import { compileRiftImposter, type RiftImposter } from './riftImposter.js';
import { scriptPredicateCompiler } from './scriptPredicate.js';
import { toScriptRequest } from './scriptRequest.js';

const JSON_HEADERS = { 'Content-Type': 'application/json' };
/** Most flow keys GET /imposters/:id/_rift lists (the rest is said to be truncated). */
const FLOW_LIST_LIMIT = 1000;

/** Rift's imposter-level `_rift`, compiled for every imposter so that stubs added later may carry scripts. */
export const riftExtension: ImposterExtension = {
  key: '_rift',
  compile(value, log) {
    const rift = compileRiftImposter(value, log);
    const flowScripts: FlowScripts = {
      scriptTimeoutMs: rift.scriptTimeoutMs,
      ctx(request, response, scope) {
        const input = ctxInput(request, scope, rift, response);
        // A scenario's state read from Redis arrives later: the script runs once it is known.
        if (input instanceof Promise) return input.then((known) => (watch?: (pending: Promise<unknown>) => void) => buildCtx(known, watch));
        return (watch) => buildCtx(input, watch);
      },
    };
    return {
      // Every response of the imposter reaches its flow state (Rhai decorate and wait use it).
      wrapResponses: (next) => (config, context) => compileRiftResponse(config, { ...context, flowScripts }, rift, next),
      flows: { store: rift.store, flowId: rift.flowId },
      open: () => rift.open(),
      close: () => rift.close(),
      inspect: async () => ({ flowState: { ...rift.flowState, ...(await rift.store.list(FLOW_LIST_LIMIT)) } }),
      predicate: scriptPredicateCompiler({ timeoutMs: rift.scriptTimeoutMs, defaultEngine: rift.defaultEngine, registry: rift.registry, log: rift.log }),
    };
  },
};

function compileRiftResponse(config: unknown, context: ResponseContext, rift: RiftImposter, compileResponse: ResponseCompiler): CompiledResponse {
  if (!isPlainObject(config) || config._rift === undefined) return compileResponse(config, context);
  const riftConfig = config._rift;
  if (!isPlainObject(riftConfig)) throw validationError("'_rift' must be an object", config);

  // Only `_rift` (the quota reset of the seed): the normal response is an empty one.
  const hasType = presentKinds(config, context.kinds).length > 0;
  const templated = riftConfig.templated ?? false;
  if (typeof templated !== 'boolean') throw validationError("'_rift.templated' must be true or false", config);
  if (templated && !isPlainObject(config.is)) throw validationError("'_rift.templated' renders an 'is' response: this response has none", config);
  const innerContext: ResponseContext = templated ? { ...context, renderIs: (is, source) => compileRiftTemplated(is, source, rift) } : context;
  const inner = compileResponse(hasType ? config : { ...config, is: {} }, innerContext);
  const fault = riftConfig.fault === undefined ? null : compileRiftFault(riftConfig.fault, context);
  const serve = (request: ProtocolRequest, scope: ResolveScope): Outcome | Promise<Outcome> =>
    fault ? fault.apply(() => inner.resolve(request, scope)) : inner.resolve(request, scope);
  if (riftConfig.script === undefined) return { config, repeat: inner.repeat, shape: inner.shape, resolve: serve };

  const stallMs = context.scripts.stallMs;
  const script = compileScript(riftConfig.script, {
    limits: { timeoutMs: rift.scriptTimeoutMs, stallMs },
    allowInjection: context.allowInjection,
    defaultEngine: rift.defaultEngine,
    registry: rift.registry,
    scriptsDir: context.scriptsDir,
    configDir: context.configDir,
  });
  if (script.kind === 'ctx') return ctxResponse(script.compiled, script.engine, config, context, rift, inner, serve);
  const answers = new ScriptAnswers(script, rift, context, config);
  const compiled = script.compiled;
  return {
    config,
    repeat: inner.repeat,
    shape: inner.shape,
    resolve(request, scope) {
      const next = () => serve(request, scope);
      let result: unknown;
      try {
        result = compiled.run({ request: toScriptRequest(request), store: rift.store, deadline: Date.now() + rift.scriptTimeoutMs, stallMs });
      } catch (err) {
        return answers.failure(err);
      }
      if (result instanceof Promise)
        return result.then(
          (value) => answers.decide(value, next),
          (err) => answers.failure(err),
        );
      return answers.decide(result, next);
    },
  };
}

/** A `respond(ctx)` script: its result constructor decides; a failure is Rift's 500, a timeout its 504. */
function ctxResponse(
  script: CtxScript,
  engine: string,
  config: Record<string, unknown>,
  context: ResponseContext,
  rift: RiftImposter,
  inner: CompiledResponse,
  serve: (request: ProtocolRequest, scope: ResolveScope) => Outcome | Promise<Outcome>,
): CompiledResponse {
  const failures = new ScriptFailures(engine, context, config, rift.log);
  const decide = (result: unknown, request: ProtocolRequest, scope: ResolveScope): Outcome | Promise<Outcome> => {
    if (result === undefined || result === null || result instanceof PassResult) return serve(request, scope);
    if (result instanceof HttpResult) {
      try {
        return { reply: context.protocol.compileReply(httpReply(result), undefined, config), delayMs: 0 };
      } catch (err) {
        return failures.answer(new Error(`respond(ctx) returned an answer standin cannot send: ${errorMessage(err)}`), scope);
      }
    }
    if (result instanceof DelayResult) return addDelay(serve(request, scope), result.ms);
    if (result instanceof ResetResult) return { reply: context.protocol.compileReply({}, undefined, config), fault: 'CONNECTION_RESET_BY_PEER', delayMs: 0 };
    return failures.answer(new Error(`respond(ctx) must return http(status, body), delay(ms), reset(), pass() or nothing, not ${describe(result)}`), scope);
  };
  return {
    config,
    repeat: inner.repeat,
    shape: inner.shape,
    resolve(request, scope) {
      const input = ctxInput(request, scope, rift, undefined);
      // A scenario's state read from Redis arrives later: the script runs once it is known.
      if (input instanceof Promise) return input.then((known) => run(known, request, scope));
      return run(input, request, scope);
    },
  };

  function run(input: CtxInput, request: ProtocolRequest, scope: ResolveScope): Outcome | Promise<Outcome> {
    let result: unknown;
    try {
      result = script.run({ ctx: (watch) => buildCtx(input, watch), deadline: Date.now() + rift.scriptTimeoutMs, stallMs: context.scripts.stallMs });
    } catch (err) {
      return failures.answer(err, scope);
    }
    if (result instanceof Promise)
      return result.then(
        (value) => decide(value, request, scope),
        (err) => failures.answer(err, scope),
      );
    return decide(result, request, scope);
  }
}

/** What `ctx` is built from for a request answered by the stub `scope`; later when its scenario state is still being read (Redis). */
function ctxInput(request: ProtocolRequest, scope: ResolveScope | undefined, rift: RiftImposter, response: CtxInput['response']): CtxInput | Promise<CtxInput> {
  const flowId = rift.flowId(request, scope?.port ?? 0);
  const scenario = scope?.scenario?.(flowId);
  const pathParams = scope?.pathParams?.(String(request.path ?? '')) ?? {};
  const log = scope?.log ?? rift.log;
  const input = (scenarioState: string | undefined): CtxInput => ({
    request,
    pathParams,
    flowId,
    store: rift.store,
    stub: { id: scope?.id, scenarioName: scenario?.name, scenarioState },
    log,
    response,
  });
  const state = scenario?.state;
  return state instanceof Promise ? state.then(input) : input(state);
}

/** `http(status, body)` as an `is`: a body that is not a string is sent as JSON, with its content type unless the script set one. */
function httpReply(result: HttpResult): Record<string, unknown> {
  const headers: Record<string, string | string[]> = {};
  let hasContentType = false;
  for (const [name, value] of result.headers) {
    if (name.toLowerCase() === 'content-type') hasContentType = true;
    const previous = headers[name];
    headers[name] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
  }
  let body = '';
  if (typeof result.body === 'string') body = result.body;
  else if (result.body !== undefined && result.body !== null) {
    body = JSON.stringify(result.body);
    if (!hasContentType) headers['Content-Type'] = 'application/json';
  }
  return { statusCode: result.status, headers, body };
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'a map';
  return `${typeof value} ${JSON.stringify(value)}`;
}

/**
 * Rift's answers to a failing `ctx` script: 500 with `x-rift-script-error: true`, or 504 with
 * `x-rift-script-timeout: true` as well when it ran out of time; the body says what failed in
 * which stub, and so does an error line in the log. The imposter goes on serving.
 */
class ScriptFailures {
  constructor(
    private readonly engine: string,
    private readonly context: ResponseContext,
    private readonly source: unknown,
    private readonly log: Log,
  ) {}

  answer(err: unknown, scope: ResolveScope): Outcome {
    const message = err instanceof Error ? err.message : String(err);
    const timeout = err instanceof ScriptTimeoutError;
    const stub = scope.label ?? 'stub';
    this.log.error(`_rift.script (${this.engine}) in ${stub} failed: ${message}`);
    const headers: Record<string, string> = { ...JSON_HEADERS, 'x-rift-script-error': 'true' };
    if (timeout) headers['x-rift-script-timeout'] = 'true';
    const error = { code: timeout ? 'script timeout' : 'script error', message, engine: this.engine, stub };
    const body = JSON.stringify({ errors: [error] }, null, 2);
    return { reply: this.context.protocol.compileReply({ statusCode: timeout ? 504 : 500, headers, body }, undefined, this.source), delayMs: 0 };
  }
}

/** Turns what a script returned (or threw) into an outcome. */
class ScriptAnswers {
  constructor(
    private readonly script: RiftScript & { kind: 'should_inject' },
    private readonly rift: RiftImposter,
    private readonly context: ResponseContext,
    private readonly source: unknown,
  ) {}

  decide(result: unknown, next: () => Outcome | Promise<Outcome>): Outcome | Promise<Outcome> {
    if (!isPlainObject(result) || result.inject !== true) return next();
    switch (result.fault) {
      case 'error':
        return this.errorAnswer(result);
      case 'latency':
        return addDelay(next(), Math.max(0, Number(result.duration_ms ?? result.durationMs ?? 0)) || 0);
      case 'tcp': {
        const fault = TCP_FAULTS[String(result.type ?? 'CONNECTION_RESET_BY_PEER')] ?? 'CONNECTION_RESET_BY_PEER';
        return { reply: this.context.protocol.compileReply({}, undefined, this.source), fault, delayMs: 0 };
      }
      default:
        return this.failure(
          new Error(`should_inject returned inject: true with an unknown fault ${JSON.stringify(result.fault)} (expected "error", "latency" or "tcp")`),
        );
    }
  }

  failure(err: unknown): Outcome {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof FlowStoreError) {
      this.rift.log.error(`_rift.script (${this.script.engine}): ${message}`);
      return this.json('flow state unavailable', message);
    }
    const code = err instanceof ScriptTimeoutError ? 'script timeout' : 'script error';
    this.rift.log.error(`_rift.script (${this.script.engine}) failed: ${message}`);
    return this.json(code, message);
  }

  private errorAnswer(result: Record<string, unknown>): Outcome {
    const headers = result.headers ?? {};
    try {
      const is = { statusCode: result.status ?? 503, headers: isPlainObject(headers) ? headers : {}, body: result.body ?? '' };
      return { reply: this.context.protocol.compileReply(is, undefined, this.source), delayMs: 0 };
    } catch (err) {
      return this.failure(new Error(`should_inject returned an answer standin cannot send: ${errorMessage(err)}`));
    }
  }

  private json(code: 'flow state unavailable' | 'script timeout' | 'script error', message: string): Outcome {
    const status = ERROR_CATALOG[code].status;
    const body = JSON.stringify({ errors: [{ code, message, engine: this.script.engine }] }, null, 2);
    return { reply: this.context.protocol.compileReply({ statusCode: status, headers: JSON_HEADERS, body }, undefined, this.source), delayMs: 0 };
  }
}
