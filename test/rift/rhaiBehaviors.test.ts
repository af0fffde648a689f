// `decorate` and `wait` written in Rhai, as Rift reads a behavior that is not a JavaScript
// function: Rift's older decorate over `request`/`response`, `transform(ctx)` and `delay(ctx)`
// (with ctx.state on both backends), and what a failing one does.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort, get, post } from '../support/http.js';
import { redisMissing, startRedis, type RedisServer } from '../support/redisServer.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';
import { createImposter, memoryBackend, redisBackend, type Backend, type Config } from './riftSupport.js';

let mb: StandinProcess;
let redis: RedisServer | undefined;
before(async () => {
  [mb, redis] = await Promise.all([startStandin(['--allowInjection']), redisMissing ? undefined : startRedis()]);
});
after(async () => {
  await Promise.all([mb?.stop(), redis?.stop()]);
});

const stub = (path: string, is: Config, behaviors: Config[]): Config => ({ predicates: [{ equals: { path } }], responses: [{ is, behaviors }] });

describe('Rhai decorate', () => {
  it("Rift's form over request and response maps (the SDK corpus's example)", async () => {
    const url = await createImposter(mb.url, {
      protocol: 'http',
      stubs: [
        stub('/rhai', { statusCode: 200, body: 'orig' }, [{ decorate: 'response.body = "rhai-" + request.path;' }]),
        stub('/status', { statusCode: 200, body: 'x' }, [{ decorate: 'response.statusCode = 202; response.headers["X-Decorated"] = request.method;' }]),
        // A JavaScript decorate is still JavaScript.
        stub('/js', { statusCode: 200, body: 'replaced' }, [
          { decorate: "function(config) { config.response.body = 'method-was-' + config.request.method; }" },
        ]),
      ],
    });
    assert.equal((await get(`${url}/rhai`)).body, 'rhai-/rhai');
    const status = await get(`${url}/status`);
    assert.equal(status.status, 202);
    assert.equal(status.headers['x-decorated'], 'GET');
    assert.equal((await get(`${url}/js`)).body, 'method-was-GET');
  });

  it('transform(ctx): http(...) describes the new response; nothing leaves it as it was', async () => {
    const url = await createImposter(mb.url, {
      protocol: 'http',
      stubs: [
        stub('/t', { statusCode: 200, body: '{"v":1}' }, [
          {
            decorate:
              'fn transform(ctx) { http(201, #{ was: ctx.response.json.v, status: ctx.response.status, path: ctx.request.path }).header("X-T", "yes") }',
          },
        ]),
        stub('/same', { statusCode: 200, body: 'same' }, [{ decorate: 'fn transform(ctx) { if ctx.response.status == 500 { http(503) } }' }]),
      ],
    });
    const res = await get(`${url}/t`);
    assert.equal(res.status, 201);
    assert.equal(res.headers['x-t'], 'yes');
    assert.equal(res.headers['content-type'], 'application/json');
    assert.deepEqual(res.json(), { was: 1, status: 200, path: '/t' });
    assert.equal((await get(`${url}/same`)).body, 'same');
  });

  it('a failing Rhai decorate serves the response undecorated with x-rift-decorate-error, and logs why', async () => {
    const url = await createImposter(mb.url, {
      protocol: 'http',
      stubs: [stub('/f', { body: 'plain' }, [{ decorate: 'fn transform(ctx) { throw "nope"; }' }])],
    });
    const res = await get(`${url}/f`);
    assert.equal(res.status, 200);
    assert.equal(res.body, 'plain');
    assert.equal(res.headers['x-rift-decorate-error'], 'true');
    const deadline = Date.now() + 5000;
    while (!/rhai decorate failed/.test(mb.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.match(mb.output(), /error: \[http:\d+\] rhai decorate failed, the response is served undecorated: .*nope/);
  });

  it('a Rhai syntax error in a transform(ctx) is a 400 naming the line', async () => {
    const res = await post(`${mb.url}/imposters`, {
      protocol: 'http',
      port: await freePort(),
      stubs: [stub('/x', { body: 'x' }, [{ decorate: 'fn transform(ctx) {\n  let = 1;\n}' }])],
    });
    assert.equal(res.status, 400, res.body);
    assert.match(res.json().errors[0].message, /decorate \(rhai\): rhai syntax error at line 2/);
  });
});

const backends: Backend[] = [memoryBackend, redisBackend(() => redis!.url)];
for (const backend of backends) {
  describe(`Rhai behaviors with ctx.state on ${backend.name}`, { skip: backend.name === 'redis' ? redisMissing : undefined }, () => {
    it('transform(ctx) and delay(ctx) count per flow', async () => {
      const url = await createImposter(
        mb.url,
        backend.apply({
          protocol: 'http',
          _rift: { flowState: { backend: 'inmemory', flowIdSource: 'header:X-Flow-Id' } },
          stubs: [
            stub('/count', { body: 'n' }, [{ decorate: 'let n = ctx.state.incr("decorated"); http(200, `n=${n} flow=${ctx.flowId}`)' }]),
            stub('/wait', { body: 'waited' }, [{ wait: 'fn delay(ctx) { ctx.state.incr("waits") * 150 }' }]),
          ],
        }),
      );
      const call = (path: string, flow: string) => get(`${url}${path}`, { headers: { 'X-Flow-Id': flow } });
      assert.equal((await call('/count', 'a')).body, 'n=1 flow=a');
      assert.equal((await call('/count', 'a')).body, 'n=2 flow=a');
      assert.equal((await call('/count', 'b')).body, 'n=1 flow=b');
      let started = Date.now();
      assert.equal((await call('/wait', 'w')).body, 'waited');
      const first = Date.now() - started;
      started = Date.now();
      await call('/wait', 'w');
      const second = Date.now() - started;
      assert.ok(first >= 140, `first wait ${first} ms`);
      assert.ok(second >= 290, `second wait ${second} ms`);
    });

    it("ctx.stub has the stub's scenario name and the flow's current state in transform(ctx) and delay(ctx)", async () => {
      const port = await freePort();
      const named = 'http(200, `${ctx.stub.scenarioName}:${ctx.stub.scenarioState}`)';
      const order = (required: string, next: string | undefined, body: string): Config => ({
        scenarioName: 'order',
        requiredScenarioState: required,
        ...(next === undefined ? {} : { newScenarioState: next }),
        ...stub('/order', { body }, [{ decorate: named }]),
      });
      const created = await post(
        `${mb.url}/imposters`,
        backend.apply({
          port,
          protocol: 'http',
          _rift: { flowState: { backend: 'inmemory', flowIdSource: 'header:X-Flow-Id' } },
          stubs: [
            order('Started', 'placed', 'first'),
            order('placed', undefined, 'then'),
            {
              scenarioName: 'order',
              ...stub('/wait', { body: 'waited' }, [
                { wait: 'fn delay(ctx) { ctx.state.set("seen", `${ctx.stub.scenarioName}:${ctx.stub.scenarioState}`); 0 }' },
              ]),
            },
          ],
        }),
      );
      assert.equal(created.status, 201, created.body);
      const call = (path: string) => get(`http://127.0.0.1:${port}${path}`, { headers: { 'X-Flow-Id': 'f1' } });
      const seen = async () => (await get(`${mb.url}/admin/imposters/${port}/flow-state/f1/seen`)).json().value;
      assert.equal((await call('/wait')).body, 'waited');
      assert.equal(await seen(), 'order:Started');
      assert.equal((await call('/order')).body, 'order:Started');
      assert.equal((await call('/order')).body, 'order:placed');
      await call('/wait');
      assert.equal(await seen(), 'order:placed');
    });
  });
}
