// A script or a regex may fail its own request, but must never hold up the other imposters or
// the admin API: while each hostile request below runs, an imposter created first keeps answering
// within 100 ms (test/support/canary.ts: a slow answer counts when standin itself was busy
// meanwhile, beyond the slowest answer seen with nothing hostile running, so a loaded machine
// does not fail the test and a real stall of seconds always does), the hostile request itself
// fails (or answers) quickly, and the process lives on. The standin under test has a stall limit
// of 15 ms: Lua and Rhai stop after 15 ms of CPU time, JavaScript (which V8 can only stop by the
// clock) after 60 ms, well inside the canary's 100 ms on a loaded machine. The last tests check the default limit.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import { freePort, get, post, type HttpResult } from '../support/http.js';
import { createCanary, type Canary } from '../support/canary.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let mb: StandinProcess;
let canary: Canary;
before(async () => {
  mb = await startStandin(['--allowInjection', '--stallLimit', '15']);
  canary = await createCanary(mb.url, mb.child.pid!);
});
after(async () => {
  await mb?.stop();
});

async function imposter(stubs: unknown[], extra: Record<string, unknown> = {}): Promise<string> {
  const port = await freePort();
  const res = await post(`${mb.url}/imposters`, { protocol: 'http', port, stubs, ...extra });
  assert.equal(res.status, 201, res.body);
  return `http://127.0.0.1:${port}`;
}

/** Sends the hostile request `times` times in a row while the canary is asked every 10 ms; answers the hostile responses. */
async function whileProbing(hostile: () => Promise<HttpResult>, times = 3): Promise<{ answers: HttpResult[] }> {
  return canary.during(async () => {
    const answers: HttpResult[] = [];
    for (let i = 0; i < times; i++) answers.push(await hostile());
    return { answers };
  });
}

async function assertStillServing(): Promise<void> {
  assert.equal((await get(`http://127.0.0.1:${canary.port}/`)).body, 'canary');
  assert.equal((await get(`${mb.url}/imposters`)).status, 200);
  assert.equal(mb.child.exitCode, null, 'standin is still running');
}

