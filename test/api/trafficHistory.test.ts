// GET /metrics/history: the last minutes of traffic second by second, kept by the server whether
// or not anyone watches, so the dashboard's charts start before the page was opened.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { del, freePort, get, post } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

interface Second {
  t: number;
  requests: number;
  noMatch: number;
  latencyMs: number | null;
}

let mb: StandinProcess;
before(async () => {
  mb = await startStandin();
});
after(async () => {
  await mb.stop();
});

const history = async (query = ''): Promise<{ intervalSeconds: number; keptSeconds: number; seconds: Second[] }> => {
  const answer = await get(`${mb.url}/metrics/history${query}`);
  assert.equal(answer.status, 200);
  return answer.json();
};
const total = (seconds: Second[], field: 'requests' | 'noMatch') => seconds.reduce((sum, s) => sum + s[field], 0);

describe('GET /metrics/history', () => {
  it('counts every request and miss in the second it was served, across imposters, deleted ones included', async () => {
    const start = Date.now();
    const [a, b] = [await freePort(), await freePort()];
    for (const port of [a, b]) {
      const created = await post(`${mb.url}/imposters`, {
        protocol: 'http',
        port,
        stubs: [{ predicates: [{ equals: { path: '/hit' } }], responses: [{ is: {} }] }],
      });
      assert.equal(created.status, 201);
    }
    for (let i = 0; i < 7; i++) await get(`http://127.0.0.1:${a}/hit`);
    for (let i = 0; i < 3; i++) await get(`http://127.0.0.1:${b}/miss`);
    assert.equal((await del(`${mb.url}/imposters/${b}`)).status, 200);
    // Sampled once a second: wait for the seconds these requests fell in to be kept.
    const deadline = Date.now() + 20_000;
    let all = await history();
    while (total(all.seconds, 'requests') < 10 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      all = await history();
    }
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    all = await history();
    assert.equal(all.intervalSeconds, 1);
    assert.equal(all.keptSeconds, 600);
    const mine = all.seconds.filter((s) => s.t > start);
    assert.equal(total(mine, 'requests'), 10);
    assert.equal(total(mine, 'noMatch'), 3);
    assert.ok(
      mine.every((s) => s.requests >= 0 && s.noMatch >= 0),
      'deleting an imposter takes nothing back',
    );
    const busy = mine.filter((s) => s.requests > 0);
    assert.ok(busy.length > 0 && busy.every((s) => typeof s.latencyMs === 'number' && s.latencyMs >= 0));
    assert.ok(
      mine.filter((s) => s.requests === 0).every((s) => s.latencyMs === null),
      'no latency for a second without requests',
    );
    const ts = all.seconds.map((s) => s.t);
    assert.deepEqual(
      ts,
      [...ts].sort((x, y) => x - y),
      'oldest first',
    );

    const last = ts[ts.length - 1]!;
    assert.ok((await history(`?since=${last}`)).seconds.every((s) => s.t > last));
    const tail = await history(`?since=${ts[ts.length - 2]}`);
    assert.deepEqual(tail.seconds[0], all.seconds[all.seconds.length - 1], 'only the seconds after since');
    await del(`${mb.url}/imposters/${a}`);
  });

  it('refuses a since that is not a time', async () => {
    const answer = await get(`${mb.url}/metrics/history?since=yesterday`);
    assert.equal(answer.status, 400);
    assert.match(answer.json().errors[0].message, /invalid since: yesterday/);
  });
});
