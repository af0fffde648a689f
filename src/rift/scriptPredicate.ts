// Rift's script predicate: `{"_rift": {"script": {"engine": "rhai", "code": "fn matches(ctx) {...}"}}}`
// beside (or inside and/or/not with) mountebank's predicates. The script is Rift's `ctx` contract
// at the `matches(ctx)` placement (or its body alone) and matches when it answers true. It reads
// the flow's state as read when the request's matching began (MatchRequest.flowReads: at once
// from memory, one round trip from Redis) and writes none: matching, the dry run, verify and a
// miss's explanation may all run it again. A failure is Rift's script error: a 500 (a 504 when
// it ran out of time) naming the stub, and an error line in the log.
import type { ExtensionMatchInput, ExtensionPredicateCompiler, PredicateContext } from '../contracts/index.js';
import type { Log } from '../logging/logger.js';
import { compileRoutePattern, type PathParams } from '../matching/routePattern.js';
import { didYouMeanSuffix } from '../model/didYouMean.js';
import { StandinError, validationError } from '../model/errors.js';
import { AnsweringError, FlowNotRead, type FlowReads } from '../model/flowReads.js';
import { isPlainObject } from '../model/plainObject.js';
import { ScriptTimeoutError, type CtxScript } from '../scripting/engine.js';
import { buildCtx } from '../scripting/scriptContext.js';
import type { CasOutcome, FlowListing, FlowStore, FlowValue } from '../state/flowStore.js';
import { compileScript, type ScriptSettings } from './compileScript.js';

const FIELDS = ['script'];
/** A scenario never written is in Rift's first state. */
const INITIAL_SCENARIO_STATE = 'Started';

/** What the imposter's `_rift` gives its script predicates. */
export interface RiftPredicateSettings {
  readonly timeoutMs: number;
  readonly defaultEngine: string;
  readonly registry: ScriptSettings['registry'];
  readonly log: Log;
}

/** The compiler the `_rift` extension gives the imposter for its predicates. */
export function scriptPredicateCompiler(rift: RiftPredicateSettings): ExtensionPredicateCompiler {
  return (value, predicate, context, explaining) => compileScriptPredicate(value, predicate, context, explaining, rift);
}

