// Rift's script predicate over the wire: `{"_rift": {"script": ...}}` whose `matches(ctx)` (or
// its body alone) decides, in Rhai, JavaScript and Lua; the flow state it reads on the in-memory
// and the Redis backend; and/or/not around it; what a failing one answers; creation errors; the
// dry run, a miss's explanation, verify and X-Rift-Debug.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { get, post, put, request } from '../support/http.js';
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

const backends: Backend[] = [memoryBackend, redisBackend(() => redis!.url)];
const skipFor = (backend: Backend) => (backend.name === 'redis' ? redisMissing : undefined);

const scriptPredicate = (engine: string, code: string): Config => ({ _rift: { script: { engine, code } } });
const answer = (body: string): Config => ({ is: { statusCode: 200, body } });
const FLOWS = { flowState: { backend: 'inmemory', ttlSeconds: 300, flowIdSource: 'header:X-Flow-Id' } };

// The same predicate in each engine and form: the flow's role is "admin" and the request says who it is.
const ADMIN = [
  ['matches(ctx) in rhai', 'rhai', 'fn matches(ctx) { ctx.state.get("role") == "admin" && ctx.request.header("X-User") == "ann" }'],
  ['the bare form in rhai', 'rhai', 'let role = ctx.state.get_or("role", "guest");\nrole == "admin" && ctx.request.headers["x-user"] == "ann"'],
  ['matches(ctx) in js', 'js', 'function matches(ctx) { return ctx.state.get("role") === "admin" && ctx.request.header("X-User") === "ann"; }'],
  ['the bare form in js', 'javascript', 'ctx.state.getOr("role", "guest") === "admin" && ctx.request.headers["x-user"] === "ann"'],
  ['matches(ctx) in lua', 'lua', 'function matches(ctx) return ctx.state:get("role") == "admin" and ctx.request:header("X-User") == "ann" end'],
  ['the bare form in lua', 'lua', 'return ctx.state.get_or("role", "guest") == "admin" and ctx.request.headers["x-user"] == "ann"'],
] as const;

