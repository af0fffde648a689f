// The programmatic API as a test suite uses it: start(), imposter handles, errors, save, close.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { start, StandinError, ValidationFailure, VerificationError, type LogRecord } from '../../src/library/index.js';
import { get, post } from '../support/http.js';

const hello = { responses: [{ is: { statusCode: 200, body: 'hello' } }] };

test('start() on port 0 answers on the port the OS chose; an imposter answers and records', async () => {
  const standin = await start();
  try {
    assert.ok(standin.port > 0);
    assert.equal(standin.url, `http://127.0.0.1:${standin.port}`);
    assert.equal((await get(`${standin.url}/imposters`)).json().imposters.length, 0);

    const imposter = await standin.createImposter({ protocol: 'http', recordRequests: true, stubs: [hello] });
    assert.equal(imposter.url, `http://127.0.0.1:${imposter.port}`);
    const answer = await get(`${imposter.url}/greeting?name=ann`);
    assert.equal(answer.status, 200);
    assert.equal(answer.body, 'hello');

    const requests = await imposter.requests();
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.path, '/greeting');
    assert.deepEqual(requests[0]!.query, { name: 'ann' });
    assert.equal((await imposter.get()).numberOfRequests, 1);

    await imposter.clearRequests();
    assert.deepEqual(await imposter.requests(), []);
  } finally {
    await standin.close();
  }
});

test('addStub, replaceStubs and delete change the running imposter', async () => {
  const standin = await start();
  try {
    const imposter = await standin.createImposter({ protocol: 'http', stubs: [hello] });
    await imposter.addStub({ predicates: [{ equals: { path: '/first' } }], responses: [{ is: { body: 'first' } }] }, 0);
    assert.equal((await get(`${imposter.url}/first`)).body, 'first');
    assert.equal((await get(`${imposter.url}/other`)).body, 'hello');

    await imposter.replaceStubs([{ responses: [{ is: { statusCode: 404, body: 'gone' } }] }]);
    const replaced = await get(`${imposter.url}/first`);
    assert.equal(replaced.status, 404);
    assert.equal(replaced.body, 'gone');

    await imposter.delete();
    assert.equal((await get(`${standin.url}/imposters`)).json().imposters.length, 0);
    await assert.rejects(get(`${imposter.url}/first`, { timeoutMs: 2_000 }), /ECONNREFUSED/);
  } finally {
    await standin.close();
  }
});

test('a refused definition rejects with the admin API error; several errors with all of them', async () => {
  const standin = await start();
  try {
    await assert.rejects(
      // @ts-expect-error: a response with two kinds is refused by the types too
      standin.createImposter({ protocol: 'http', stubs: [{ responses: [{ is: {}, proxy: { to: 'http://x' } }] }] }),
      (err: unknown) => {
        assert.ok(err instanceof StandinError);
        assert.equal(err.code, 'bad data');
        assert.equal(err.status, 400);
        assert.match(err.message, /only one response type/);
        return true;
      },
    );
    const imposter = await standin.createImposter({ protocol: 'http', stubs: [hello] });
    await assert.rejects(imposter.addStub({ responses: [{ is: {} }] }, 7), /'index' must be between 0 and the length/);
    await assert.rejects(standin.imposter(1), (err: unknown) => err instanceof StandinError && err.code === 'no such resource');
    const twoBad = await start({
      imposters: [
        { protocol: 'http', stubs: [{ responses: [{ is: { statusCode: 200 }, inject: 'x' } as never] }] },
        { protocol: 'http', stubs: [{ predicates: [{ pth: '/x' } as never] }] },
      ],
    }).then(
      () => undefined,
      (err: unknown) => err,
    );
    assert.ok(twoBad instanceof ValidationFailure, String(twoBad));
    assert.equal(twoBad.errors.length, 2);
  } finally {
    await standin.close();
  }
});

