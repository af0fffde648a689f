// A bad proxy definition is refused with a clear 400 and changes nothing; an https origin with a
// self-signed certificate is accepted.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, get, post } from '../support/http.js';
import { repoRoot, startStandin, type StandinProcess } from '../support/standinProcess.js';

let mb: StandinProcess;
let injecting: StandinProcess;
before(async () => {
  [mb, injecting] = await Promise.all([startStandin(), startStandin(['--allowInjection'])]);
});
after(async () => {
  await Promise.all([mb.stop(), injecting.stop()]);
});

async function refused(server: StandinProcess, proxy: unknown): Promise<{ code: string; message: string }> {
  const res = await post(`${server.url}/imposters`, { protocol: 'http', port: await freePort(), stubs: [{ responses: [{ proxy }] }] });
  assert.equal(res.status, 400, res.body);
  assert.deepEqual((await get(`${server.url}/imposters`)).json().imposters, [], 'nothing was created');
  return res.json().errors[0];
}

describe('proxy validation', () => {
  it('requires to', async () => {
    const e = await refused(mb, { mode: 'proxyOnce' });
    assert.deepEqual([e.code, e.message], ['bad data', 'Missing to']);
  });

  it('refuses a path in to', async () => {
    const e = await refused(mb, { to: 'http://127.0.0.1:1/api' });
    assert.deepEqual([e.code, e.message], ['bad data', "proxy.to must not contain a path '/api'"]);
  });

  it('refuses a non-http to and a malformed URL', async () => {
    assert.match((await refused(mb, { to: 'tcp://127.0.0.1:1' })).message, /http or https/);
    assert.match((await refused(mb, { to: 'not a url' })).message, /not a valid URL/);
  });

  it('refuses predicates put inside proxy', async () => {
    const e = await refused(mb, { to: 'http://127.0.0.1:1', predicates: [{ equals: { path: '/' } }] });
    assert.equal(e.code, 'bad data');
    assert.match(e.message, /'predicates' is not a proxy field/);
  });

  it('needs --allowInjection for addDecorateBehavior and predicateGenerator inject', async () => {
    let e = await refused(mb, { to: 'http://127.0.0.1:1', addDecorateBehavior: 'function (req, res) {}' });
    assert.equal(e.code, 'invalid injection');
    e = await refused(mb, { to: 'http://127.0.0.1:1', predicateGenerators: [{ inject: 'function (config) { return []; }' }] });
    assert.equal(e.code, 'invalid injection');
  });

  it('with --allowInjection, accepts functions that do not compile (as mountebank), refuses a bad predicateOperator', async () => {
    for (const proxy of [
      { to: 'http://127.0.0.1:1', addDecorateBehavior: 'function (req, res) {' },
      { to: 'http://127.0.0.1:1', predicateGenerators: [{ inject: 'not a function' }] },
    ]) {
      const res = await post(`${injecting.url}/imposters`, { protocol: 'http', port: await freePort(), stubs: [{ responses: [{ proxy }] }] });
      assert.equal(res.status, 201, res.body);
    }
    const e = await refused(mb, { to: 'http://127.0.0.1:1', predicateGenerators: [{ matches: { path: true }, predicateOperator: 'like' }] });
    assert.equal(e.code, 'bad data');
    assert.match(e.message, /"predicateOperator" must be one of equals, deepEquals, contains/);
  });

  it('accepts an unknown mode as proxyOnce', async () => {
    const port = await freePort();
    const res = await post(`${mb.url}/imposters`, {
      protocol: 'http',
      port,
      stubs: [{ responses: [{ proxy: { to: 'http://127.0.0.1:1', mode: 'sometimes' } }] }],
    });
    assert.equal(res.status, 201, res.body);
    assert.equal(res.json().stubs[0].responses[0].proxy.mode, 'sometimes', 'echoed as sent');
    await fetch(`${mb.url}/imposters/${port}`, { method: 'DELETE' });
  });
});

describe('https origin', () => {
  it('proxies to an origin with a self-signed certificate and records its answer', async () => {
    const certDir = join(repoRoot, 'node_modules', 'mountebank', 'src', 'models', 'https', 'cert');
    const server = https.createServer({ key: readFileSync(join(certDir, 'mb-key.pem')), cert: readFileSync(join(certDir, 'mb-cert.pem')) }, (req, res) =>
      res.end(`secure ${req.url}`),
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const to = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const port = await freePort();
    const created = await post(`${mb.url}/imposters`, { protocol: 'http', port, stubs: [{ responses: [{ proxy: { to } }] }] });
    assert.equal(created.status, 201, created.body);
    assert.equal((await get(`http://127.0.0.1:${port}/hello`)).body, 'secure /hello');
    const stubs = (await get(`${mb.url}/imposters/${port}`)).json().stubs;
    assert.equal(stubs[0].responses[0].is.body, 'secure /hello');
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
    await fetch(`${mb.url}/imposters/${port}`, { method: 'DELETE' });
  });
});
