// Seed 002's four flow-state examples, over the wire, against both backends: the configurations
// as printed (Lua in Lua, Rhai in Rhai) and the same logic in JavaScript.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { get, post, request } from '../support/http.js';
import { redisMissing, startRedis, type RedisServer } from '../support/redisServer.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';
import { circuitBreakerJs, openCircuitLua, quotaJs, quotaResetJs, rateLimitJs, retryJs } from './javascriptVersions.js';
import { createImposter, memoryBackend, redisBackend, seedConfig, withScript, type Backend, type Config } from './riftSupport.js';

let mb: StandinProcess;
let redis: RedisServer;
before(async () => {
  // Thousands of script calls on a shared, loaded machine: the stall limit is wall-clock time, so a
  // call whose thread merely waited for a CPU could be stopped. These tests are about the seeds'
  // behaviour; eventLoopStalls.test.ts covers the limit.
  [mb, redis] = await Promise.all([startStandin(['--allowInjection', '--stallLimit', '1000']), redisMissing ? undefined! : startRedis()]);
});
after(async () => {
  await Promise.all([mb?.stop(), redis?.stop()]);
});

type Variant = { name: string; retry?: Config; rateLimit?: Config; quota?: Config; circuit?: Config };

const variants = (): Variant[] => [
  {
    name: 'as printed in the seed',
    retry: seedConfig('per-user-retry'),
    rateLimit: seedConfig('rate-limit'),
    quota: seedConfig('quota-with-reset'),
    circuit: seedConfig('circuit-breaker'),
  },
  {
    name: 'in JavaScript',
    retry: withScript(seedConfig('per-user-retry'), 0, 'javascript', retryJs),
    rateLimit: withScript(seedConfig('rate-limit'), 0, 'javascript', rateLimitJs),
    quota: withScript(withScript(seedConfig('quota-with-reset'), 0, 'javascript', quotaJs), 1, 'javascript', quotaResetJs),
    circuit: withScript(seedConfig('circuit-breaker'), 0, 'javascript', circuitBreakerJs),
  },
];

/** Sends `count` requests, `parallel` at a time. */
async function many<T>(count: number, parallel: number, send: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await send(i);
      }
    }),
  );
  return results;
}

const minute = () => Math.floor(Date.now() / 60_000);

