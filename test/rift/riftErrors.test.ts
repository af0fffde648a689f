// What a user sees when _rift configuration or scripts go wrong: 400s at creation that change
// nothing, 500/503 JSON answers and log lines at run time, and standin serving on.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { del, freePort, get, post } from '../support/http.js';
import { redisMissing, startRedis, type RedisServer } from '../support/redisServer.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';
import { createImposter, type Config } from './riftSupport.js';

let mb: StandinProcess;
let redis: RedisServer;
before(async () => {
  // No stall limit: the timeout tests are about _rift.scriptEngine.timeoutMs (eventLoopStalls.test.ts covers --stallLimit).
  [mb, redis] = await Promise.all([startStandin(['--allowInjection', '--stallLimit', '0']), redisMissing ? undefined! : startRedis()]);
});
after(async () => {
  await Promise.all([mb?.stop(), redis?.stop()]);
});

const scripted = (engine: string, code: string, rift: Config = {}): Config => ({
  protocol: 'http',
  _rift: rift,
  stubs: [
    { predicates: [{ equals: { path: '/script' } }], responses: [{ _rift: { script: { engine, code } }, is: { body: 'normal' } }] },
    { responses: [{ is: { body: 'still here' } }] },
  ],
});

async function refused(config: Config): Promise<{ code: string; message: string; [k: string]: unknown }> {
  const port = await freePort();
  const res = await post(`${mb.url}/imposters`, { ...config, port });
  assert.equal(res.status, 400, res.body);
  const { errors } = res.json();
  assert.equal(errors.length, 1, res.body);
  // Nothing was created.
  assert.equal((await get(`${mb.url}/imposters/${port}`)).status, 404);
  return errors[0];
}