function compileScriptPredicate(
  value: unknown,
  predicate: Record<string, unknown>,
  context: PredicateContext,
  explaining: boolean,
  rift: RiftPredicateSettings,
): (input: ExtensionMatchInput) => boolean {
  const { stub, stallMs } = context;
  const settings = { timeoutMs: rift.timeoutMs, stallMs, log: rift.log };
  const where = stub === undefined ? '' : `${stub.label}: `;
  if (!isPlainObject(value) || value.script === undefined) {
    throw validationError(
      `${where}a '_rift' predicate needs a script: {"_rift": {"script": {"engine": "rhai", "code": "fn matches(ctx) { ctx.request.path == \\"/x\\" }"}}}`,
      predicate,
    );
  }
  const unknown = Object.keys(value).find((key) => !FIELDS.includes(key));
  if (unknown !== undefined) {
    throw validationError(`${where}a '_rift' predicate takes only 'script', not ${JSON.stringify(unknown)}${didYouMeanSuffix(unknown, FIELDS)}`, predicate);
  }
  let script: CtxScript;
  let engine: string;
  try {
    const compiled = compileScript(
      value.script,
      {
        limits: { timeoutMs: rift.timeoutMs, stallMs },
        allowInjection: context.allowInjection,
        defaultEngine: rift.defaultEngine,
        registry: rift.registry,
        scriptsDir: context.scriptsDir,
        configDir: context.configDir,
      },
      'matches',
      '_rift.script',
    );
    // The `matches` placement never takes the older should_inject contract.
    if (compiled.kind !== 'ctx') throw new Error('a matches(ctx) script compiled as should_inject');
    script = compiled.compiled;
    engine = compiled.engine;
  } catch (err) {
    // mountebank's injection refusal stays as it is (the stub is named as its source).
    if (err instanceof StandinError && err.code !== 'invalid injection' && stub !== undefined) {
      throw new StandinError(err.code, `${stub.label}, in a predicate: ${err.message}`, err.source, err.extra);
    }
    throw err;
  }
  const pathParams: PathParams = stub?.routePattern === undefined ? () => ({}) : compileRoutePattern(stub.routePattern);
  const log = explaining ? QUIET : settings.log;
  const failure = (err: unknown): AnsweringError => {
    const message = err instanceof Error ? err.message : String(err);
    const timeout = err instanceof ScriptTimeoutError;
    return new AnsweringError(`_rift.script (${engine}) predicate failed: ${message}`, (label) => {
      settings.log.error(`_rift.script (${engine}) predicate in ${label} failed: ${message}`);
      const headers: Record<string, string> = { 'Content-Type': 'application/json', 'x-rift-script-error': 'true' };
      if (timeout) headers['x-rift-script-timeout'] = 'true';
      const error = { code: timeout ? 'script timeout' : 'script error', message, engine, stub: label, placement: 'matches(ctx)' };
      return { statusCode: timeout ? 504 : 500, headers, body: JSON.stringify({ errors: [error] }, null, 2) };
    });
  };

  return (input) => {
    const reads = input.flowReads;
    if (reads === undefined) throw new Error('a _rift script predicate was matched without its flow state');
    const store = new ReadOnlyFlows(reads);
    let result: unknown;
    let error: unknown;
    try {
      const own = reads.keys(reads.flowId);
      const scenarioName = stub?.scenarioName;
      const scenarioState = scenarioName === undefined ? undefined : own === undefined ? undefined : scenarioOf(own.get(scenarioName));
      const ctxInput = {
        request: input.request,
        pathParams: pathParams(String(input.request.path ?? '')),
        flowId: reads.flowId,
        store,
        stub: { id: stub?.id, scenarioName, scenarioState },
        log,
      };
      result = script.run({ ctx: (watch) => buildCtx(ctxInput, watch), deadline: Date.now() + settings.timeoutMs, stallMs: settings.stallMs });
    } catch (err) {
      error = err;
    }
    // A flow still being read (Redis): whatever the script made of it, it runs again once read.
    if (reads.waiting) throw new FlowNotRead(store.missing ?? reads.flowId);
    if (error !== undefined) throw failure(error);
    if (result instanceof Promise) {
      result.catch(() => undefined);
      throw failure(new Error('matches(ctx) must answer true or false at once, not a Promise (an async function?): predicates are matched synchronously'));
    }
    // Rift's rule: only true matches; any other answer is no match.
    return result === true;
  };
}

function scenarioOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return INITIAL_SCENARIO_STATE;
  return typeof value === 'string' ? value : undefined;
}

const noop = (): void => undefined;
const QUIET: Log = {
  debug: noop,
  info: noop,
  infoLater: noop,
  warn: noop,
  error: noop,
  isDebugEnabled: () => false,
  isInfoEnabled: () => false,
};

const readOnly = (): never => {
  throw new Error(
    'a predicate reads flow state but does not change it (matching, the dry run and verify may run it more than once); change state in respond(ctx), transform(ctx) or delay(ctx)',
  );
};

/** `ctx.state` and `ctx.store.flow(id)` in a predicate: the flows as read for this request; writing refused. */
class ReadOnlyFlows implements FlowStore {
  /** The first flow asked for that is still being read. */
  missing: string | undefined;

  constructor(private readonly reads: FlowReads) {}

  private keys(flowId: string): ReadonlyMap<string, FlowValue> {
    const keys = this.reads.keys(flowId);
    if (keys !== undefined) return keys;
    this.missing ??= flowId;
    throw new FlowNotRead(flowId);
  }

  get(flowId: string, key: string): FlowValue | undefined {
    return this.keys(flowId).get(key);
  }

  exists(flowId: string, key: string): boolean {
    return this.keys(flowId).has(key);
  }

  snapshot(flowId: string): ReadonlyMap<string, FlowValue> {
    return this.keys(flowId);
  }

  set(): boolean {
    return readOnly();
  }

  increment(): number {
    return readOnly();
  }

  incrBy(): number {
    return readOnly();
  }

  delete(): boolean {
    return readOnly();
  }

  setTtl(): boolean {
    return readOnly();
  }

  keyTtl(): boolean {
    return readOnly();
  }

  cas(): CasOutcome {
    return readOnly();
  }

  clear(): boolean {
    return readOnly();
  }

  list(): FlowListing {
    return { flows: [], truncated: false };
  }

  async open(): Promise<void> {}

  async close(): Promise<void> {}
}
