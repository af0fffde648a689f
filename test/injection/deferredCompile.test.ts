// Scripts that do not compile are accepted, as mountebank accepts them: the imposter is created
// (a config file loads), a warning names the stub, and the request that reaches the script gets
// the same 500 as from the real mountebank 2.9.1, side by side.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { waitFor } from '../support/cliHarness.js';
import { freePort, get, post, type HttpResult } from '../support/http.js';
import { startMountebank, type MountebankProcess } from '../support/mountebankProcess.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let standin: StandinProcess;
let mb: MountebankProcess;
before(async () => {
  [standin, mb] = await Promise.all([startStandin(['--allowInjection']), startMountebank(['--allowInjection'])]);
});
after(async () => {
  await Promise.all([standin?.stop(), mb?.stop()]);
});

const CASES: Array<[string, Record<string, unknown>]> = [
  ['predicate inject', { predicates: [{ inject: 'return true;' }], responses: [{ is: { body: 'x' } }] }],
  ['inject response', { responses: [{ inject: 'return 1;' }] }],
  ['wait function', { responses: [{ is: { body: 'x' }, _behaviors: { wait: 'function () { return 1' } }] }],
];

async function answer(url: string, stub: Record<string, unknown>): Promise<[number, HttpResult]> {
  const port = await freePort();
  const created = await post(`${url}/imposters`, {
    protocol: 'http',
    port,
    stubs: [{ predicates: [{ equals: { path: '/ok' } }], responses: [{ is: { body: 'ok' } }] }, stub],
  });
  assert.equal(created.status, 201, created.body);
  return [port, await get(`http://127.0.0.1:${port}/reached`)];
}

for (const [name, stub] of CASES) {
  it(`a ${name} that does not compile: created, and the request that reaches it answers as in mountebank`, async () => {
    const [[port, ours], [, theirs]] = await Promise.all([answer(standin.url, stub), answer(mb.url, stub)]);
    assert.equal(ours.status, 500);
    assert.equal(ours.status, theirs.status);
    assert.equal(ours.headers['content-type'], theirs.headers['content-type']);
    const [e, m] = [ours.json().errors[0], theirs.json().errors[0]];
    assert.deepEqual([e.code, e.message], [m.code, m.message]);
    // mountebank's data is the error's message; standin's names the error too, as for scripts that
    // throw, and goes on to say where in the function it is.
    assert.ok(e.data.startsWith(`SyntaxError: ${m.data}`), `${e.data} / ${m.data}`);
    assert.equal((await get(`http://127.0.0.1:${port}/ok`)).body, 'ok', 'the other stubs answer');
    await waitFor(() => standin.output().includes(`warn: [http:${port}] stub 1: the `), 5_000, 'the warning naming the stub');
  });
}

it('a decorate that does not compile: created, and the request that reaches it gets a 500 invalid decorator injection', async () => {
  // Neither JavaScript nor Rhai ('xyz' is no Rhai character): a decorate that is Rhai runs as Rhai (docs/rift.md).
  const stub = { responses: [{ is: { body: 'x' }, _behaviors: { decorate: "response.body = 'xyz';" } }] };
  const [[port, ours], [, theirs]] = await Promise.all([answer(standin.url, stub), answer(mb.url, stub)]);
  // mountebank 2.9.1 answers 500 too, but its error is a TypeError from logging the decorator's config.
  assert.equal(theirs.status, 500);
  assert.equal(ours.status, 500);
  const [error] = ours.json().errors;
  assert.deepEqual([error.code, error.message, error.source], ['invalid injection', 'invalid decorator injection', "response.body = 'xyz';"]);
  assert.match(error.data, /^SyntaxError: Unexpected token ';'/);
  await waitFor(
    () => standin.output().includes(`warn: [http:${port}] stub 1: the decorate function does not compile: Unexpected token ';'`),
    5_000,
    'the warning naming the stub',
  );
});

it('a config file with a script that does not compile loads, and its other imposters serve', async () => {
  const port = await freePort();
  const other = await freePort();
  const file = join(standin.dir, 'imposters.json');
  writeFileSync(
    file,
    JSON.stringify({
      imposters: [
        { protocol: 'http', port, stubs: [{ responses: [{ inject: 'return 1;' }] }] },
        { protocol: 'http', port: other, stubs: [{ responses: [{ is: { body: 'fine' } }] }] },
      ],
    }),
  );
  const loaded = await startStandin(['--allowInjection', '--configfile', file]);
  try {
    assert.equal((await get(`http://127.0.0.1:${other}/`)).body, 'fine');
    await waitFor(() => loaded.output().includes(`warn: [http:${port}] stub 0: the inject function does not compile`), 5_000, 'the warning');
    assert.doesNotMatch(loaded.output(), /error/i);
    assert.equal((await get(`http://127.0.0.1:${port}/`)).status, 500);
  } finally {
    await loaded.stop();
  }
});