test('requests() on an imposter that does not record says how to turn recording on', async () => {
  const standin = await start();
  try {
    const imposter = await standin.createImposter({ protocol: 'http', stubs: [hello] });
    await assert.rejects(imposter.requests(), /does not record requests: create it with "recordRequests": true/);
  } finally {
    await standin.close();
  }
  const mocking = await start({ mock: true });
  try {
    const imposter = await mocking.createImposter({ protocol: 'http', stubs: [hello] });
    await get(`${imposter.url}/m`);
    assert.deepEqual(
      (await imposter.requests()).map((r) => r.path),
      ['/m'],
    );
  } finally {
    await mocking.close();
  }
});

test('silent by default; log receives the lines at the chosen level', async () => {
  const lines: LogRecord[] = [];
  const standin = await start({ logLevel: 'debug', log: (entry) => lines.push(entry) });
  try {
    const imposter = await standin.createImposter({ protocol: 'http', name: 'orders', stubs: [hello] });
    await get(`${imposter.url}/x`);
    assert.ok(lines.some((l) => l.level === 'info' && l.message === `[http:${imposter.port} orders] Open for business...`));
    assert.ok(lines.some((l) => l.level === 'info' && l.message.startsWith(`[mb:${standin.port}] standin v`)));
    assert.ok(lines.every((l) => typeof l.timestamp === 'string'));
  } finally {
    await standin.close();
  }
  const warnOnly: LogRecord[] = [];
  const quiet = await start({ logLevel: 'warn', log: (entry) => warnOnly.push(entry) });
  await quiet.createImposter({ protocol: 'http' });
  await quiet.close();
  assert.deepEqual(warnOnly, []);
});

