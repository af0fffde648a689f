// `decorate` and `wait` behaviors written in Rhai (Rift's convention: one that is not a
// JavaScript function runs as Rhai). A failing or timed-out Rhai decorate serves the response
// undecorated with `x-rift-decorate-error: true` (and `x-rift-script-timeout: true`), as Rift
// does, and logs why; a failing Rhai wait waits 0 ms and logs why.
import type { CtxFactory, FlowScripts, ResolveScope, ResponseObject } from '../contracts/index.js';
import type { FlowStore } from '../state/flowStore.js';
import type { ScriptScope } from '../injection/index.js';
import type { ProtocolRequest } from '../model/request.js';
import { isObjectLike, isPlainObject } from '../model/plainObject.js';
import { ScriptTimeoutError } from '../scripting/engine.js';
import { DelayResult, HttpResult, PassResult } from '../scripting/results.js';
import type { RhaiHook } from '../scripting/rhaiHooks.js';
import { buildCtx } from '../scripting/scriptContext.js';
import { MemoryFlowStore } from '../state/memoryFlowStore.js';
import type { BehaviorStep } from './behaviorStep.js';

const delay = <T>(ms: number, value: T): Promise<T> => new Promise((resolve) => setTimeout(() => resolve(value), ms));

/** Without Rift's flow state (an imposter compiled without the `_rift` extension), ctx.state is a store of the behavior's own. */
const ownStore = () => new MemoryFlowStore(300);

export function rhaiDecorateStep(hook: RhaiHook, scope: ScriptScope, flows: FlowScripts | undefined): BehaviorStep {
  const timeoutMs = flows?.scriptTimeoutMs ?? 5_000;
  const store = ownStore();
  const failed = (response: ResponseObject, err: unknown): ResponseObject => {
    const timeout = err instanceof ScriptTimeoutError;
    scope.log.error(`rhai decorate failed, the response is served undecorated: ${err instanceof Error ? err.message : String(err)}`);
    const headers: Record<string, unknown> = { ...(isPlainObject(response.headers) ? response.headers : {}), 'x-rift-decorate-error': 'true' };
    if (timeout) headers['x-rift-script-timeout'] = 'true';
    return { ...response, headers };
  };
  return (request, response, resolveScope) => {
    const apply = (value: unknown): ResponseObject | Promise<ResponseObject> => {
      try {
        return hook.kind === 'maps' ? fromMap(response, value) : fromResult(response, value);
      } catch (err) {
        return failed(response, err);
      }
    };
    const settle = (result: unknown): ResponseObject | Promise<ResponseObject> =>
      result instanceof Promise ? result.then(apply, (err: unknown) => failed(response, err)) : apply(result);
    if (hook.kind === 'maps') {
      const map = { statusCode: response.statusCode ?? 200, headers: response.headers ?? {}, body: bodyText(response.body) };
      try {
        return settle(hook.run(requestMap(request), map, Date.now() + timeoutMs));
      } catch (err) {
        return failed(response, err);
      }
    }
    const runWith = (ctx: CtxFactory): ResponseObject | Promise<ResponseObject> => {
      try {
        return settle(hook.script.run({ ctx, deadline: Date.now() + timeoutMs, stallMs: scope.stallMs }));
      } catch (err) {
        return failed(response, err);
      }
    };
    let factory: CtxFactory | Promise<CtxFactory>;
    try {
      factory = ctxFor(request, response, resolveScope, flows, store, scope);
    } catch (err) {
      return failed(response, err);
    }
    return factory instanceof Promise ? factory.then(runWith, (err: unknown) => failed(response, err)) : runWith(factory);
  };
}

