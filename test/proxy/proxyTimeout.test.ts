// An origin that never answers: the proxy gives up after --proxyTimeout and the imposter keeps serving.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, it } from 'node:test';
import { freePort, get, post } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let mb: StandinProcess;
let hanging: http.Server;
let hangingUrl: string;
before(async () => {
  mb = await startStandin(['--proxyTimeout', '300']);
  // Accepts the request and never answers.
  hanging = http.createServer(() => undefined);
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
  hangingUrl = `http://127.0.0.1:${(hanging.address() as { port: number }).port}`;
});
after(async () => {
  hanging.closeAllConnections();
  hanging.close();
  await mb.stop();
});

it('answers 500 invalid proxy after --proxyTimeout, then keeps serving', async () => {
  const port = await freePort();
  const res = await post(`${mb.url}/imposters`, {
    protocol: 'http',
    port,
    stubs: [
      { predicates: [{ equals: { path: '/alive' } }], responses: [{ is: { body: 'still here' } }] },
      { responses: [{ proxy: { to: hangingUrl, mode: 'proxyTransparent' } }] },
    ],
  });
  assert.equal(res.status, 201, res.body);
  const started = Date.now();
  const answer = await get(`http://127.0.0.1:${port}/slow`);
  const elapsed = Date.now() - started;
  assert.equal(answer.status, 500);
  assert.deepEqual(
    answer.json().errors.map((e: { code: string; message: string }) => [e.code, e.message]),
    [['invalid proxy', `No response from "${hangingUrl}" within 300 ms`]],
  );
  assert.ok(elapsed >= 250 && elapsed < 5_000, `gave up after ${elapsed} ms`);
  assert.equal((await get(`http://127.0.0.1:${port}/alive`)).body, 'still here');
});