const waitFor = async (what: string, check: () => boolean | Promise<boolean>) => {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('_rift.flowState validation (400 at creation)', () => {
  it('refuses an unknown backend', async () => {
    const error = await refused({ protocol: 'http', _rift: { flowState: { backend: 'etcd' } } });
    assert.equal(error.code, 'bad data');
    assert.match(error.message, /backend' must be "inmemory" or "redis", got "etcd"/);
    assert.deepEqual(error.source, { backend: 'etcd' });
  });

  it('refuses ttlSeconds under 1', async () => {
    const error = await refused({ protocol: 'http', _rift: { flowState: { backend: 'inmemory', ttlSeconds: 0 } } });
    assert.match(error.message, /ttlSeconds' must be an integer of at least 1, got 0/);
  });

  it('refuses a Redis URL that does not answer, and leaves running imposters alone', async () => {
    const running = await createImposter(mb.url, { protocol: 'http', stubs: [{ responses: [{ is: { body: 'up' } }] }] });
    const deadPort = await freePort();
    const error = await refused({ protocol: 'http', _rift: { flowState: { backend: 'redis', redis: { url: `redis://127.0.0.1:${deadPort}` } } } });
    assert.equal(error.code, 'bad data');
    assert.match(error.message, new RegExp(`Redis at redis://127.0.0.1:${deadPort} does not answer`));
    assert.equal((await get(running)).body, 'up');
  });

  it('refuses the redis backend without a url', async () => {
    const error = await refused({ protocol: 'http', _rift: { flowState: { backend: 'redis' } } });
    assert.match(error.message, /redis.url' is required/);
  });
});

describe('_rift.script validation (400 at creation)', () => {
  it('names the line and column of a Lua syntax error', async () => {
    const error = await refused(scripted('lua', 'function should_inject(request, flow_store)\n  local x = )\nend'));
    assert.equal(error.code, 'bad data');
    assert.match(error.message, /lua syntax error at line 2, column 13/);
    assert.equal(error.line, 2);
    assert.equal(error.column, 13);
  });

  it('names the line and column of a JavaScript syntax error', async () => {
    const error = await refused(scripted('javascript', 'function should_inject(request, flow_store) {\n  return {inject: };\n}'));
    assert.match(error.message, /javascript syntax error at line 2, column 19/);
    assert.deepEqual([error.line, error.column], [2, 19]);
  });

  it('names the line and column of a Rhai syntax error', async () => {
    const error = await refused(scripted('rhai', 'fn should_inject(request, flow_store) {\n  let x = ;\n}'));
    assert.match(error.message, /rhai syntax error at line 2, column 11/);
    assert.deepEqual([error.line, error.column], [2, 11]);
  });

  it('refuses an unknown engine, a script without should_inject, and both code and file', async () => {
    assert.match((await refused(scripted('python', 'x'))).message, /engine' must be one of .*got "python"/);
    assert.match(
      (await refused(scripted('lua', 'function other() end'))).message,
      /defines other but no respond\(ctx\).*or define should_inject\(request, flow_store\)/,
    );
    const both = scripted('lua', 'x');
    both.stubs[0].responses[0]._rift.script.file = '/tmp/x.lua';
    assert.match((await refused(both)).message, /exactly one of 'code', 'file' or 'ref'/);
  });

  it('refuses a scriptEngine.timeoutMs that is not a positive integer', async () => {
    assert.match((await refused(scripted('lua', 'x', { scriptEngine: { timeoutMs: 0 } }))).message, /timeoutMs' must be a positive integer/);
  });

  it('refuses JavaScript scripts unless standin runs with --allowInjection', async () => {
    const strict = await startStandin();
    try {
      const res = await post(`${strict.url}/imposters`, { ...scripted('javascript', 'function should_inject() { return {}; }'), port: await freePort() });
      assert.equal(res.status, 400);
      assert.equal(res.json().errors[0].code, 'invalid injection');
      // Lua is sandboxed and needs no flag.
      const lua = await post(`${strict.url}/imposters`, { ...scripted('lua', 'function should_inject() return {} end'), port: await freePort() });
      assert.equal(lua.status, 201, lua.body);
    } finally {
      await strict.stop();
    }
  });
});

describe('script failures at run time', () => {
  for (const [engine, code] of [
    ['lua', 'function should_inject(request, flow_store)\n  return request.nothing.here\nend'],
    ['javascript', 'function should_inject(request, flow_store) { return request.nothing.here; }'],
    ['rhai', 'fn should_inject(request, flow_store) { request.nothing.here }'],
  ] as const) {
    it(`${engine}: a script that throws answers 500 with a JSON error and a log line; standin serves on`, async () => {
      const url = await createImposter(mb.url, scripted(engine, code));
      const res = await get(`${url}/script`);
      assert.equal(res.status, 500);
      assert.equal(res.headers['content-type'], 'application/json');
      const [error] = res.json().errors;
      assert.equal(error.code, 'script error');
      assert.equal(error.engine, engine);
      const expected = {
        lua: /attempt to index a nil value/,
        javascript: /TypeError: Cannot read properties of undefined/,
        rhai: /cannot read property 'here' of \(\)/,
      };
      assert.match(error.message, expected[engine]);
      await waitFor('the log line', () => mb.output().includes(`_rift.script (${engine}) failed:`));
      assert.equal((await get(`${url}/other`)).body, 'still here');
    });
  }

  for (const [engine, code] of [
    ['lua', 'function should_inject(request, flow_store)\n  while true do end\nend'],
    ['javascript', 'function should_inject(request, flow_store) { while (true) {} }'],
    ['javascript', 'async function should_inject(request, flow_store) { await flow_store.get("a", "b"); while (true) {} }'],
    ['rhai', 'fn should_inject(request, flow_store) { loop { } }'],
    ['rhai', 'fn should_inject(request, flow_store) { let await = flow_store.get("a", "b"); loop { } }'],
    ['lua', 'function should_inject(request, flow_store)\n  local await = flow_store:get("a", "b")\n  while true do end\nend'],
  ] as const) {
    const onRedis = code.includes('await');
    it(
      `${engine}: a script that never returns is stopped by _rift.scriptEngine.timeoutMs${onRedis ? ' (also after an await on Redis)' : ''}`,
      { skip: onRedis && redisMissing },
      async () => {
        const flowState = code.includes('await') ? { backend: 'redis', redis: { url: redis.url } } : undefined;
        const url = await createImposter(mb.url, scripted(engine, code, { scriptEngine: { timeoutMs: 300 }, flowState }));
        const started = Date.now();
        const res = await get(`${url}/script`);
        assert.ok(Date.now() - started >= 280);
        assert.equal(res.status, 500);
        const [error] = res.json().errors;
        assert.equal(error.code, 'script timeout');
        assert.match(error.message, /script timed out after 300 ms/);
        assert.equal((await get(`${url}/other`)).body, 'still here');
      },
    );
  }
});

describe('Redis lost mid-run', { skip: redisMissing }, () => {
  it('answers 503 with a JSON error and a log line while Redis is away, and recovers when it returns', async () => {
    const own = await startRedis();
    try {
      const code =
        'function should_inject(request, flow_store)\n  local n = flow_store:increment("u", "n")\n  return { inject = true, fault = "error", status = 200, body = tostring(n) }\nend';
      const url = await createImposter(mb.url, scripted('lua', code, { flowState: { backend: 'redis', redis: { url: own.url } } }));
      assert.equal((await get(`${url}/script`)).body, '1');
      await own.stop();
      const res = await get(`${url}/script`);
      assert.equal(res.status, 503);
      const [error] = res.json().errors;
      assert.equal(error.code, 'flow state unavailable');
      assert.match(error.message, /Redis increment failed/);
      await waitFor('the log line', () => mb.output().includes('_rift.script (lua): flow state: Redis increment failed'));
      assert.equal((await get(`${url}/other`)).body, 'still here');
      await own.start(); // empty again: counting restarts
      await waitFor('recovery', async () => (await get(`${url}/script`)).status === 200);
      assert.equal((await get(`${url}/script`)).status, 200);
    } finally {
      await own.stop();
    }
  });

  it('closes its Redis connection when the imposter is deleted', async () => {
    const clients = async () => (await redis.command('CLIENT', 'LIST')).split('\n').filter((l) => l.includes('cmd=')).length;
    const before = await clients();
    const port = await freePort();
    const config = { ...scripted('lua', 'function should_inject() return {} end', { flowState: { backend: 'redis', redis: { url: redis.url } } }), port };
    assert.equal((await post(`${mb.url}/imposters`, config)).status, 201);
    assert.equal(await clients(), before + 1);
    assert.equal((await del(`${mb.url}/imposters/${port}`)).status, 200);
    await waitFor('the connection to close', async () => (await clients()) === before);
  });
});
