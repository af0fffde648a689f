// Validates an imposter's `_rift.flowState` and builds its store (not yet connected: the
// imposter opens it before it listens, so an unreachable Redis refuses the imposter).
import { validationError } from '../model/errors.js';
import { isPlainObject } from '../model/plainObject.js';
import type { FlowStore } from './flowStore.js';
import { MemoryFlowStore } from './memoryFlowStore.js';
import { RedisFlowStore } from './redisFlowStore.js';

export const DEFAULT_TTL_SECONDS = 300;
const DEFAULT_KEY_PREFIX = 'rift:';

export interface StoreLog {
  warn(message: string): void;
  info(message: string): void;
}

export function compileFlowState(config: unknown, log: StoreLog): FlowStore {
  if (config === undefined) return new MemoryFlowStore(DEFAULT_TTL_SECONDS);
  if (!isPlainObject(config)) throw validationError("'_rift.flowState' must be an object", config);
  const backend = config.backend ?? 'inmemory';
  const ttlSeconds = config.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  if (typeof ttlSeconds !== 'number' || !Number.isInteger(ttlSeconds) || ttlSeconds < 1) {
    throw validationError(`'_rift.flowState.ttlSeconds' must be an integer of at least 1, got ${JSON.stringify(ttlSeconds)}`, config);
  }
  if (backend === 'inmemory') return new MemoryFlowStore(ttlSeconds);
  if (backend !== 'redis') {
    throw validationError(`'_rift.flowState.backend' must be "inmemory" or "redis", got ${JSON.stringify(backend)}`, config);
  }
  const redis = config.redis;
  if (!isPlainObject(redis) || typeof redis.url !== 'string' || !/^rediss?:\/\//.test(redis.url)) {
    throw validationError("'_rift.flowState.redis.url' is required with the redis backend (redis://host:port)", config);
  }
  const keyPrefix = redis.keyPrefix ?? DEFAULT_KEY_PREFIX;
  if (typeof keyPrefix !== 'string') throw validationError("'_rift.flowState.redis.keyPrefix' must be a string", config);
  return new RedisFlowStore({ url: redis.url, keyPrefix, ttlSeconds, log });
}
