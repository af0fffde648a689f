// --debug records matches on stubs; --mock records requests for every imposter.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort, get, post } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let mb: StandinProcess;
before(async () => {
  mb = await startStandin(['--debug', '--mock']);
});
after(async () => {
  await mb.stop();
});

describe('--debug and --mock', () => {
  it('stubs list their matches, and requests are recorded without recordRequests', async () => {
    const port = await freePort();
    await post(`${mb.url}/imposters`, {
      protocol: 'http',
      port,
      stubs: [{ predicates: [{ equals: { path: '/hit' } }], responses: [{ is: { statusCode: 202, body: 'hit' } }] }],
    });
    await get(`http://127.0.0.1:${port}/hit`);
    await get(`http://127.0.0.1:${port}/miss`);
    const body = (await get(`${mb.url}/imposters/${port}`)).json();
    assert.equal(body.recordRequests, false, 'the printed value stays as given');
    assert.deepEqual(
      body.requests.map((r: { path: string }) => r.path),
      ['/hit', '/miss'],
    );
    const matches = body.stubs[0].matches;
    assert.equal(matches.length, 1);
    assert.equal(matches[0].request.path, '/hit');
    assert.equal(matches[0].response.statusCode, 202);
    assert.equal(matches[0].response.body, 'hit');
    assert.deepEqual(matches[0].responseConfig, { is: { statusCode: 202, body: 'hit' } });
    assert.equal(typeof matches[0].processingTime, 'number');
    const replayable = (await get(`${mb.url}/imposters/${port}?replayable=true`)).json();
    assert.equal(replayable.stubs[0].matches, undefined, 'replayable output has no matches');
  });
});
