// GET /metrics beside the real mountebank 2.9.1: the imposter families appear once an imposter
// exists, and an imposter's samples once it was called; compared line by line after scrubbing
// ports and timings.
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { freePort, get, post } from '../support/http.js';
import { startMountebank, type MountebankProcess } from '../support/mountebankProcess.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let standin: StandinProcess;
let mb: MountebankProcess;
before(async () => {
  [standin, mb] = await Promise.all([startStandin(), startMountebank()]);
});
after(async () => {
  await Promise.all([standin?.stop(), mb?.stop()]);
});

const IMPOSTER_FAMILIES =
  /^(# (HELP|TYPE) )?mb_(predicate_match_duration_seconds|no_match_total|request_total|response_generation_duration_seconds|blocked_ip_total)/;

/** The imposter families' lines; histogram values (timings) scrubbed, the imposter's port named. */
async function imposterLines(url: string, port: number): Promise<string[]> {
  const text = (await get(`${url}/metrics`)).body;
  return (
    text
      .split('\n')
      .filter((line) => IMPOSTER_FAMILIES.test(line))
      // standin's finer buckets below mountebank's first bound (docs/metrics.md).
      .filter((line) => !/le="0\.(0001|0005|001|005)"/.test(line))
      .map((line) => line.replaceAll(`:${port}]`, ':PORT]'))
      .map((line) => (/duration_seconds_/.test(line) ? line.replace(/ [\d.e+-]+$/, ' N') : line))
  );
}

it('the imposter families appear with the first imposter, its samples once it is called, as in mountebank', async () => {
  const servers = [standin, mb];
  const ports = [await freePort(), await freePort()];
  const snapshot = () => Promise.all([imposterLines(servers[0]!.url, ports[0]!), imposterLines(servers[1]!.url, ports[1]!)]);

  const [fresh, mbFresh] = await snapshot();
  assert.deepEqual(mbFresh, [], 'mountebank has no imposter family before an imposter exists');
  assert.deepEqual(fresh, mbFresh);

  for (let i = 0; i < 2; i++) {
    const created = await post(`${servers[i]!.url}/imposters`, {
      protocol: 'http',
      port: ports[i],
      stubs: [{ predicates: [{ equals: { path: '/hit' } }], responses: [{ is: { body: 'hit' } }] }],
    });
    assert.equal(created.status, 201);
  }
  const [created, mbCreated] = await snapshot();
  assert.equal(mbCreated.length, 10, mbCreated.join('\n'));
  assert.deepEqual(created, mbCreated);

  for (const port of ports) {
    await get(`http://127.0.0.1:${port}/hit`);
    await get(`http://127.0.0.1:${port}/miss`);
  }
  const [called, mbCalled] = await snapshot();
  assert.ok(mbCalled.includes('mb_request_total{imposter="[http:PORT] "} 2'), mbCalled.join('\n'));
  assert.deepEqual(called, mbCalled);
});