for (const backend of backends) {
  describe(`script predicates on ${backend.name}`, { skip: skipFor(backend) }, () => {
    for (const [form, engine, code] of ADMIN) {
      it(`${form}: matches on the flow's state and the request`, async () => {
        const url = await createImposter(
          mb.url,
          backend.apply({
            protocol: 'http',
            _rift: FLOWS,
            stubs: [
              {
                predicates: [{ equals: { method: 'POST', path: '/login' } }],
                responses: [{ _rift: { script: { engine: 'rhai', code: 'ctx.state.set("role", ctx.request.json.role); http(204)' } } }],
              },
              { predicates: [{ equals: { path: '/admin' } }, scriptPredicate(engine, code)], responses: [answer('welcome')] },
              { predicates: [{ equals: { path: '/admin' } }], responses: [{ is: { statusCode: 403, body: 'no' } }] },
            ],
          }),
        );
        const admin = (flow: string, user = 'ann') => get(`${url}/admin`, { headers: { 'X-Flow-Id': flow, 'X-User': user } });
        assert.equal((await admin('f1')).status, 403, 'no role yet');
        const login = await post(`${url}/login`, { role: 'admin' }, { headers: { 'X-Flow-Id': 'f1' } });
        assert.equal(login.status, 204);
        const welcome = await admin('f1');
        assert.equal(welcome.status, 200);
        assert.equal(welcome.body, 'welcome');
        assert.equal((await admin('f1', 'bob')).status, 403, 'the request decides too');
        assert.equal((await admin('f2')).status, 403, 'another flow has no role');
      });
    }

    it('and/or/not around script predicates, ctx.store.flow, ctx.flowId and the stub scenario state', async () => {
      const imposter = backend.apply({
        protocol: 'http',
        _rift: FLOWS,
        stubs: [
          {
            predicates: [
              {
                or: [
                  { equals: { query: { force: 'yes' } } },
                  { and: [{ startsWith: { path: '/orders' } }, scriptPredicate('rhai', 'ctx.store.flow("global").get("open") == true')] },
                ],
              },
              { not: scriptPredicate('js', 'ctx.flowId === "blocked"') },
            ],
            responses: [answer('open')],
          },
          {
            scenarioName: 'checkout',
            predicates: [scriptPredicate('lua', 'return ctx.stub.scenarioName == "checkout" and ctx.stub.scenarioState == "Started"')],
            responses: [answer('scenario started')],
          },
        ],
      });
      const port = (await createImposter(mb.url, imposter)).split(':').pop();
      const url = `http://127.0.0.1:${port}`;
      const call = (path: string, flow: string) => get(`${url}${path}`, { headers: { 'X-Flow-Id': flow } });
      assert.equal((await call('/orders/1', 'f1')).body, 'scenario started', 'the global flow is not open');
      const set = await put(`${mb.url}/admin/imposters/${port}/flow-state/global/open`, { value: true });
      assert.equal(set.status, 200, set.body);
      assert.equal((await call('/orders/1', 'f1')).body, 'open');
      assert.equal((await call('/orders/1', 'blocked')).body, 'scenario started', 'not: the flow is blocked');
      assert.equal((await call('/other?force=yes', 'f2')).body, 'open', 'or: the first branch');
      const moved = await put(`${mb.url}/imposters/${port}/scenarios/checkout/state`, { state: 'Paid', flowId: 'f3' });
      assert.ok(moved.status < 300, moved.body);
      const missed = await call('/elsewhere', 'f3');
      assert.equal(missed.status, 200);
      assert.equal(missed.body, '', 'the scenario moved on: no stub matches');
    });

    it('a script that writes state, throws or loops fails the request as a script error naming the stub', async () => {
      const url = await createImposter(
        mb.url,
        backend.apply({
          protocol: 'http',
          _rift: FLOWS,
          stubs: [
            { id: 'writer', predicates: [{ equals: { path: '/write' } }, scriptPredicate('rhai', 'ctx.state.incr("n") > 1')], responses: [answer('x')] },
            {
              predicates: [{ equals: { path: '/throw' } }, scriptPredicate('js', 'function matches(ctx) { throw new Error("boom"); }')],
              responses: [answer('x')],
            },
            { predicates: [{ equals: { path: '/loop' } }, scriptPredicate('rhai', 'loop { }')], responses: [answer('x')] },
            { predicates: [{ equals: { path: '/async' } }, scriptPredicate('js', 'async function matches(ctx) { return true; }')], responses: [answer('x')] },
            { predicates: [scriptPredicate('rhai', '"yes"')], responses: [answer('never: only true matches')] },
          ],
        }),
      );
      const write = await get(`${url}/write`);
      assert.equal(write.status, 500);
      assert.equal(write.headers['x-rift-script-error'], 'true');
      const error = write.json().errors[0];
      assert.equal(error.code, 'script error');
      assert.equal(error.stub, 'stub "writer"');
      assert.match(error.message, /a predicate reads flow state but does not change it/);
      const thrown = await get(`${url}/throw`);
      assert.equal(thrown.status, 500);
      assert.equal(thrown.json().errors[0].stub, 'stub 1');
      assert.match(thrown.json().errors[0].message, /boom/);
      const looped = await get(`${url}/loop`);
      assert.equal(looped.status, 504);
      assert.equal(looped.headers['x-rift-script-timeout'], 'true');
      assert.equal(looped.json().errors[0].code, 'script timeout');
      assert.match(looped.json().errors[0].message, /stopped \(--stallLimit\)/, 'the stall limit stopped it, not the 5 s budget');
      const promised = await get(`${url}/async`);
      assert.equal(promised.status, 500);
      assert.match(promised.json().errors[0].message, /not a Promise/);
      const other = await get(`${url}/other`);
      assert.equal(other.status, 200);
      assert.equal(other.body, '', 'a script answering "yes" does not match');
      // The imposter goes on serving.
      assert.equal((await get(`${url}/other`)).status, 200);
    });

    it('the dry run, a miss explained, verify and X-Rift-Debug run the script predicate', async () => {
      const url = await createImposter(
        mb.url,
        backend.apply({
          protocol: 'http',
          recordRequests: true,
          _rift: FLOWS,
          stubs: [{ id: 'vip', predicates: [scriptPredicate('rhai', 'fn matches(ctx) { ctx.state.get("tier") == "vip" }')], responses: [answer('vip')] }],
        }),
      );
      const port = url.split(':').pop();
      await put(`${mb.url}/admin/imposters/${port}/flow-state/gold/tier`, { value: 'vip' });
      const dry = await post(`${mb.url}/imposters/${port}/test`, { request: { path: '/x', headers: { 'X-Flow-Id': 'gold' } } });
      assert.equal(dry.status, 200, dry.body);
      assert.equal(dry.json().matched, true);
      assert.equal(dry.json().stubId, 'vip');
      const dryMiss = await post(`${mb.url}/imposters/${port}/test`, { request: { path: '/x', headers: { 'X-Flow-Id': 'plain' } } });
      assert.equal(dryMiss.json().matched, false);
      assert.deepEqual(dryMiss.json().nearMiss.failed, [{ at: 'predicates[0]._rift', operator: '_rift', held: false }]);

      assert.equal((await get(`${url}/a`, { headers: { 'X-Flow-Id': 'gold' } })).body, 'vip');
      assert.equal((await get(`${url}/b`, { headers: { 'X-Flow-Id': 'plain' } })).body, '');
      const explained = await get(`${mb.url}/imposters/${port}/savedRequests?explain=true`);
      const missed = explained.json()[1];
      assert.equal(missed.nearMiss.failed[0].at, 'predicates[0]._rift', JSON.stringify(missed));

      const verify = await post(`${mb.url}/imposters/${port}/verify`, {
        predicates: [scriptPredicate('js', 'ctx.state.get("tier") === "vip" && ctx.request.path === "/a"')],
      });
      assert.equal(verify.status, 200, verify.body);
      assert.equal(verify.json().matched, 1);
      assert.equal(verify.json().total, 2);

      const debug = await request('GET', `${url}/c`, { headers: { 'X-Flow-Id': 'gold', 'X-Rift-Debug': 'true' } });
      assert.equal(debug.json().matchResult.matched, true);
      assert.equal(debug.json().matchResult.stubId, 'vip');
    });
  });
}

