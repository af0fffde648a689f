// The README's first imposter, taken from the README itself, does what the README says.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { freePort, get, post } from '../support/http.js';
import { repoRoot, startStandin, type StandinProcess } from '../support/standinProcess.js';

let mb: StandinProcess;
before(async () => {
  mb = await startStandin();
});
after(async () => {
  await mb.stop();
});

it("the README's curl example creates an imposter that answers as documented", async () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const json = /-d '(\{[\s\S]*?\})'/.exec(readme);
  assert.ok(json, 'the README has a curl -d example');
  const imposter = JSON.parse(json[1]!);
  assert.equal(imposter.port, 4545, "the README uses mountebank's customary port");
  const port = await freePort();
  const res = await post(`${mb.url}/imposters`, { ...imposter, port });
  assert.equal(res.status, 201);
  const hello = await get(`http://127.0.0.1:${port}/hello`);
  assert.equal(hello.status, 200);
  assert.deepEqual(hello.json(), { message: 'hi' });
  const other = await get(`http://127.0.0.1:${port}/other`);
  assert.equal(other.status, 200);
  assert.equal(other.body, '');
});