for (const backend of [memoryBackend, redisBackend(() => redis.url)] as Backend[]) {
  for (const variant of variants()) {
    describe(`${backend.name} flow state, ${variant.name}`, { skip: backend.name === 'redis' && redisMissing }, () => {
      if (variant.retry) {
        const config = variant.retry;
        it('per-user retry: each user fails twice, then succeeds, independently of the others', async () => {
          const url = await createImposter(mb.url, backend.apply(config));
          const call = async (user?: string) => {
            const res = await get(`${url}/api/resource`, { headers: user ? { 'X-User-Id': user } : {} });
            return { status: res.status, body: res.status === 503 ? res.json() : res.body, retryAfter: res.headers['retry-after'] };
          };
          assert.deepEqual(await call('alice'), { status: 503, body: { error: 'Temporary failure', attempt: 1, user: 'alice' }, retryAfter: '1' });
          assert.deepEqual(await call('bob'), { status: 503, body: { error: 'Temporary failure', attempt: 1, user: 'bob' }, retryAfter: '1' });
          assert.deepEqual(await call('alice'), { status: 503, body: { error: 'Temporary failure', attempt: 2, user: 'alice' }, retryAfter: '1' });
          assert.deepEqual(await call('alice'), { status: 200, body: '{"status": "success"}', retryAfter: undefined });
          assert.deepEqual(await call('bob'), { status: 503, body: { error: 'Temporary failure', attempt: 2, user: 'bob' }, retryAfter: '1' });
          assert.deepEqual(await call('bob'), { status: 200, body: '{"status": "success"}', retryAfter: undefined });
          assert.deepEqual(await call('alice'), { status: 200, body: '{"status": "success"}', retryAfter: undefined });
          assert.deepEqual((await call()).body, { error: 'Temporary failure', attempt: 1, user: 'anonymous' });
        });
      }

      if (variant.rateLimit) {
        const config = variant.rateLimit;
        it('time-window rate limit: 100 requests per client per minute, then 429 with rate-limit headers', async () => {
          const url = await createImposter(mb.url, backend.apply(config));
          // A minute boundary during the run resets the window: run again in the fresh minute.
          for (let attempt = 0; ; attempt++) {
            const started = minute();
            const client = `10.0.0.${attempt + 1}`;
            const ok = await many(100, 10, () => get(`${url}/api/items`, { headers: { 'X-Forwarded-For': client } }));
            const limited = await get(`${url}/api/items`, { headers: { 'X-Forwarded-For': client } });
            const other = await get(`${url}/api/items`, { headers: { 'X-Forwarded-For': `${client}9` } });
            if (minute() !== started && attempt === 0) continue;
            assert.deepEqual(
              ok.map((r) => r.status),
              new Array(100).fill(200),
            );
            assert.equal(ok[0]!.body, '{"status": "ok"}');
            assert.equal(limited.status, 429, limited.body);
            assert.deepEqual(limited.json(), { error: 'Rate limit: 100 requests per minute', count: 101 });
            assert.equal(limited.headers['x-ratelimit-limit'], '100');
            assert.equal(limited.headers['x-ratelimit-remaining'], '0');
            const retryAfter = Number(limited.headers['retry-after']);
            assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${limited.headers['retry-after']}`);
            assert.equal(other.status, 200, 'another client has its own window');
            return;
          }
        });
      }

      if (variant.quota) {
        const config = variant.quota;
        it('quota with reset: 1000 calls per API key, then 402; a reset restores it; no key is a 401', async () => {
          const url = await createImposter(mb.url, backend.apply(config));
          const call = (key?: string) => get(`${url}/api/expensive-operation`, { headers: key ? { 'X-Api-Key': key } : {} });
          const missing = await call();
          assert.equal(missing.status, 401);
          assert.deepEqual(missing.json(), { error: 'API key required' });
          // get-then-set is not atomic on Redis: one request at a time there.
          const results = await many(1000, backend.name === 'redis' ? 1 : 10, () => call('key-a'));
          assert.deepEqual(
            results.map((r) => r.status),
            new Array(1000).fill(200),
          );
          assert.equal(results[0]!.body, '{"result": "expensive computation"}');
          const exceeded = await call('key-a');
          assert.equal(exceeded.status, 402);
          assert.deepEqual(exceeded.json(), { error: 'Quota exceeded', used: 1000, limit: 1000 });
          assert.equal((await call('key-b')).status, 200, 'another key has its own quota');
          const reset = await post(`${url}/api/quota/reset`, '', { headers: { 'X-Api-Key': 'key-a' } });
          assert.equal(reset.status, 200);
          assert.deepEqual(reset.json(), { message: 'Quota reset' });
          assert.equal((await call('key-a')).status, 200);
        });
      }

      if (variant.circuit) {
        const base = variant.circuit;
        const config = {
          ...base,
          stubs: [
            ...base.stubs,
            {
              predicates: [{ equals: { path: '/test/open-circuit' } }],
              responses: [{ _rift: { script: { engine: 'lua', code: openCircuitLua } } }],
            },
          ],
        };
        it('circuit breaker: failures count up, five in a row open it, a success closes it', async () => {
          const url = await createImposter(mb.url, backend.apply(config));
          let failures = 0;
          const seen = new Set<number>();
          for (let i = 0; i < 80; i++) {
            const res = await get(`${url}/api/backend`);
            seen.add(res.status);
            if (failures >= 5) {
              assert.equal(res.status, 503, 'open after five failures in a row');
              assert.equal(res.json().error, 'Circuit breaker open');
              break;
            }
            if (res.status === 200) {
              assert.equal(res.body, '{"status": "ok"}');
              failures = 0;
            } else {
              assert.equal(res.status, 500, res.body);
              assert.deepEqual(res.json(), { error: 'Backend failure', failures: failures + 1 });
              failures++;
            }
          }
          assert.ok(seen.has(200) && seen.has(500), `both successes and failures in 80 calls: ${[...seen]}`);
        });

        it('circuit breaker: open rejects with the time left; after 30 s one probe passes (half-open)', async () => {
          const url = await createImposter(mb.url, backend.apply(config));
          assert.equal((await request('GET', `${url}/test/open-circuit?ago=5`)).status, 204);
          const open = await get(`${url}/api/backend`);
          assert.equal(open.status, 503);
          const body = open.json();
          assert.equal(body.error, 'Circuit breaker open');
          assert.ok(body.retry_after >= 23 && body.retry_after <= 25, `retry_after ${body.retry_after}`);
          assert.equal((await request('GET', `${url}/test/open-circuit?ago=31`)).status, 204);
          const probe = await get(`${url}/api/backend`);
          assert.equal(probe.status, 200);
          assert.equal(probe.body, '{"status": "ok"}');
          const next = await get(`${url}/api/backend`);
          assert.ok(next.status === 200 || next.status === 500, `half-open lets requests through: ${next.status}`);
        });
      }
    });
  }
}
