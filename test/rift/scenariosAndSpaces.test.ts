// Rift's scenarios (stubs gated by a scenario's state and moving it on), spaces (stubs scoped to
// one flow id, chosen by a header) and the admin routes over them and over flow-state keys: Rift's
// documented examples over the wire, on the in-memory store and on a real Redis.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { del, freePort, get, post, put } from '../support/http.js';
import { redisMissing, startRedis, type RedisServer } from '../support/redisServer.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';
import { memoryBackend, redisBackend, type Backend, type Config } from './riftSupport.js';

let standin: StandinProcess;
let redis: RedisServer | undefined;
before(async () => {
  standin = await startStandin();
  if (!redisMissing) redis = await startRedis();
});
after(async () => {
  await standin?.stop();
  await redis?.stop();
});

/** Rift's pay-then-fulfil example (docs/features/scenarios.md), with the flow id read from X-Mock-Space. */
const checkout = (flowIdSource?: string): Config => ({
  protocol: 'http',
  _rift: { flowState: flowIdSource === undefined ? { backend: 'inmemory' } : { backend: 'inmemory', flowIdSource } },
  stubs: [
    {
      scenarioName: 'checkout',
      requiredScenarioState: 'Started',
      newScenarioState: 'paid',
      predicates: [{ equals: { path: '/pay' } }],
      responses: [{ is: { statusCode: 402, body: 'payment required' } }],
    },
    {
      scenarioName: 'checkout',
      requiredScenarioState: 'paid',
      predicates: [{ equals: { path: '/pay' } }],
      responses: [{ is: { statusCode: 200, body: 'fulfilled' } }],
    },
  ],
});

/** Rift's one-port-isolated-tenants example (docs/features/spaces.md). */
const tenants = (): Config => ({
  protocol: 'http',
  recordRequests: true,
  _rift: { flowState: { backend: 'inmemory', ttlSeconds: 300, flowIdSource: 'header:X-Mock-Space' } },
  stubs: [
    { space: 'alice', predicates: [{ equals: { path: '/data' } }], responses: [{ is: { statusCode: 200, body: { owner: 'alice' } } }] },
    { space: 'bob', predicates: [{ equals: { path: '/data' } }], responses: [{ is: { statusCode: 200, body: { owner: 'bob' } } }] },
    { predicates: [{ equals: { path: '/health' } }], responses: [{ is: { statusCode: 200, body: 'OK' } }] },
  ],
});

async function create(backend: Backend, config: Config): Promise<{ port: number; url: string; admin: string }> {
  const port = await freePort();
  const res = await post(`${standin.url}/imposters`, { ...backend.apply(config), port });
  assert.equal(res.status, 201, res.body);
  return { port, url: `http://127.0.0.1:${port}`, admin: `${standin.url}/imposters/${port}` };
}

const space = (name: string) => ({ headers: { 'X-Mock-Space': name } });

function withFlowIdSource(backend: Backend): Backend {
  // The backend switch rebuilds flowState; keep the flow id source of the example.
  return {
    name: backend.name,
    apply(config) {
      const applied = backend.apply(config);
      const source = config._rift?.flowState?.flowIdSource;
      if (source !== undefined) applied._rift.flowState.flowIdSource = source;
      return applied;
    },
  };
}

const backends: Backend[] = [memoryBackend, redisBackend(() => redis!.url)];

