// Bad input sent as an attacker or a careless user would: each is refused or answered, the process
// lives, and an imposter created first keeps answering within 100 ms throughout.
import assert from 'node:assert/strict';
import { createGzip, gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { createCanary, sendLargeBody, type Canary } from '../support/canary.js';
import { del, freePort, get, post, request } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let server: StandinProcess;
let canary: Canary;

before(async () => {
  server = await startStandin(['--allowInjection']);
  canary = await createCanary(server.url, server.pid);
});
after(() => server.stop());

/** `mb` MiB of 'a' gzipped, made from one reused MiB so the test itself holds no 560 MB buffer. */
async function gzipBomb(mb: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const parts: Buffer[] = [];
  gzip.on('data', (c: Buffer) => parts.push(c));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  const chunk = Buffer.alloc(1024 * 1024, 'a');
  for (let i = 0; i < mb; i++) if (!gzip.write(chunk)) await new Promise((r) => gzip.once('drain', r));
  gzip.end();
  await done;
  return Buffer.concat(parts);
}

async function assertAlive(): Promise<void> {
  assert.equal(server.child.exitCode, null, `standin exited:\n${server.output()}`);
  assert.equal((await get(`${server.url}/imposters`)).status, 200);
}

async function imposter(stubs: unknown[]): Promise<number> {
  const port = await freePort();
  const created = await post(`${server.url}/imposters`, { protocol: 'http', port, stubs });
  assert.equal(created.status, 201, created.body);
  return port;
}

describe('input that used to end the process', () => {
  it('JSON nested 10,000 deep to POST /imposters gets a 400 that says how deep is allowed', async () => {
    const deep = '['.repeat(10_000) + ']'.repeat(10_000);
    const answer = await canary.during(() => post(`${server.url}/imposters`, deep));
    assert.equal(answer.status, 400);
    assert.deepEqual(answer.json().errors[0], {
      code: 'bad data',
      message: 'the body nests arrays and objects more than 512 levels deep; standin accepts up to 512',
    });
    await assertAlive();
  });

  it('an imposter with a 3,000-deep unknown field is refused; GET and DELETE keep working', async () => {
    const port = await freePort();
    const deep = '{"a":'.repeat(3000) + '1' + '}'.repeat(3000);
    const body = `{"protocol":"http","port":${port},"unknown":${deep},"stubs":[]}`;
    await canary.during(async () => {
      const answer = await post(`${server.url}/imposters`, body);
      assert.equal(answer.status, 400, answer.body);
      assert.equal((await get(`${server.url}/imposters/${port}`)).status, 404);
      assert.equal((await get(`${server.url}/imposters`)).status, 200);
      assert.equal((await del(`${server.url}/imposters/${port}`)).status, 200);
    });
    // 512 levels are accepted, and print and delete like any other imposter.
    const fine = '{"a":'.repeat(500) + '1' + '}'.repeat(500);
    const created = await post(`${server.url}/imposters`, `{"protocol":"http","port":${port},"unknown":${fine},"stubs":[]}`);
    assert.equal(created.status, 201, created.body);
    assert.equal((await get(`${server.url}/imposters/${port}`)).status, 200);
    assert.equal((await del(`${server.url}/imposters/${port}`)).status, 200);
    await assertAlive();
  });

  it('a 560 KB gzip body that inflates to 560 MB gets 413; a real gzip body is still inflated for the predicates', async () => {
    const port = await imposter([
      { predicates: [{ equals: { body: 'hello' } }], responses: [{ is: { body: 'matched' } }] },
      { responses: [{ is: { body: 'default' } }] },
    ]);
    const bomb = await gzipBomb(560);
    const answer = await canary.during(() => request('POST', `http://127.0.0.1:${port}/`, { body: bomb, headers: { 'Content-Encoding': 'gzip' } }));
    assert.equal(answer.status, 413);
    assert.equal(answer.json().errors[0].code, 'payload too large');
    assert.match(answer.json().errors[0].message, /larger than 64 MiB; start standin with a larger --bodyLimit/);
    const ok = await request('POST', `http://127.0.0.1:${port}/`, { body: gzipSync('hello'), headers: { 'Content-Encoding': 'gzip' } });
    assert.equal(ok.body, 'matched');
    await assertAlive();
  });

  it('a 600 MB body to an imposter gets 413 (declared length and chunked), a 40 MB one is served', async () => {
    const port = await imposter([{ responses: [{ is: { body: 'served' } }] }]);
    await canary.during(async () => {
      const declared = await sendLargeBody(port, '/', 600 * 1024 * 1024);
      assert.equal(declared.status, 413, declared.body);
      const chunked = await sendLargeBody(port, '/', 600 * 1024 * 1024, { chunked: true });
      assert.equal(chunked.status, 413, chunked.body);
      assert.match(chunked.body, /--bodyLimit/);
    });
    const large = await sendLargeBody(port, '/', 40 * 1024 * 1024);
    assert.equal(large.status, 200);
    assert.equal(large.body, 'served');
    await assertAlive();
  });

  it('a client that sends 600 MB before it looks for an answer reads the 413 once its writes stall, rather than a reset', async () => {
    const port = await imposter([{ responses: [{ is: { body: 'served' } }] }]);
    await canary.during(async () => {
      for (const chunked of [false, true]) {
        const answer = await sendLargeBody(port, '/', 600 * 1024 * 1024, { chunked, readWhenStalled: true });
        assert.equal(answer.status, 413, answer.body);
      }
    });
    await assertAlive();
  });

  it('a 600 MB body to the admin API gets 413 naming --adminBodyLimit', async () => {
    const answer = await canary.during(() => sendLargeBody(server.port, '/imposters', 600 * 1024 * 1024));
    assert.equal(answer.status, 413);
    assert.deepEqual(JSON.parse(answer.body).errors[0], {
      code: 'payload too large',
      message: 'the request body is larger than 64 MiB; start standin with a larger --adminBodyLimit to accept it',
    });
    await assertAlive();
  });

  it('an inject script that rejects a promise nobody awaits answers, and the process keeps serving', async () => {
    const port = await imposter([{ responses: [{ inject: "function () { Promise.reject(new Error('x')); return { body: 'ok' }; }" }] }]);
    await canary.during(async () => {
      for (let i = 0; i < 3; i++) {
        assert.equal((await get(`http://127.0.0.1:${port}/`)).body, 'ok');
        await new Promise((r) => setTimeout(r, 50));
      }
    });
    await assertAlive();
    assert.match(server.output(), /a promise was rejected and nothing handled it \(an inject script's\?\); standin keeps running: Error: x/);
  });
});

describe('memory held by bad input', () => {
  it('ten 20 MB bodies that are not JSON leave GET /logs small: the refusal is logged as an excerpt', async () => {
    const junk = Buffer.alloc(20 * 1024 * 1024, 'x');
    await canary.during(async () => {
      for (let i = 0; i < 10; i++) {
        const answer = await request('POST', `${server.url}/imposters`, { body: junk });
        assert.equal(answer.status, 400);
        const error = answer.json().errors[0];
        assert.equal(error.code, 'invalid JSON');
        // The echo, as mountebank's, is bounded too.
        assert.equal(error.source, `${'x'.repeat(64 * 1024)}... (20971520 bytes)`);
      }
    });
    const logs = await get(`${server.url}/logs`);
    assert.ok(logs.bodyBytes.length < 1024 * 1024, `GET /logs is ${logs.bodyBytes.length} bytes`);
    const refusals = logs.json().logs.filter((l: { message: string }) => l.message.includes('error creating imposter: '));
    assert.ok(refusals.length >= 10);
    for (const line of refusals) assert.ok(line.message.length < 1200, `a refusal line of ${line.message.length} characters`);
    await assertAlive();
  });
});

describe('--bodyLimit and --adminBodyLimit', () => {
  it('set the limits: a body one byte over gets 413, one at the limit is served', async () => {
    const small = await startStandin(['--bodyLimit', '1kb', '--adminBodyLimit', '2kb']);
    try {
      const port = await freePort();
      const definition = { protocol: 'http', port, stubs: [{ responses: [{ is: { body: 'fits' } }] }] };
      assert.equal((await post(`${small.url}/imposters`, definition)).status, 201);
      assert.equal((await request('POST', `http://127.0.0.1:${port}/`, { body: 'x'.repeat(1024) })).body, 'fits');
      const over = await request('POST', `http://127.0.0.1:${port}/`, { body: 'x'.repeat(1025) });
      assert.equal(over.status, 413);
      assert.match(over.json().errors[0].message, /larger than 1 KiB; start standin with a larger --bodyLimit/);
      const gzipped = await request('POST', `http://127.0.0.1:${port}/`, { body: gzipSync('x'.repeat(1025)), headers: { 'Content-Encoding': 'gzip' } });
      assert.equal(gzipped.status, 413, 'counted after decompression');
      const admin = await post(`${small.url}/imposters`, { ...definition, port: await freePort(), name: 'x'.repeat(2048) });
      assert.equal(admin.status, 413);
      assert.match(admin.json().errors[0].message, /larger than 2 KiB; start standin with a larger --adminBodyLimit/);
      assert.equal((await get(`${small.url}/imposters`)).status, 200);
    } finally {
      await small.stop();
    }
  });
});

describe('no file read through the admin API', () => {
  const readsAFile = { _imposter: { response: { file: '/etc/passwd' } } };
  // mountebank's message, and the types a user may send (_imposter is not among them).
  const UNRECOGNIZED = 'unrecognized response type: a response has one of is, proxy, inject, fault';

  it('_imposter is refused from POST /imposters, PUT /imposters and the stub routes, as mountebank refuses it', async () => {
    const port = await freePort();
    await canary.during(async () => {
      const created = await post(`${server.url}/imposters`, { protocol: 'http', port, stubs: [{ responses: [readsAFile] }] });
      assert.equal(created.status, 400);
      assert.deepEqual(created.json(), { errors: [{ code: 'bad data', message: UNRECOGNIZED, source: readsAFile }] });
      assert.equal((await get(`${server.url}/imposters/${port}`)).status, 404);

      const replaced = await request('PUT', `${server.url}/imposters`, {
        body: { imposters: [{ protocol: 'http', port, stubs: [{ responses: [readsAFile] }] }] },
      });
      assert.equal(replaced.status, 400);

      const target = await imposter([{ responses: [{ is: { body: 'safe' } }] }]);
      const added = await post(`${server.url}/imposters/${target}/stubs`, { stub: { responses: [readsAFile] } });
      assert.equal(added.status, 400);
      assert.equal(added.json().errors[0].message, UNRECOGNIZED);
      const changed = await request('PUT', `${server.url}/imposters/${target}/stubs/0`, { body: { responses: [readsAFile] } });
      assert.equal(changed.status, 400);
      const body = (await get(`http://127.0.0.1:${target}/`)).body;
      assert.equal(body, 'safe');
      assert.doesNotMatch(body, /root:/);
    });
    await assertAlive();
  });
});
