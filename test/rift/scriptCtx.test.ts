// Rift's script API over the wire: `respond(ctx)` and the bare form in Rhai and JavaScript, the
// result constructors, `ctx.request`, `ctx.state` on both backends, `ctx.store.flow`, `ctx.flowId`,
// `ctx.stub`, `ctx.logger`, `routePattern`, `ref` scripts, and what a failing script answers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort, get, post, request } from '../support/http.js';
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

/** Log lines are written in batches: waits for one. */
async function logged(pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!pattern.test(mb.output()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

const backends: Backend[] = [memoryBackend, redisBackend(() => redis!.url)];
const skipFor = (backend: Backend) => (backend.name === 'redis' ? redisMissing : undefined);

const scriptStub = (path: string, engine: string, code: string, extra: Config = {}): Config => ({
  ...extra,
  predicates: [{ equals: { path } }],
  responses: [{ _rift: { script: { engine, code } } }],
});

// Rift's documented examples (docs/features/scripting.md, flow-state.md, the SDK corpus), as printed.
const RETRY_RHAI =
  'fn respond(ctx) { let n = ctx.state.incr("attempts"); if n <= 2 { http(503, #{ error: "unavailable", attempt: n }).header("Retry-After", "1") } else { http(200, #{ ok: true, succeededOnAttempt: n }) } }';
const RETRY_BARE = `let n = ctx.state.incr("attempts");
if n <= 2 {
  http(503, #{ error: "unavailable", attempt: n }).header("Retry-After", "1")
} else {
  http(200, #{ ok: true, succeededOnAttempt: n })
}`;
const RETRY_LUA =
  'function respond(ctx) local n = ctx.state:incr("attempts"); if n <= 2 then return http(503, { error = "unavailable", attempt = n }):header("Retry-After", "1") else return http(200, { ok = true, succeededOnAttempt = n }) end end';
const RETRY_LUA_BARE =
  'local n = ctx.state.incr("attempts")\nif n <= 2 then return http(503, { error = "unavailable", attempt = n }):header("Retry-After", "1") end\nreturn http(200, { ok = true, succeededOnAttempt = n })';
const RETRY_JS =
  'async function respond(ctx) { const n = await ctx.state.incr("attempts"); return n <= 2 ? http(503, { error: "unavailable", attempt: n }).header("Retry-After", "1") : http(200, { ok: true, succeededOnAttempt: n }); }';

for (const backend of backends) {
  describe(`ctx.state on ${backend.name}`, { skip: skipFor(backend) }, () => {
    for (const [form, engine, code] of [
      ['respond(ctx) in rhai', 'rhai', RETRY_RHAI],
      ['the bare form in rhai', 'rhai', RETRY_BARE],
      ['respond(ctx) in js', 'js', RETRY_JS],
      ['respond(ctx) in lua', 'lua', RETRY_LUA],
      ['the bare form in lua', 'lua', RETRY_LUA_BARE],
    ] as const) {
      it(`${form}: fails twice per flow, then succeeds (flowIdSource header)`, async () => {
        const url = await createImposter(
          mb.url,
          backend.apply({
            protocol: 'http',
            _rift: { flowState: { backend: 'inmemory', ttlSeconds: 300, flowIdSource: 'header:X-Flow-Id' } },
            stubs: [scriptStub('/api/resource', engine, code)],
          }),
        );
        const call = (flow: string) => get(`${url}/api/resource`, { headers: { 'X-Flow-Id': flow } });
        const first = await call('t1');
        assert.equal(first.status, 503);
        assert.equal(first.headers['retry-after'], '1');
        assert.equal(first.headers['content-type'], 'application/json');
        assert.deepEqual(first.json(), { error: 'unavailable', attempt: 1 });
        assert.equal((await call('t1')).status, 503);
        // Another flow has its own count.
        assert.equal((await call('t2')).status, 503);
        const third = await call('t1');
        assert.equal(third.status, 200);
        assert.deepEqual(third.json(), { ok: true, succeededOnAttempt: 3 });
      });
    }

    it('get_or, incr_by, exists, delete, cas, ttl, clear and ctx.store.flow', async () => {
      const code = `fn respond(ctx) {
        let out = #{};
        out.start = ctx.state.get_or("n", 10);
        out.by5 = ctx.state.incr_by("n", 5);
        out.exists = ctx.state.exists("n");
        ctx.state.set("status", "pending");
        let won = ctx.state.cas("status", "pending", "paid");
        let lost = ctx.state.cas("status", "pending", "refunded");
        out.won = won.applied;
        out.lost = lost.applied;
        out.current = lost.current;
        out.absentCas = ctx.state.cas("fresh", (), 1).applied;
        out.keyTtl = ctx.state.ttl("n", 60);
        out.missingTtl = ctx.state.ttl("nope", 60);
        out.deleted = ctx.state.delete("n");
        out.after = ctx.state.get("n");
        ctx.store.flow("other").set("shared", 99);
        out.other = ctx.store.flow("other").get("shared");
        out.flowId = ctx.flowId;
        ctx.state.clear();
        out.cleared = ctx.state.exists("status");
        http(200, out)
      }`;
      const port = await freePort();
      const res = await post(`${mb.url}/imposters`, backend.apply({ protocol: 'http', port, stubs: [scriptStub('/s', 'rhai', code)] }));
      assert.equal(res.status, 201, res.body);
      const answer = await get(`http://127.0.0.1:${port}/s`);
      assert.equal(answer.status, 200, answer.body);
      assert.deepEqual(answer.json(), {
        start: 10,
        by5: 5,
        exists: true,
        won: true,
        lost: false,
        current: 'paid',
        absentCas: true,
        keyTtl: true,
        missingTtl: false,
        deleted: true,
        other: 99,
        // Without flowIdSource the flow is the imposter's port.
        flowId: String(port),
        cleared: false,
      });
    });

    it('Lua calls them with : or . (get_or, incr_by, cas, ctx.store.flow, logger)', async () => {
      const code = `function respond(ctx)
        local a = ctx.state:get_or("k", 7)
        local b = ctx.state.incr_by("k", 3)
        local c = ctx.state:cas("k", 3, 4)
        ctx.store:flow("other"):set("x", 1)
        ctx.logger:info("lua ran for " .. ctx.request:header("X-Who"))
        return http(200, { a = a, b = b, applied = c.applied, other = ctx.store.flow("other").get("x"), path = ctx.request.path, flow = ctx.flowId })
      end`;
      const url = await createImposter(mb.url, backend.apply({ protocol: 'http', stubs: [scriptStub('/s', 'lua', code)] }));
      const res = await get(`${url}/s`, { headers: { 'X-Who': 'me' } });
      assert.equal(res.status, 200, res.body);
      const body = res.json();
      assert.deepEqual({ ...body, flow: undefined }, { a: 7, b: 3, applied: true, other: 1, path: '/s', flow: undefined });
      await logged(/script: lua ran for me/);
    });

    it('JavaScript spells them camelCase (getOr, incrBy) and awaits them', async () => {
      const code =
        'async function respond(ctx) { const a = await ctx.state.getOr("k", 7); const b = await ctx.state.incrBy("k", 3); const c = await ctx.state.cas("k", 3, 4); return http(200, { a, b, c }); }';
      const url = await createImposter(mb.url, backend.apply({ protocol: 'http', stubs: [scriptStub('/s', 'javascript', code)] }));
      assert.deepEqual((await get(`${url}/s`)).json(), { a: 7, b: 3, c: { applied: true } });
    });
  });
}

describe('ctx.request, ctx.stub, ctx.logger and routePattern', () => {
  it('reads method, path, pathParams, query, lower-cased headers, header(name), body and json', async () => {
    const code = `fn respond(ctx) {
      let r = ctx.request;
      ctx.logger.info("handling " + r.path);
      http(201, #{
        method: r.method, path: r.path, id: r.pathParams["id"], q: r.query["q"],
        lower: r.headers["x-trace"], any: r.header("X-TRACE"), missing: r.header("nope") == (),
        body: r.body, name: r.json.name, stub: ctx.stub.id, scenario: ctx.stub.scenarioName == ()
      }).header("X-Echo", r.method)
    }`;
    const url = await createImposter(mb.url, {
      protocol: 'http',
      stubs: [{ id: 'users', routePattern: '/users/:id', ...scriptStub('/users/42', 'rhai', code) }],
    });
    const res = await request('POST', `${url}/users/42?q=find`, { headers: { 'X-Trace': 'abc' }, body: '{"name":"Ada"}' });
    assert.equal(res.status, 201, res.body);
    assert.equal(res.headers['x-echo'], 'POST');
    assert.deepEqual(res.json(), {
      method: 'POST',
      path: '/users/42',
      id: '42',
      q: 'find',
      lower: 'abc',
      any: 'abc',
      missing: true,
      body: '{"name":"Ada"}',
      name: 'Ada',
      stub: 'users',
      scenario: true,
    });
    await logged(/script \(stub users\): handling/);
    assert.match(mb.output(), /info: \[http:\d+\] script \(stub users\): handling \/users\/42/);
  });

  it('http(status, "text") is sent as is; delay(ms) waits, then the normal answer; pass() and nothing serve the response', async () => {
    const url = await createImposter(mb.url, {
      protocol: 'http',
      stubs: [
        scriptStub('/text', 'rhai', 'http(200, "OK")'),
        { predicates: [{ equals: { path: '/delay' } }], responses: [{ _rift: { script: { engine: 'rhai', code: 'delay(300)' } }, is: { body: 'late' } }] },
        { predicates: [{ equals: { path: '/pass' } }], responses: [{ _rift: { script: { engine: 'rhai', code: 'pass()' } }, is: { body: 'normal' } }] },
        {
          predicates: [{ equals: { path: '/nothing' } }],
          responses: [{ _rift: { script: { engine: 'js', code: 'function respond(ctx) {}' } }, is: { body: 'normal' } }],
        },
      ],
    });
    const text = await get(`${url}/text`);
    assert.equal(text.body, 'OK');
    assert.equal(text.headers['content-type'], undefined);
    const started = Date.now();
    assert.equal((await get(`${url}/delay`)).body, 'late');
    assert.ok(Date.now() - started >= 290);
    assert.equal((await get(`${url}/pass`)).body, 'normal');
    assert.equal((await get(`${url}/nothing`)).body, 'normal');
  });

  it('reset() resets the connection', async () => {
    const url = await createImposter(mb.url, { protocol: 'http', stubs: [scriptStub('/r', 'rhai', 'fn respond(ctx) { reset() }')] });
    await assert.rejects(get(`${url}/r`), (err: NodeJS.ErrnoException) => err.code === 'ECONNRESET');
  });

  it('a script by ref from _rift.scripts; its own Content-Type wins over JSON', async () => {
    const url = await createImposter(mb.url, {
      protocol: 'http',
      _rift: { scripts: { hello: { engine: 'rhai', code: 'http(200, #{ hi: 1 }).header("Content-Type", "application/vnd.x+json")' } } },
      stubs: [{ responses: [{ _rift: { script: { ref: 'hello' } } }] }],
    });
    const res = await get(url);
    assert.equal(res.headers['content-type'], 'application/vnd.x+json');
    assert.equal(res.body, '{"hi":1}');
  });
});

describe('failing ctx scripts', () => {
  it('a throwing script answers 500 with x-rift-script-error naming the stub, logs it, and other stubs go on', async () => {
    const url = await createImposter(mb.url, {
      protocol: 'http',
      stubs: [{ id: 'broken', ...scriptStub('/boom', 'rhai', 'fn respond(ctx) { throw "boom"; }') }, { responses: [{ is: { body: 'still here' } }] }],
    });
    const res = await get(`${url}/boom`);
    assert.equal(res.status, 500);
    assert.equal(res.headers['x-rift-script-error'], 'true');
    const [error] = res.json().errors;
    assert.equal(error.code, 'script error');
    assert.equal(error.stub, 'stub "broken"');
    assert.match(error.message, /boom/);
    assert.equal((await get(`${url}/other`)).body, 'still here');
    await logged(/in stub "broken" failed/);
    assert.match(mb.output(), /error: \[http:\d+\] _rift\.script \(rhai\) in stub "broken" failed: .*boom/);
  });

  it('a script past timeoutMs answers 504 with x-rift-script-timeout', async () => {
    const url = await createImposter(mb.url, {
      protocol: 'http',
      _rift: { scriptEngine: { timeoutMs: 100 } },
      stubs: [scriptStub('/loop', 'rhai', 'loop { }'), { responses: [{ is: { body: 'still here' } }] }],
    });
    const res = await get(`${url}/loop`);
    assert.equal(res.status, 504);
    assert.equal(res.headers['x-rift-script-timeout'], 'true');
    assert.equal(res.headers['x-rift-script-error'], 'true');
    assert.equal(res.json().errors[0].stub, 'stub 0');
    assert.equal((await get(`${url}/x`)).body, 'still here');
  });

  it('a result that is not a constructor is a 500 saying what to return', async () => {
    const url = await createImposter(mb.url, { protocol: 'http', stubs: [scriptStub('/m', 'rhai', '#{ inject: true }')] });
    const res = await get(`${url}/m`);
    assert.equal(res.status, 500);
    assert.match(res.json().errors[0].message, /must return http\(status, body\), delay\(ms\), reset\(\), pass\(\) or nothing, not a map/);
  });

  it('refuses at creation: a script whose functions miss the entry point, an unknown ref, a syntax error', async () => {
    const refuse = async (script: Config, rift: Config = {}) => {
      const res = await post(`${mb.url}/imposters`, { protocol: 'http', port: await freePort(), _rift: rift, stubs: [{ responses: [{ _rift: { script } }] }] });
      assert.equal(res.status, 400, res.body);
      return res.json().errors[0];
    };
    assert.match((await refuse({ engine: 'rhai', code: 'fn respnod(ctx) { pass() }' })).message, /defines respnod but no respond\(ctx\)/);
    assert.match(
      (await refuse({ ref: 'retyr' }, { scripts: { retry: { code: 'pass()' } } })).message,
      /names no script: "retyr" \(the imposter's _rift.scripts are retry\)/,
    );
    const syntax = await refuse({ engine: 'rhai', code: 'let x = ;' });
    assert.equal(syntax.line, 1);
    assert.match(syntax.message, /rhai syntax error at line 1, column 9/);
  });
});
