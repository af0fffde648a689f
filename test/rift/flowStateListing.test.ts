// GET /imposters/:port/_rift: the flow state an imposter's scripts left, per flow id, with each
// key's value and the seconds it has left, from the in-memory store and from a real Redis.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MemoryFlowStore } from '../../src/state/memoryFlowStore.js';
import { freePort, get, post } from '../support/http.js';
import { redisMissing, startRedis, type RedisServer } from '../support/redisServer.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let server: StandinProcess;
let redis: RedisServer | undefined;

before(async () => {
  [server, redis] = await Promise.all([startStandin(), redisMissing ? undefined : startRedis()]);
});
after(async () => {
  await server?.stop();
  await redis?.stop();
});

const COUNTING =
  "function should_inject(request, flow_store) flow_store:increment(request.headers['x-user'] or 'anonymous', 'calls'); flow_store:set(request.headers['x-user'] or 'anonymous', 'last', request.path); return { inject = false } end";

async function countingImposter(flowState?: unknown): Promise<number> {
  const port = await freePort();
  const created = await post(`${server.url}/imposters`, {
    protocol: 'http',
    port,
    ...(flowState ? { _rift: { flowState } } : {}),
    stubs: [{ responses: [{ is: { body: 'ok' }, _rift: { script: { engine: 'lua', code: COUNTING } } }] }],
  });
  assert.equal(created.status, 201, created.body);
  return port;
}

async function call(port: number, user: string, path: string): Promise<void> {
  const answer = await get(`http://127.0.0.1:${port}${path}`, { headers: { 'x-user': user } });
  assert.equal(answer.body, 'ok');
}

interface Listing {
  flowState: {
    backend: string;
    ttlSeconds: number;
    truncated: boolean;
    flows: Array<{ flowId: string; keys: Array<{ key: string; value: unknown; ttlSeconds: number }> }>;
  };
}

function byFlow(listing: Listing): Record<string, Record<string, unknown>> {
  return Object.fromEntries(listing.flowState.flows.map((f) => [f.flowId, Object.fromEntries(f.keys.map((k) => [k.key, k.value]))]));
}

describe('GET /imposters/:port/_rift', () => {
  it('in memory: each flow with its keys and values, the TTLs counting down from ttlSeconds', async () => {
    const port = await countingImposter({ backend: 'inmemory', ttlSeconds: 120 });
    const empty = (await get(`${server.url}/imposters/${port}/_rift`)).json() as Listing;
    assert.deepEqual(empty, { flowState: { backend: 'inmemory', ttlSeconds: 120, flows: [], truncated: false } });
    await call(port, 'alice', '/a');
    await call(port, 'alice', '/b');
    await call(port, 'bob', '/c');
    const listing = (await get(`${server.url}/imposters/${port}/_rift`)).json() as Listing;
    assert.deepEqual(byFlow(listing), { alice: { calls: 2, last: '/b' }, bob: { calls: 1, last: '/c' } });
    for (const flow of listing.flowState.flows) for (const key of flow.keys) assert.ok(key.ttlSeconds > 100 && key.ttlSeconds <= 120, `${key.ttlSeconds}`);
  });

  it('an imposter without _rift has an empty in-memory store with the default TTL', async () => {
    const port = await freePort();
    assert.equal((await post(`${server.url}/imposters`, { protocol: 'http', port })).status, 201);
    assert.deepEqual((await get(`${server.url}/imposters/${port}/_rift`)).json(), {
      flowState: { backend: 'inmemory', ttlSeconds: 300, flows: [], truncated: false },
    });
    assert.equal((await get(`${server.url}/imposters/${port + 100000}/_rift`)).status, 404);
  });

  it('on Redis: the same listing, read with SCAN from the shared store', { skip: redisMissing }, async () => {
    const port = await countingImposter({ backend: 'redis', ttlSeconds: 60, redis: { url: redis!.url, keyPrefix: `list${Date.now()}:` } });
    await call(port, 'carol', '/x');
    await call(port, 'carol', '/y');
    const listing = (await get(`${server.url}/imposters/${port}/_rift`)).json() as Listing;
    assert.equal(listing.flowState.backend, 'redis');
    assert.deepEqual(byFlow(listing), { carol: { calls: 2, last: '/y' } });
    for (const key of listing.flowState.flows[0]!.keys) assert.ok(key.ttlSeconds > 0 && key.ttlSeconds <= 60);
  });

  it('a listing stops at its limit and says it was cut', () => {
    const store = new MemoryFlowStore(60);
    for (let i = 0; i < 5; i++) store.set(`flow${i}`, 'k', i);
    const listing = store.list(3);
    assert.equal(listing.flows.length, 3);
    assert.equal(listing.truncated, true);
    assert.equal(store.list(5).truncated, false);
    void store.close();
  });
});
