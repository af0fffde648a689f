// `standin save` and `standin replay` against a running standin, through the real executable.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/cliHarness.js';
import { freePort, get, post } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let mb: StandinProcess;
let port: number;
before(async () => {
  mb = await startStandin();
  port = await freePort();
  const res = await post(`${mb.url}/imposters`, {
    protocol: 'http',
    port,
    name: 'recorded',
    stubs: [
      { predicates: [{ equals: { path: '/saved' } }], responses: [{ is: { body: 'saved answer', _proxyResponseTime: 5 } }] },
      { responses: [{ proxy: { to: 'http://127.0.0.1:9', mode: 'proxyAlways' } }] },
    ],
  });
  assert.equal(res.status, 201, res.body);
});
after(async () => {
  await mb.stop();
});

const cli = (args: string[]) => runCli([...args, '--port', String(mb.port), '--host', '127.0.0.1'], mb.dir);

describe('standin save', () => {
  it('writes the replayable imposters to mb.json by default', async () => {
    const result = await cli(['save']);
    assert.equal(result.code, 0, result.stderr);
    const saved = JSON.parse(readFileSync(join(mb.dir, 'mb.json'), 'utf8'));
    assert.deepEqual(saved, (await get(`${mb.url}/imposters?replayable=true`)).json());
    assert.equal(saved.imposters[0].stubs.length, 2);
    assert.equal(saved.imposters[0].stubs[0].responses[0].is._proxyResponseTime, undefined);
  });

  it('--savefile and --removeProxies choose the file and drop the proxies', async () => {
    const result = await cli(['save', '--savefile', 'recorded.json', '--removeProxies']);
    assert.equal(result.code, 0, result.stderr);
    const saved = JSON.parse(readFileSync(join(mb.dir, 'recorded.json'), 'utf8'));
    assert.deepEqual(saved.imposters[0].stubs, [{ predicates: [{ equals: { path: '/saved' } }], responses: [{ is: { body: 'saved answer' } }] }]);
  });
});

describe('standin replay', () => {
  it('removes the proxies from the running imposters, which then answer from what was saved', async () => {
    const result = await cli(['replay']);
    assert.equal(result.code, 0, result.stderr);
    const imposter = (await get(`${mb.url}/imposters/${port}`)).json();
    assert.equal(imposter.name, 'recorded');
    assert.deepEqual(
      imposter.stubs.map((s: { responses: unknown[] }) => s.responses),
      [[{ is: { body: 'saved answer' } }]],
    );
    assert.equal((await get(`http://127.0.0.1:${port}/saved`)).body, 'saved answer');
  });
});