for (const plain of backends) {
  const backend = withFlowIdSource(plain);
  describe(`scenarios (${backend.name})`, { skip: backend.name === 'redis' ? redisMissing : undefined }, () => {
    it('gates a stub on the scenario state and moves the state on after answering', async () => {
      const { url, admin, port } = await create(backend, checkout());
      const first = await get(`${url}/pay`);
      assert.deepEqual([first.status, first.body], [402, 'payment required']);
      const second = await get(`${url}/pay`);
      assert.deepEqual([second.status, second.body], [200, 'fulfilled']);
      // A stub without newScenarioState leaves the state where it is.
      assert.equal((await get(`${url}/pay`)).status, 200);
      const listed = await get(`${admin}/scenarios`);
      assert.deepEqual(listed.json(), { flowId: String(port), scenarios: [{ name: 'checkout', state: 'paid' }] });
    });

    it('keeps a timeline per flow id when the flow id comes from a header', async () => {
      const { url, admin } = await create(backend, checkout('header:X-Mock-Space'));
      assert.equal((await get(`${url}/pay`, space('alice'))).status, 402);
      assert.equal((await get(`${url}/pay`, space('bob'))).status, 402);
      assert.equal((await get(`${url}/pay`, space('alice'))).status, 200);
      assert.deepEqual((await get(`${admin}/scenarios?flowId=bob`)).json(), { flowId: 'bob', scenarios: [{ name: 'checkout', state: 'paid' }] });
      assert.deepEqual((await get(`${admin}/scenarios?flowId=carol`)).json(), { flowId: 'carol', scenarios: [{ name: 'checkout', state: 'Started' }] });
    });

    it('arranges a state with PUT and resets a flow with POST .../reset', async () => {
      const { url, admin, port } = await create(backend, checkout('header:X-Mock-Space'));
      const set = await put(`${admin}/scenarios/checkout/state`, { state: 'paid', flowId: 'order-42' });
      assert.deepEqual(set.json(), { flowId: 'order-42', name: 'checkout', state: 'paid' });
      assert.equal((await get(`${url}/pay`, space('order-42'))).body, 'fulfilled');
      assert.equal((await get(`${url}/pay`, space('other'))).body, 'payment required');

      // Without a flowId: the imposter's own flow (its port), also where header-less requests go.
      assert.deepEqual((await put(`${admin}/scenarios/checkout/state`, { state: 'paid' })).json(), { flowId: String(port), name: 'checkout', state: 'paid' });
      assert.equal((await get(`${url}/pay`)).body, 'fulfilled');

      assert.deepEqual((await post(`${admin}/scenarios/reset`, { flowId: 'order-42' })).json(), { flowId: 'order-42', reset: true });
      assert.equal((await get(`${url}/pay`, space('order-42'))).body, 'payment required');
      assert.equal((await get(`${url}/pay`)).body, 'fulfilled', 'another flow is not reset');
      assert.deepEqual((await post(`${admin}/scenarios/reset`, '')).json(), { flowId: String(port), reset: true });
      assert.equal((await get(`${url}/pay`)).body, 'payment required');
    });

    it('stores a scenario state as a flow-state key, which the flow-state routes read, set and delete', async () => {
      const { url, port } = await create(backend, checkout('header:X-Mock-Space'));
      const flowState = `${standin.url}/admin/imposters/${port}/flow-state`;
      await get(`${url}/pay`, space('t1'));
      assert.deepEqual((await get(`${flowState}/t1/checkout`)).json(), { flowId: 't1', key: 'checkout', value: 'paid' });

      const missing = await get(`${flowState}/t1/attempts`);
      assert.equal(missing.status, 404);
      assert.equal(missing.json().errors[0].code, 'no such resource');

      assert.deepEqual((await put(`${flowState}/t1/attempts`, { value: 0 })).json(), { flowId: 't1', key: 'attempts', value: 0 });
      assert.deepEqual((await get(`${flowState}/t1/attempts`)).json(), { flowId: 't1', key: 'attempts', value: 0 });
      assert.deepEqual((await put(`${flowState}/t1/profile`, { value: { tier: 'gold', ids: [1, 2] } })).json().value, { tier: 'gold', ids: [1, 2] });
      assert.deepEqual((await get(`${flowState}/t1/profile`)).json().value, { tier: 'gold', ids: [1, 2] });

      assert.deepEqual((await del(`${flowState}/t1/checkout`)).json(), { flowId: 't1', key: 'checkout', deleted: true });
      assert.equal((await get(`${url}/pay`, space('t1'))).status, 402, 'deleting the key puts the scenario back in Started');

      const refused = await put(`${flowState}/t1/attempts`, { nothing: 1 });
      assert.equal(refused.status, 400);
      assert.match(refused.json().errors[0].message, /missing required field: value/);
    });

    it('clears a whole flow with DELETE /admin/imposters/:port/flow-state/:flowId, scenario states included, leaving other flows', async () => {
      const { url, port } = await create(backend, checkout('header:X-Mock-Space'));
      const flowState = `${standin.url}/admin/imposters/${port}/flow-state`;
      await get(`${url}/pay`, space('t1'));
      await get(`${url}/pay`, space('t2'));
      await put(`${flowState}/t1/attempts`, { value: 3 });
      await put(`${flowState}/t1/profile`, { value: { tier: 'gold' } });

      const cleared = await del(`${flowState}/t1`);
      assert.equal(cleared.status, 200);
      assert.deepEqual(cleared.json(), { flowId: 't1', cleared: true });
      for (const key of ['attempts', 'profile', 'checkout']) assert.equal((await get(`${flowState}/t1/${key}`)).status, 404, `t1's ${key} is gone`);
      assert.equal((await get(`${url}/pay`, space('t1'))).status, 402, 't1 starts its scenario again');
      assert.deepEqual((await get(`${flowState}/t2/checkout`)).json(), { flowId: 't2', key: 'checkout', value: 'paid' }, 'another flow keeps its state');
      assert.equal((await get(`${url}/pay`, space('t2'))).body, 'fulfilled');

      const again = await del(`${flowState}/never-used`);
      assert.equal(again.status, 200, 'clearing a flow without keys is not an error');
      assert.deepEqual(again.json(), { flowId: 'never-used', cleared: true });

      const noImposter = await del(`${standin.url}/admin/imposters/${await freePort()}/flow-state/t1`);
      assert.equal(noImposter.status, 404);
      assert.equal(noImposter.json().errors[0].code, 'no such resource');
    });

    it('moves a scenario as compare-and-set: of two requests that both matched in Started, only the first moves it, and never back', async () => {
      // The first step's answer comes from an origin that holds each request until the test lets
      // it go, so both requests are matched in Started before either has answered.
      const held: http.ServerResponse[] = [];
      const origin = http.createServer((_req, res) => void held.push(res));
      const originPort = await freePort();
      await new Promise<void>((resolve) => origin.listen(originPort, '127.0.0.1', resolve));
      try {
        const pay = { equals: { path: '/pay' } };
        const { url, admin } = await create(backend, {
          protocol: 'http',
          _rift: { flowState: { backend: 'inmemory', flowIdSource: 'header:X-Mock-Space' } },
          stubs: [
            {
              scenarioName: 'checkout',
              requiredScenarioState: 'Started',
              newScenarioState: 'paid',
              predicates: [pay],
              responses: [{ proxy: { to: `http://127.0.0.1:${originPort}`, mode: 'proxyTransparent' } }],
            },
            {
              scenarioName: 'checkout',
              requiredScenarioState: 'paid',
              newScenarioState: 'shipped',
              predicates: [pay],
              responses: [{ is: { body: 'shipping' } }],
            },
            { scenarioName: 'checkout', requiredScenarioState: 'shipped', predicates: [pay], responses: [{ is: { body: 'delivered' } }] },
          ],
        });
        const first = get(`${url}/pay`, space('t1'));
        const second = get(`${url}/pay`, space('t1'));
        const deadline = Date.now() + 10_000;
        while (held.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        assert.equal(held.length, 2, 'both requests matched the Started stub');

        held[0]!.end('payment required');
        assert.equal((await first).body, 'payment required');
        assert.equal((await get(`${url}/pay`, space('t1'))).body, 'shipping', 'the first moved it to paid; this one to shipped');

        held[1]!.end('payment required');
        assert.equal((await second).body, 'payment required', 'the second still answers as the stub it matched');
        assert.deepEqual(
          (await get(`${admin}/scenarios?flowId=t1`)).json().scenarios,
          [{ name: 'checkout', state: 'shipped' }],
          'its move to paid was dropped',
        );
        assert.equal((await get(`${url}/pay`, space('t1'))).body, 'delivered');
      } finally {
        for (const res of held) res.destroy();
        await new Promise((resolve) => origin.close(resolve));
      }
    });

    it('answers a stub that only names its scenario like any stub, and moves it on', async () => {
      const { url, admin, port } = await create(backend, {
        protocol: 'http',
        stubs: [
          { scenarioName: 'login', newScenarioState: 'logged-in', predicates: [{ equals: { path: '/login' } }], responses: [{ is: { body: 'welcome' } }] },
          { scenarioName: 'login', requiredScenarioState: 'logged-in', predicates: [{ equals: { path: '/me' } }], responses: [{ is: { body: 'me' } }] },
          { predicates: [{ equals: { path: '/me' } }], responses: [{ is: { statusCode: 401 } }] },
        ],
      });
      assert.equal((await get(`${url}/me`)).status, 401);
      assert.equal((await get(`${url}/login`)).body, 'welcome');
      assert.equal((await get(`${url}/me`)).body, 'me');
      assert.deepEqual((await get(`${admin}/scenarios`)).json().scenarios, [{ name: 'login', state: 'logged-in' }]);
      assert.equal(port > 0, true);
    });
  });

  describe(`spaces (${backend.name})`, { skip: backend.name === 'redis' ? redisMissing : undefined }, () => {
    it('serves each space its own stubs on one port, and global stubs to every caller', async () => {
      const { url } = await create(backend, tenants());
      assert.deepEqual((await get(`${url}/data`, space('alice'))).json(), { owner: 'alice' });
      assert.deepEqual((await get(`${url}/data`, space('bob'))).json(), { owner: 'bob' });
      assert.equal((await get(`${url}/health`)).body, 'OK');
      assert.equal((await get(`${url}/health`, space('alice'))).body, 'OK');
      // No header, or a space with no stubs of its own: only the global stubs, then the default response.
      const none = await get(`${url}/data`);
      assert.deepEqual([none.status, none.body], [200, '']);
      assert.equal((await get(`${url}/data`, space('carol'))).body, '');
    });

    it('adds stubs to a space, inspects it, and tears it down without touching other spaces', async () => {
      const { url, admin } = await create(backend, tenants());
      // Rift's curl example sends the stub itself; Rift's SDKs send {"stub": ...}: both are accepted.
      const added = await post(`${admin}/spaces/alice/stubs`, {
        predicates: [{ equals: { path: '/scoped' } }],
        responses: [{ is: { statusCode: 200, body: 'scoped' } }],
      });
      assert.equal(added.status, 201, added.body);
      assert.equal(added.json().space, 'alice');
      assert.deepEqual(
        added.json().stubs.map((s: Config) => s.predicates[0].equals.path),
        ['/data', '/scoped'],
      );
      const wrapped = await post(`${admin}/spaces/carol/stubs`, {
        stub: { predicates: [{ equals: { path: '/data' } }], responses: [{ is: { body: 'carol' } }] },
      });
      assert.equal(wrapped.status, 201, wrapped.body);

      assert.equal((await get(`${url}/scoped`, space('alice'))).body, 'scoped');
      assert.equal((await get(`${url}/scoped`, space('bob'))).body, '');
      assert.equal((await get(`${url}/data`, space('carol'))).body, 'carol');

      const listed = await get(`${admin}/spaces/alice/stubs`);
      assert.deepEqual(
        listed.json().stubs.map((s: Config) => s.space),
        ['alice', 'alice'],
      );

      const inspected = (await get(`${admin}/spaces/alice`)).json();
      assert.equal(inspected.space, 'alice');
      assert.equal(inspected.stubs.length, 2);
      assert.deepEqual(inspected.scenarios, []);
      assert.equal(inspected.numberOfRequests, 1, 'the one request alice made');

      assert.deepEqual((await del(`${admin}/spaces/alice`)).json(), { space: 'alice', tornDown: true });
      assert.equal((await get(`${admin}/spaces/alice`)).json().numberOfRequests, 0);
      assert.equal((await get(`${url}/data`, space('alice'))).body, '');
      assert.deepEqual((await get(`${url}/data`, space('bob'))).json(), { owner: 'bob' });
      const bobs = await get(`${standin.url}/imposters/${new URL(url).port}/savedRequests?match=flow_id=bob`);
      assert.equal(bobs.json().length, 2, "bob's recorded requests stay");
      // The imposter's stubs no longer hold alice's.
      assert.ok((await get(admin)).json().stubs.every((s: Config) => s.space !== 'alice'));
    });

    it('keeps scenario states per space, and a teardown resets them', async () => {
      const config = checkout('header:X-Mock-Space');
      const { url, admin } = await create(backend, config);
      assert.equal((await get(`${url}/pay`, space('alice'))).status, 402);
      assert.deepEqual((await get(`${admin}/spaces/alice`)).json().scenarios, [{ name: 'checkout', state: 'paid' }]);
      await del(`${admin}/spaces/alice`);
      assert.deepEqual((await get(`${admin}/spaces/alice`)).json().scenarios, [{ name: 'checkout', state: 'Started' }]);
      assert.equal((await get(`${url}/pay`, space('alice'))).status, 402);
    });
  });
}

describe('the dry run and X-Rift-Debug', () => {
  it("name the stub that would answer in the request's space and scenario state", async () => {
    const { url, admin } = await create(memoryBackend, tenants());
    const debug = await get(`${url}/data`, { headers: { 'X-Mock-Space': 'bob', 'X-Rift-Debug': 'true' } });
    assert.equal(debug.json().matchResult.stubIndex, 1);
    const dry = await post(`${admin}/test`, { request: { method: 'GET', path: '/data', headers: { 'X-Mock-Space': 'alice' } } });
    assert.equal(dry.json().stubIndex, 0);
    const nobody = await post(`${admin}/test`, { request: { method: 'GET', path: '/data' } });
    assert.equal(nobody.json().matched, false);

    const pay = await create(memoryBackend, checkout());
    assert.equal((await post(`${pay.admin}/test`, { request: { method: 'GET', path: '/pay' } })).json().stubIndex, 0);
    await get(`${pay.url}/pay`);
    assert.equal((await post(`${pay.admin}/test`, { request: { method: 'GET', path: '/pay' } })).json().stubIndex, 1);
  });
});

describe('scenario and space validation', () => {
  it('refuses scenario states without a scenario name, and a space that is not a string', async () => {
    const port = await freePort();
    const noName = await post(`${standin.url}/imposters`, {
      protocol: 'http',
      port,
      stubs: [{ requiredScenarioState: 'paid', responses: [{ is: {} }] }],
    });
    assert.equal(noName.status, 400);
    assert.match(noName.json().errors[0].message, /needs the 'scenarioName'/);
    const badSpace = await post(`${standin.url}/imposters`, { protocol: 'http', port, stubs: [{ space: 7, responses: [{ is: {} }] }] });
    assert.equal(badSpace.status, 400);
    assert.match(badSpace.json().errors[0].message, /'space' must be a non-empty string/);
    const badSource = await post(`${standin.url}/imposters`, { protocol: 'http', port, _rift: { flowState: { flowIdSource: 'cookie:x' } }, stubs: [] });
    assert.equal(badSource.status, 400);
    assert.match(badSource.json().errors[0].message, /"imposter_port" or "header:<Name>"/);
    // Nothing was created.
    assert.equal((await get(`${standin.url}/imposters/${port}`)).status, 404);
  });

  it('refuses a state change without a state, and routes on an imposter that does not exist', async () => {
    const { admin } = await create(memoryBackend, checkout());
    const noState = await put(`${admin}/scenarios/checkout/state`, { flowId: 'x' });
    assert.equal(noState.status, 400);
    assert.match(noState.json().errors[0].message, /missing required field: state/);
    assert.equal((await get(`${standin.url}/imposters/1/scenarios`)).status, 404);
  });
});
