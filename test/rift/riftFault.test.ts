// `_rift.fault` as a client sees it: a slow answer, an error answer, a reset connection.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort, get, post } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';
import { createImposter, type Config } from './riftSupport.js';

let mb: StandinProcess;
before(async () => {
  mb = await startStandin();
});
after(async () => {
  await mb?.stop();
});

const faulty = (fault: Config, extra: Config = {}): Config => ({
  protocol: 'http',
  stubs: [{ responses: [{ _rift: { fault }, is: { statusCode: 200, body: 'ok' }, ...extra }] }],
});

const timed = async (url: string) => {
  const started = Date.now();
  const res = await get(url);
  return { res, ms: Date.now() - started };
};

describe('_rift.fault', () => {
  it('latency: a fixed delay, then the normal response', async () => {
    const url = await createImposter(mb.url, faulty({ latency: { probability: 1, ms: 300 } }));
    const { res, ms } = await timed(url);
    assert.equal(res.body, 'ok');
    assert.ok(ms >= 280, `${ms} ms`);
  });

  it('latency: a min/max range, added to the wait behavior', async () => {
    const url = await createImposter(mb.url, faulty({ latency: { minMs: 200, maxMs: 250 } }, { behaviors: [{ wait: 100 }] }));
    const { res, ms } = await timed(url);
    assert.equal(res.body, 'ok');
    assert.ok(ms >= 280, `${ms} ms`);
  });

  it('error: the configured status, body and headers, marked x-rift-fault: error', async () => {
    const url = await createImposter(mb.url, faulty({ error: { status: 502, body: '{"error":"x"}', headers: { 'Retry-After': '1' } } }));
    const res = await get(url);
    assert.equal(res.status, 502);
    assert.equal(res.body, '{"error":"x"}');
    assert.equal(res.headers['retry-after'], '1');
    assert.equal(res.headers['x-rift-fault'], 'error');
  });

  it('error: 503 by default; probability 0 never fires', async () => {
    assert.equal((await get(await createImposter(mb.url, faulty({ error: {} })))).status, 503);
    const never = await createImposter(mb.url, faulty({ error: { probability: 0 }, latency: { probability: 0, ms: 5000 } }));
    const { res, ms } = await timed(never);
    assert.equal(res.status, 200);
    assert.ok(ms < 4000);
  });

  it('error: a probability fires on about that share of requests', async () => {
    const url = await createImposter(mb.url, faulty({ error: { probability: 0.5 } }));
    let errors = 0;
    for (let i = 0; i < 100; i++) if ((await get(url)).status === 503) errors++;
    assert.ok(errors > 20 && errors < 80, `${errors} of 100`);
  });

  for (const tcp of ['CONNECTION_RESET_BY_PEER', { probability: 1, type: 'reset' }]) {
    it(`tcp ${JSON.stringify(tcp)}: the client sees the connection reset (a real RST)`, async () => {
      const url = await createImposter(mb.url, faulty({ tcp, error: { status: 500 } }));
      await assert.rejects(get(url), (err: NodeJS.ErrnoException) => err.code === 'ECONNRESET');
    });
  }

  it('tcp EMPTY_RESPONSE: the connection closes with no bytes', async () => {
    const url = await createImposter(mb.url, faulty({ tcp: 'EMPTY_RESPONSE' }));
    await assert.rejects(get(url), (err: NodeJS.ErrnoException) => err.code === 'ECONNRESET' && /socket hang up/.test(err.message));
  });

  it('refuses a bad fault at creation', async () => {
    for (const [fault, message] of [
      [{ tcp: 'NOPE' }, /tcp.type' must be one of/],
      [{ latency: { ms: -1 } }, /latency.ms' must be an integer/],
      [{ error: { probability: 2 } }, /error.probability' must be a number from 0 to 1/],
      [{ latency: { minMs: 10, maxMs: 5 } }, /maxMs' must be at least minMs/],
    ] as const) {
      const res = await post(`${mb.url}/imposters`, { ...faulty(fault), port: await freePort() });
      assert.equal(res.status, 400, res.body);
      assert.match(res.json().errors[0].message, message);
    }
  });
});

describe('script faults', () => {
  it('latency from a script: duration_ms, then the response with its own behaviors', async () => {
    const code = "function should_inject(request, flow_store)\n  return { inject = true, fault = 'latency', duration_ms = 300 }\nend";
    const url = await createImposter(mb.url, {
      protocol: 'http',
      stubs: [{ responses: [{ _rift: { script: { engine: 'lua', code } }, is: { body: 'late' } }] }],
    });
    const { res, ms } = await timed(url);
    assert.equal(res.body, 'late');
    assert.ok(ms >= 280, `${ms} ms`);
  });

  it('inject: false serves the response as usual, its _rift.fault included', async () => {
    const code = 'function should_inject(request, flow_store)\n  return { inject = false }\nend';
    const url = await createImposter(mb.url, {
      protocol: 'http',
      stubs: [{ responses: [{ _rift: { script: { engine: 'lua', code }, fault: { error: { status: 418 } } }, is: { body: 'x' } }] }],
    });
    assert.equal((await get(url)).status, 418);
  });
});
