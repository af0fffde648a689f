// A response carrying `_rift`: its script runs first and decides (an answer of its own, a delay,
// or the response's own `is`/`proxy` with its behaviors); then `_rift.fault` has its say.
// Responses without `_rift` go straight to the next compiler. The imposter's `_rift` (flow store,
// script budget) is the extension that installs this wrapper.
import type { CompiledResponse, ImposterExtension, Outcome, ResolveScope, ResponseCompiler, ResponseContext } from '../contracts/index.js';
import { ERROR_CATALOG, validationError } from '../model/errors.js';
import type { ProtocolRequest } from '../model/request.js';
import { isPlainObject } from '../model/types.js';
import { presentKinds } from '../responses/compileResponse.js';
import { ScriptTimeoutError } from '../scripting/engine.js';
import { FlowStoreError } from '../state/flowStore.js';
import { addDelay, compileRiftFault, TCP_FAULTS } from './compileRiftFault.js';
import { compileScript, type RiftScript } from './compileScript.js';
import { compileRiftImposter, type RiftImposter } from './riftImposter.js';
import { toScriptRequest } from './scriptRequest.js';

const JSON_HEADERS = { 'Content-Type': 'application/json' };

/** Rift's imposter-level `_rift`, compiled for every imposter so that stubs added later may carry scripts. */
export const riftExtension: ImposterExtension = {
  key: '_rift',
  compile(value, log) {
    const rift = compileRiftImposter(value, log);
    return {
      wrapResponses: (next) => (config, context) => compileRiftResponse(config, context, rift, next),
      flows: { store: rift.store, flowId: rift.flowId },
      open: () => rift.open(),
      close: () => rift.close(),
    };
  },
};

function compileRiftResponse(config: unknown, context: ResponseContext, rift: RiftImposter, compileResponse: ResponseCompiler): CompiledResponse {
  if (!isPlainObject(config) || config._rift === undefined) return compileResponse(config, context);
  const riftConfig = config._rift;
  if (!isPlainObject(riftConfig)) throw validationError("'_rift' must be an object", config);

  // Only `_rift` (the quota reset of the seed): the normal response is an empty one.
  const hasType = presentKinds(config, context.kinds).length > 0;
  const inner = compileResponse(hasType ? config : { ...config, is: {} }, context);
  const fault = riftConfig.fault === undefined ? null : compileRiftFault(riftConfig.fault, context);
  const serve = (request: ProtocolRequest, scope: ResolveScope): Outcome | Promise<Outcome> =>
    fault ? fault.apply(() => inner.resolve(request, scope)) : inner.resolve(request, scope);
  if (riftConfig.script === undefined) return { config, repeat: inner.repeat, resolve: serve };

  const script = compileScript(riftConfig.script, rift.scriptTimeoutMs, context.allowInjection);
  const answers = new ScriptAnswers(script, rift, context, config);
  return {
    config,
    repeat: inner.repeat,
    resolve(request, scope) {
      const next = () => serve(request, scope);
      let result: unknown;
      try {
        result = script.compiled.run({ request: toScriptRequest(request), store: rift.store, deadline: Date.now() + rift.scriptTimeoutMs });
      } catch (err) {
        return answers.failure(err);
      }
      if (result instanceof Promise) return result.then((value) => answers.decide(value, next), (err) => answers.failure(err));
      return answers.decide(result, next);
    },
  };
}

/** Turns what a script returned (or threw) into an outcome. */
class ScriptAnswers {
  constructor(
    private readonly script: RiftScript,
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
        return this.failure(new Error(`should_inject returned inject: true with an unknown fault ${JSON.stringify(result.fault)} (expected "error", "latency" or "tcp")`));
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
      return this.failure(new Error(`should_inject returned an answer standin cannot send: ${(err as Error).message}`));
    }
  }

  private json(code: 'flow state unavailable' | 'script timeout' | 'script error', message: string): Outcome {
    const status = ERROR_CATALOG[code].status;
    const body = JSON.stringify({ errors: [{ code, message, engine: this.script.engine }] }, null, 2);
    return { reply: this.context.protocol.compileReply({ statusCode: status, headers: JSON_HEADERS, body }, undefined, this.source), delayMs: 0 };
  }
}