test('imposters, save() and deleteAll(); save writes the file standin save writes', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'standin-lib-'));
  const standin = await start({ imposters: [{ protocol: 'http', name: 'first', stubs: [hello] }] });
  try {
    const saved = await standin.save({ file: join(dir, 'saved.json') });
    assert.equal(saved.imposters.length, 1);
    const first = saved.imposters[0]!;
    assert.equal(first.name, 'first');
    assert.deepEqual(first.stubs, [hello]);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'saved.json'), 'utf8')), saved);
    const handle = await standin.imposter(Number(first.port));
    assert.equal((await get(`${handle.url}/`)).body, 'hello');

    await standin.deleteAll();
    assert.deepEqual((await standin.save()).imposters, []);
  } finally {
    await standin.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('configfile and apikey: the file loads at start, the methods send the key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'standin-lib-'));
  const file = join(dir, 'imposters.ejs');
  writeFileSync(file, JSON.stringify({ imposters: [{ protocol: 'http', name: 'from-file', stubs: [hello] }] }));
  const standin = await start({ configfile: file, apikey: 's3cret' });
  try {
    assert.equal((await get(`${standin.url}/imposters`)).status, 401);
    const saved = await standin.save();
    assert.equal(saved.imposters[0]!.name, 'from-file');
    const created = await standin.createImposter({ protocol: 'http', stubs: [hello] });
    assert.equal((await get(`${created.url}/`)).body, 'hello');
  } finally {
    await standin.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('options are checked before anything starts', async () => {
  // @ts-expect-error: not an option
  await assert.rejects(start({ prot: 1 }), /unknown option 'prot'; known options: port, host/);
  await assert.rejects(start({ port: 70000 }), /port must be an integer from 0 to 65535/);
  await assert.rejects(start({ watch: true }), /watch needs a configfile/);
  await assert.rejects(start({ stallLimit: -1 }), /stallLimit must be a number of milliseconds from 0 to 3600000, got -1/);
  const taken = await start();
  try {
    await assert.rejects(start({ port: taken.port }), (err: unknown) => err instanceof StandinError && /already in use/.test(err.message));
  } finally {
    await taken.close();
  }
});

test('close() is idempotent and frees the admin port', async () => {
  const standin = await start();
  const { port } = standin;
  await Promise.all([standin.close(), standin.close()]);
  const again = await start({ port });
  await again.close();
});

test('verify(): counts, an expected count that holds, and one that does not with the closest request', async () => {
  const standin = await start();
  try {
    const orders = await standin.createImposter({ protocol: 'http', recordRequests: true, stubs: [hello] });
    await post(`${orders.url}/order`, { item: 'pen' });
    await get(`${orders.url}/orders`);
    // POST /order holds two of these three, GET /orders one: the POST is the closest.
    const posted = [{ equals: { method: 'POST' } }, { equals: { path: '/orders' } }, { contains: { body: 'pen' } }];

    assert.deepEqual(await orders.verify({ equals: { method: 'GET' } }), { matched: 1, total: 2 });
    const held = await orders.verify([{ equals: { method: 'GET' } }, { equals: { path: '/orders' } }], 1, { includeRequests: true });
    assert.equal(held.verified, true);
    assert.deepEqual(
      held.requests?.map((r) => `${r.method} ${r.path}`),
      ['GET /orders'],
    );
    assert.equal((await orders.verify(posted, { atMost: 0 })).verified, true);

    await assert.rejects(orders.verify(posted, 1), (err: unknown) => {
      assert.ok(err instanceof VerificationError);
      assert.equal(err.result.matched, 0);
      assert.equal(err.result.closest?.request.path, '/order');
      assert.deepEqual(
        err.result.closest?.failedPredicates.map((f) => f.predicate),
        [{ equals: { path: '/orders' } }],
      );
      assert.match(err.message, new RegExp(`^imposter ${orders.port}: expected exactly 1 matching request, found 0 of 2\n`));
      assert.match(err.message, /\nclosest request: POST \/order\n {2}predicates\[1\]\.equals\.path \(path\): equals expected "\/orders", got "\/order"$/);
      return true;
    });
    await assert.rejects(orders.verify(posted, { atLeast: 2, atMost: 1 }), (err: unknown) => err instanceof StandinError && err.code === 'bad data');

    // Not recording: said so, rather than "expected exactly 1, found 0 of 0".
    const silent = await standin.createImposter({ protocol: 'http', stubs: [hello] });
    await get(`${silent.url}/orders`);
    await assert.rejects(silent.verify({ equals: { path: '/orders' } }, 1), /does not record requests: create it with "recordRequests": true/);
  } finally {
    await standin.close();
  }
});

test('stallLimit: user code is stopped at the limit given, and 0 removes it', async () => {
  const loop = {
    responses: [
      {
        _rift: {
          script: { engine: 'lua' as const, code: 'function should_inject(r, s) local n = 0 while n < 3e6 do n = n + 1 end return { inject = false } end' },
        },
        is: { body: 'done' },
      },
    ],
  };
  const strict = await start({ stallLimit: 5 });
  const unlimited = await start({ stallLimit: 0 });
  try {
    const stopped = await strict.createImposter({ protocol: 'http', stubs: [loop] });
    const answer = await get(`${stopped.url}/`);
    assert.equal(answer.status, 500, answer.body);
    assert.match(answer.json().errors[0].message, /kept standin busy for more than 5 ms and was stopped \(--stallLimit\)/);
    const finished = await unlimited.createImposter({ protocol: 'http', stubs: [loop] });
    assert.equal((await get(`${finished.url}/`)).body, 'done');
  } finally {
    await strict.close();
    await unlimited.close();
  }
});

test('stallLimit is 50 ms unless set', async () => {
  const standin = await start();
  try {
    const looping = await standin.createImposter({
      protocol: 'http',
      stubs: [{ responses: [{ _rift: { script: { engine: 'lua' as const, code: 'function should_inject(r, s) while true do end end' } } }] }],
    });
    const answer = await get(`${looping.url}/`);
    assert.equal(answer.status, 500, answer.body);
    assert.match(answer.json().errors[0].message, /kept standin busy for more than 50 ms and was stopped \(--stallLimit\)/);
  } finally {
    await standin.close();
  }
});