describe('nothing a user sends holds up the other imposters or the admin API', () => {
  it('a Lua `while true do end` fails its own request with script timeout', async () => {
    const url = await imposter([
      { responses: [{ _rift: { script: { engine: 'lua', code: 'function should_inject(request, flow_store)\n  while true do end\nend' } } }] },
    ]);
    const { answers } = await whileProbing(() => get(`${url}/`, { timeoutMs: 30_000 }));
    for (const res of answers) {
      assert.equal(res.status, 500, res.body);
      assert.equal(res.json().errors[0].code, 'script timeout');
      assert.match(res.json().errors[0].message, /kept standin busy for more than (15|60) ms.*--stallLimit/);
    }
    await assertStillServing();
  });

  it('a Lua pattern that backtracks inside the string library is stopped too', async () => {
    const code = 'function should_inject(request, flow_store)\n  return { inject = string.find(string.rep("a", 40), ".-.-.-.-.-.-.-.-.-.-b") ~= nil }\nend';
    const url = await imposter([{ responses: [{ _rift: { script: { engine: 'lua', code } }, is: { body: 'normal' } }] }]);
    const { answers } = await whileProbing(() => get(`${url}/`, { timeoutMs: 30_000 }));
    for (const res of answers) assert.equal(res.json().errors[0].code, 'script timeout');
    // The script's Lua state was rebuilt: a request that does not loop is served again.
    await assertStillServing();
  });

  it('an oversized _rift.scriptEngine.timeoutMs does not lengthen the stall', async () => {
    const url = await imposter([{ responses: [{ _rift: { script: { engine: 'lua', code: 'function should_inject(r, s) while true do end end' } } }] }], {
      _rift: { scriptEngine: { timeoutMs: 8000 } },
    });
    const started = performance.now();
    const { answers } = await whileProbing(() => get(`${url}/`, { timeoutMs: 30_000 }), 1);
    assert.ok(performance.now() - started < 2_000, 'the request failed at the stall limit, not after 8 s');
    assert.equal(answers[0]!.json().errors[0].code, 'script timeout');
    await assertStillServing();
  });

  it('Rhai: "x".pad(180000, "x") answers at once, and quadratic work is stopped', async () => {
    const pad =
      'fn should_inject(request, flow_store) {\n  let s = "x";\n  s.pad(180000, "x");\n  #{ inject: true, fault: "error", status: 418, body: `${s.len()}` }\n}';
    const padded = await imposter([{ responses: [{ _rift: { script: { engine: 'rhai', code: pad } } }] }]);
    const first = await whileProbing(() => get(`${padded}/`, { timeoutMs: 30_000 }));
    for (const res of first.answers) assert.deepEqual([res.status, res.body], [418, '180000']);

    // Each len() scans the whole string: quadratic in the loop count.
    const quadratic = 'fn should_inject(request, flow_store) {\n  let s = "";\n  for i in 0..200000 { s += "x"; s.len(); }\n  #{ inject: false }\n}';
    const slow = await imposter([{ responses: [{ _rift: { script: { engine: 'rhai', code: quadratic } } }] }]);
    const second = await whileProbing(() => get(`${slow}/`, { timeoutMs: 30_000 }));
    for (const res of second.answers) assert.equal(res.json().errors[0].code, 'script timeout', res.body);
    await assertStillServing();
  });

  it("a catastrophic `matches` regex (^(a+)+$ against 30 a's and !) answers at once", async () => {
    const url = await imposter([
      { predicates: [{ matches: { body: '^(a+)+$' } }], responses: [{ is: { body: 'matched' } }] },
      { responses: [{ is: { body: 'no match' } }] },
    ]);
    const { answers } = await whileProbing(() => post(`${url}/`, `${'a'.repeat(30)}!`, { timeoutMs: 30_000 }));
    for (const res of answers) assert.equal(res.body, 'no match');
    // The same pattern still matches what it should.
    assert.equal((await post(`${url}/`, 'aaaa')).body, 'matched');
    await assertStillServing();
  });

  it('a quadratic regex ([a-z]+$) over a long body, in matches, except and copy, answers at once', async () => {
    const url = await imposter([
      { predicates: [{ matches: { body: '[a-z]+$' }, except: '[a-z]+x$' }], responses: [{ is: { body: 'matched' } }] },
      {
        responses: [
          { is: { body: 'copied ${word}' }, behaviors: [{ copy: { from: 'body', into: '${word}', using: { method: 'regex', selector: '[a-z]+!$' } } }] },
        ],
      },
    ]);
    const body = `${'a'.repeat(200_000)}1`;
    const { answers } = await whileProbing(() => post(`${url}/`, body, { timeoutMs: 30_000 }));
    for (const res of answers) assert.equal(res.body, 'copied ${word}');
    await assertStillServing();
  });

  it('a JavaScript inject that loops fails at the stall limit, not after --injectionTimeout', async () => {
    const url = await imposter([{ responses: [{ inject: 'function (config) { while (true) {} }' }] }]);
    const { answers } = await whileProbing(() => get(`${url}/`, { timeoutMs: 30_000 }));
    for (const res of answers) {
      assert.equal(res.status, 500);
      assert.equal(res.json().errors[0].code, 'invalid injection');
      assert.match(res.json().errors[0].data, /response injection kept standin busy for more than 60 ms/);
    }
    await assertStillServing();
  });

  it('a response template that loops fails at the stall limit', async () => {
    const url = await imposter([{ responses: [{ is: { body: '<% while (true) {} %>never' } }] }]);
    const { answers } = await whileProbing(() => get(`${url}/`, { timeoutMs: 30_000 }));
    for (const res of answers) {
      assert.equal(res.status, 500);
      assert.match(res.json().errors[0].message, /kept standin busy for more than 60 ms/);
    }
    await assertStillServing();
  });

  it('by default, Lua stops after 75 ms of CPU time and JavaScript after 300 ms on the clock', async () => {
    const defaults = await startStandin(['--allowInjection']);
    try {
      const create = async (stubs: unknown[]): Promise<number> => {
        const port = await freePort();
        const created = await post(`${defaults.url}/imposters`, { protocol: 'http', port, stubs });
        assert.equal(created.status, 201, created.body);
        return port;
      };
      const js = await create([{ responses: [{ inject: 'function () { while (true) {} }' }] }]);
      const lua = await create([{ responses: [{ _rift: { script: { engine: 'lua', code: 'function should_inject(r, s) while true do end end' } } }] }]);
      const jsAnswer = await get(`http://127.0.0.1:${js}/`);
      assert.equal(jsAnswer.status, 500);
      assert.equal(jsAnswer.json().errors[0].data, 'response injection kept standin busy for more than 300 ms and was stopped (--stallLimit)');
      const luaAnswer = await get(`http://127.0.0.1:${lua}/`);
      assert.equal(luaAnswer.status, 500);
      assert.match(luaAnswer.json().errors[0].message, /script kept standin busy for more than (75|300) ms and was stopped \(--stallLimit\)/);
    } finally {
      await defaults.stop();
    }
  });

  it('a JavaScript inject that waits 2 s and calls back still works', async () => {
    const url = await imposter([{ responses: [{ inject: 'function (config) { setTimeout(() => config.callback({ body: "late" }), 2000); }' }] }]);
    const { answers } = await whileProbing(() => get(`${url}/`, { timeoutMs: 30_000 }), 1);
    assert.deepEqual([answers[0]!.status, answers[0]!.body], [200, 'late']);
  });
});
