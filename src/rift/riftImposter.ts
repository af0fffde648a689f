// An imposter's `_rift` settings, compiled once: its flow store and its script budget. Every
// imposter has one, so stubs added later may carry scripts (in-memory store, default TTL).
import type { Log } from '../logging/logger.js';
import { validationError } from '../model/errors.js';
import { isPlainObject } from '../model/plainObject.js';
import { compileFlowState, DEFAULT_TTL_SECONDS } from '../state/compileFlowState.js';
import { compileFlowIdSource, type FlowIdResolver } from '../state/flowIdSource.js';
import { FlowStoreError, type FlowStore } from '../state/flowStore.js';

/** `_rift.scriptEngine.timeoutMs` when not set: the wall-clock budget of one script run. */
export const DEFAULT_SCRIPT_TIMEOUT_MS = 5_000;

export interface RiftImposter {
  readonly store: FlowStore;
  /** Which flow a request belongs to (`flowState.flowIdSource`). */
  readonly flowId: FlowIdResolver;
  /** The store's settings as in force (defaults filled in), shown with its flows. */
  readonly flowState: { backend: 'inmemory' | 'redis'; ttlSeconds: number };
  readonly scriptTimeoutMs: number;
  /** `_rift.scriptEngine.defaultEngine`: a script naming no engine runs on it (rhai unless set). */
  readonly defaultEngine: string;
  /** `_rift.scripts`: named scripts a response's `script.ref` points at. */
  readonly registry: Readonly<Record<string, unknown>>;
  readonly log: Log;
  /** Connects the store; an unreachable Redis is a 400 for the imposter. */
  open(): Promise<void>;
  close(): Promise<void>;
}

export function compileRiftImposter(config: unknown, log: Log): RiftImposter {
  if (config !== undefined && !isPlainObject(config)) throw validationError("'_rift' must be an object", config);
  const store = compileFlowState(config?.flowState, log);
  const flowState = config?.flowState;
  const flowId = compileFlowIdSource(isPlainObject(flowState) ? flowState.flowIdSource : undefined);
  const scriptTimeoutMs = compileScriptTimeout(config?.scriptEngine);
  const registry = config?.scripts ?? {};
  if (!isPlainObject(registry)) throw validationError("'_rift.scripts' must be an object of named scripts", config);
  // Valid by now: compileFlowState refused anything else.
  const given = isPlainObject(flowState) ? flowState : {};
  const settings = {
    backend: given.backend === 'redis' ? ('redis' as const) : ('inmemory' as const),
    ttlSeconds: typeof given.ttlSeconds === 'number' ? given.ttlSeconds : DEFAULT_TTL_SECONDS,
  };
  return {
    store,
    flowId,
    flowState: settings,
    scriptTimeoutMs,
    defaultEngine: compileDefaultEngine(config?.scriptEngine),
    registry,
    log,
    async open() {
      try {
        await store.open();
      } catch (err) {
        if (err instanceof FlowStoreError) throw validationError(`_rift.flowState: ${err.message}`, config?.flowState);
        throw err;
      }
    },
    close: () => store.close(),
  };
}

function compileDefaultEngine(config: unknown): string {
  const engine = isPlainObject(config) ? config.defaultEngine : undefined;
  if (engine === undefined) return 'rhai';
  if (typeof engine !== 'string') throw validationError("'_rift.scriptEngine.defaultEngine' must be an engine name", config);
  return engine;
}

function compileScriptTimeout(config: unknown): number {
  if (config === undefined) return DEFAULT_SCRIPT_TIMEOUT_MS;
  if (!isPlainObject(config)) throw validationError("'_rift.scriptEngine' must be an object", config);
  const value = config.timeoutMs ?? DEFAULT_SCRIPT_TIMEOUT_MS;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw validationError(`'_rift.scriptEngine.timeoutMs' must be a positive integer, got ${JSON.stringify(value)}`, config);
  }
  return value;
}