export function rhaiWaitStep(hook: RhaiHook & { kind: 'ctx' }, scope: ScriptScope, flows: FlowScripts | undefined): BehaviorStep {
  const timeoutMs = flows?.scriptTimeoutMs ?? 5_000;
  const store = ownStore();
  return (request, response, resolveScope) => {
    const wait = (value: unknown): Promise<ResponseObject> => {
      const ms = typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
      if (typeof value !== 'number')
        scope.log.error(`rhai wait: delay(ctx) must return a number of milliseconds, not ${JSON.stringify(value) ?? 'nothing'}; waited 0 ms`);
      return delay(ms, response);
    };
    const fail = (err: unknown): Promise<ResponseObject> => {
      scope.log.error(`rhai wait failed, waited 0 ms: ${err instanceof Error ? err.message : String(err)}`);
      return delay(0, response);
    };
    const runWith = (ctx: CtxFactory): Promise<ResponseObject> => {
      let result: unknown;
      try {
        result = hook.script.run({ ctx, deadline: Date.now() + timeoutMs, stallMs: scope.stallMs });
      } catch (err) {
        return fail(err);
      }
      return result instanceof Promise ? result.then(wait, fail) : wait(result);
    };
    let factory: CtxFactory | Promise<CtxFactory>;
    try {
      factory = ctxFor(request, response, resolveScope, flows, store, scope);
    } catch (err) {
      return fail(err);
    }
    return factory instanceof Promise ? factory.then(runWith, fail) : runWith(factory);
  };
}

function ctxFor(
  request: ProtocolRequest,
  response: ResponseObject,
  resolveScope: ResolveScope | undefined,
  flows: FlowScripts | undefined,
  store: FlowStore,
  scope: ScriptScope,
): CtxFactory | Promise<CtxFactory> {
  const headers: Record<string, string> = {};
  if (isPlainObject(response.headers))
    for (const [k, v] of Object.entries(response.headers)) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  const status = typeof response.statusCode === 'number' ? response.statusCode : Number(response.statusCode ?? 200);
  const view = { status, headers, body: bodyText(response.body) };
  if (flows) return flows.ctx(request, view, resolveScope);
  return (watch) =>
    buildCtx(
      {
        request,
        pathParams: resolveScope?.pathParams?.(String(request.path ?? '')) ?? {},
        flowId: String(resolveScope?.port ?? 0),
        store,
        stub: { id: resolveScope?.id, scenarioName: undefined, scenarioState: undefined },
        log: resolveScope?.log ?? scope.log,
        response: view,
      },
      watch,
    );
}

const bodyText = (body: unknown): string => (typeof body === 'string' ? body : body === undefined || body === null ? '' : JSON.stringify(body));

function requestMap(request: ProtocolRequest): Record<string, unknown> {
  const headers: Record<string, string> = {};
  const raw = request.headers;
  if (isObjectLike(raw)) {
    // An http request's header values: a string, or the values of a repeated header.
    for (const name in raw) {
      const value = raw[name];
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    }
  }
  return { method: request.method, path: request.path, query: request.query ?? {}, headers, body: typeof request.body === 'string' ? request.body : '' };
}

/** The maps form: the response map the script left. */
function fromMap(response: ResponseObject, value: unknown): ResponseObject {
  if (!isPlainObject(value)) return response;
  const out: ResponseObject = { ...response };
  if (value.statusCode !== undefined) out.statusCode = value.statusCode;
  if (isPlainObject(value.headers)) out.headers = value.headers;
  if (value.body !== undefined) out.body = value.body;
  return out;
}

/** `transform(ctx)`: http(...) describes the new response (its headers added, its body if given); nothing or pass() changes nothing. */
function fromResult(response: ResponseObject, value: unknown): ResponseObject | Promise<ResponseObject> {
  if (value === undefined || value === null || value instanceof PassResult) return response;
  if (value instanceof DelayResult) return delay(value.ms, response);
  if (!(value instanceof HttpResult)) throw new Error('transform(ctx) must return http(status, body), delay(ms), pass() or nothing');
  const headers: Record<string, unknown> = { ...(isPlainObject(response.headers) ? response.headers : {}) };
  let hasContentType = false;
  for (const [name, v] of value.headers) {
    if (name.toLowerCase() === 'content-type') hasContentType = true;
    headers[name] = v;
  }
  const out: ResponseObject = { ...response, statusCode: value.status, headers };
  if (typeof value.body === 'string') out.body = value.body;
  else if (value.body !== undefined && value.body !== null) {
    out.body = JSON.stringify(value.body);
    if (!hasContentType) headers['Content-Type'] = 'application/json';
  }
  return out;
}