describe('script predicates refused at creation', () => {
  const create = (predicate: Config, extra: Config = {}) =>
    post(`${mb.url}/imposters`, { protocol: 'http', stubs: [{ ...extra, predicates: [{ equals: { path: '/' } }, predicate], responses: [{ is: {} }] }] });

  it('names the stub in a syntax error, an unknown engine and a missing or misnamed entry point', async () => {
    const syntax = await create(scriptPredicate('rhai', 'fn matches(ctx) { ctx.request.path == }'), { id: 'broken' });
    assert.equal(syntax.status, 400);
    const error = syntax.json().errors[0];
    assert.equal(error.code, 'bad data');
    assert.match(error.message, /^stub "broken", in a predicate: _rift\.script: rhai syntax error at line 1, column \d+/);
    assert.equal(error.line, 1);

    const engine = await create(scriptPredicate('rhaii', 'true'));
    assert.equal(engine.status, 400);
    assert.match(engine.json().errors[0].message, /^stub 0, in a predicate: '_rift\.script\.engine' must be one of .*did you mean "rhai"/);

    const misnamed = await create(scriptPredicate('rhai', 'fn match(ctx) { true }'));
    assert.equal(misnamed.status, 400);
    assert.match(misnamed.json().errors[0].message, /defines match but no matches\(ctx\)/);

    const noScript = await create({ _rift: { scirpt: {} } });
    assert.equal(noScript.status, 400);
    assert.match(noScript.json().errors[0].message, /a '_rift' predicate needs a script/);

    const twoOperators = await create({ equals: { path: '/' }, _rift: { script: { engine: 'rhai', code: 'true' } } });
    assert.equal(twoOperators.status, 400);
    assert.match(twoOperators.json().errors[0].message, /only one predicate operator, but this one has equals, _rift/);
  });

  it('a JavaScript predicate needs --allowInjection; Rhai and Lua do not', async () => {
    const plain = await startStandin([]);
    try {
      const stub = (engine: string, code: string) => ({ predicates: [scriptPredicate(engine, code)], responses: [{ is: { body: engine } }] });
      const js = await post(`${plain.url}/imposters`, { protocol: 'http', stubs: [stub('js', 'true')] });
      assert.equal(js.status, 400);
      assert.equal(js.json().errors[0].code, 'invalid injection');
      const url = await createImposter(plain.url, {
        protocol: 'http',
        stubs: [stub('rhai', 'ctx.request.path == "/r"'), stub('lua', 'return ctx.request.path == "/l"')],
      });
      assert.equal((await get(`${url}/r`)).body, 'rhai');
      assert.equal((await get(`${url}/l`)).body, 'lua');
    } finally {
      await plain.stop();
    }
  });
});

describe('script predicates while Redis is away', { skip: redisMissing }, () => {
  it('answers 503 naming the flow store and logs it, then matches again once Redis is back', async () => {
    const own = await startRedis();
    try {
      const url = await createImposter(mb.url, {
        protocol: 'http',
        _rift: { flowState: { backend: 'redis', redis: { url: own.url, keyPrefix: 'lost:' } } },
        stubs: [{ predicates: [scriptPredicate('rhai', 'ctx.state.get_or("on", true)')], responses: [answer('on')] }],
      });
      assert.equal((await get(url)).body, 'on');
      await own.stop();
      const lost = await get(url);
      assert.equal(lost.status, 503);
      assert.equal(lost.json().errors[0].code, 'flow state unavailable');
      assert.match(lost.json().errors[0].message, /Redis snapshot failed/);
      const deadline = Date.now() + 5000;
      while (!/flow state: Redis snapshot failed/.test(mb.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      assert.match(mb.output(), /flow state: Redis snapshot failed/);
      await own.start();
      for (const until = Date.now() + 5000; (await get(url)).status !== 200 && Date.now() < until;) await new Promise((r) => setTimeout(r, 100));
      assert.equal((await get(url)).body, 'on');
    } finally {
      await own.stop();
    }
  });
});
