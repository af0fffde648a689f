// Shared by the _rift tests: seed 002's configurations as printed, a free port for each, and a
// switch of their flow state to a real Redis.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, post } from '../support/http.js';
import { repoRoot } from '../support/standinProcess.js';

export type Config = Record<string, any>;

/** One of the four seed configurations (test/rift/seed/*.json, copied verbatim from seed 002). */
export function seedConfig(name: 'per-user-retry' | 'rate-limit' | 'quota-with-reset' | 'circuit-breaker'): Config {
  return JSON.parse(readFileSync(join(repoRoot, 'test', 'rift', 'seed', `${name}.json`), 'utf8')) as Config;
}

export interface Backend {
  name: 'inmemory' | 'redis';
  /** Points `_rift.flowState` at this backend, keeping the configuration's TTL and flowIdSource. */
  apply(config: Config): Config;
}

export const memoryBackend: Backend = { name: 'inmemory', apply: (config) => config };

let prefixes = 0;
export function redisBackend(url: () => string): Backend {
  return {
    name: 'redis',
    apply(config) {
      const ttlSeconds = config._rift?.flowState?.ttlSeconds ?? 300;
      const keyPrefix = `test${process.pid}-${++prefixes}:`;
      return {
        ...config,
        _rift: { ...config._rift, flowState: { ...config._rift?.flowState, backend: 'redis', ttlSeconds, redis: { url: url(), keyPrefix } } },
      };
    },
  };
}

/** Creates the imposter on a free port (never the seed's 4545); answers its base URL. */
export async function createImposter(adminUrl: string, config: Config): Promise<string> {
  const port = await freePort();
  const res = await post(`${adminUrl}/imposters`, { ...config, port });
  assert.equal(res.status, 201, res.body);
  return `http://127.0.0.1:${port}`;
}

/** Replaces the code of the first response's script of stub `index` (same logic, another engine). */
export function withScript(config: Config, index: number, engine: string, code: string): Config {
  const copy = structuredClone(config);
  copy.stubs[index].responses[0]._rift.script = { engine, code };
  return copy;
}
