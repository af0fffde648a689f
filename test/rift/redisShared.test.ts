// Redis flow state is the reason the backend exists: it outlives a standin restart, and several
// standin processes pointed at one Redis count together, atomically.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort, get, post } from '../support/http.js';
import { redisMissing, startRedis, type RedisServer } from '../support/redisServer.js';
import { startStandin } from '../support/standinProcess.js';
import type { Config } from './riftSupport.js';

let redis: RedisServer;
before(async () => {
  if (!redisMissing) redis = await startRedis();
});
after(async () => {
  await redis?.stop();
});

const counter = (keyPrefix: string, port: number): Config => ({
  protocol: 'http',
  port,
  _rift: { flowState: { backend: 'redis', ttlSeconds: 300, redis: { url: redis.url, keyPrefix } } },
  stubs: [
    {
      responses: [
        {
          _rift: {
            script: {
              engine: 'lua',
              code: "function should_inject(request, flow_store)\n  local n = flow_store:increment(request.headers['x-user-id'] or 'anonymous', 'hits')\n  return { inject = true, fault = 'error', status = 200, body = 'hit ' .. n }\nend",
            },
          },
        },
      ],
    },
  ],
});

describe('Redis flow state across processes', { skip: redisMissing }, () => {
  it('outlives a restart of the standin executable', async () => {
    const port = await freePort();
    const first = await startStandin();
    try {
      assert.equal((await post(`${first.url}/imposters`, counter('restart:', port))).status, 201);
      const user = { headers: { 'X-User-Id': 'carol' } };
      assert.equal((await get(`http://127.0.0.1:${port}/`, user)).body, 'hit 1');
      assert.equal((await get(`http://127.0.0.1:${port}/`, user)).body, 'hit 2');
    } finally {
      await first.stop();
    }
    const second = await startStandin();
    try {
      assert.equal((await post(`${second.url}/imposters`, counter('restart:', port))).status, 201);
      assert.equal((await get(`http://127.0.0.1:${port}/`, { headers: { 'X-User-Id': 'carol' } })).body, 'hit 3');
      assert.equal((await get(`http://127.0.0.1:${port}/`, { headers: { 'X-User-Id': 'dave' } })).body, 'hit 1');
    } finally {
      await second.stop();
    }
    // The key is where the documentation says it is, with the TTL of the configuration.
    assert.match(await redis.command('GET', 'restart:flow:carol:hits'), /^\$1\r\n3\r\n$/);
    const ttl = Number(/^:(\d+)/.exec(await redis.command('TTL', 'restart:flow:carol:hits'))?.[1]);
    assert.ok(ttl > 250 && ttl <= 300, `TTL ${ttl}`);
  });

  it('counts atomically with two standin processes sharing one Redis', async () => {
    const [a, b] = await Promise.all([startStandin(), startStandin()]);
    try {
      const [portA, portB] = [await freePort(), await freePort()];
      assert.equal((await post(`${a.url}/imposters`, counter('shared:', portA))).status, 201);
      assert.equal((await post(`${b.url}/imposters`, counter('shared:', portB))).status, 201);
      const sends = Array.from({ length: 200 }, (_, i) => get(`http://127.0.0.1:${i % 2 ? portA : portB}/`, { headers: { 'X-User-Id': 'erin' } }));
      const counts = (await Promise.all(sends)).map((res) => Number(res.body.replace('hit ', '')));
      assert.deepEqual(
        counts.sort((x, y) => x - y),
        Array.from({ length: 200 }, (_, i) => i + 1),
      );
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
