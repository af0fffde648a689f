// The injection parts of proxies, against a real origin on 127.0.0.1: predicateGenerator
// `inject`, `addDecorateBehavior` (saved responses carry the decorate behavior), behaviors on a
// proxy response (run once, saved transformed), and `predicateOperator`.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { freePort, get, post, request } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let mb: StandinProcess;
let origin: http.Server;
let originUrl: string;
let originCalls = 0;
before(async () => {
  mb = await startStandin(['--allowInjection']);
  origin = http.createServer((req, res) => {
    originCalls++;
    req.resume();
    req.on('end', () => res.end('downstream service response'));
  });
  await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
  originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
});
after(async () => {
  origin.closeAllConnections();
  await new Promise<void>((r) => origin.close(() => r()));
  await mb.stop();
});

async function imposter(stubs: unknown[]): Promise<{ url: string; port: number }> {
  const port = await freePort();
  const res = await post(`${mb.url}/imposters`, { protocol: 'http', port, stubs });
  assert.equal(res.status, 201, res.body);
  return { url: `http://127.0.0.1:${port}`, port };
}

const stubsOf = async (port: number) => (await get(`${mb.url}/imposters/${port}`)).json().stubs as { predicates?: unknown[]; responses: any[] }[];

describe('predicateGenerators inject', () => {
  const inject =
    "function (config) {\n  const predicate = { exists: { headers: { 'X-Transaction-Id': false } } };\n  if (config.request.headers['X-Transaction-Id']) {\n    config.logger.debug('Requiring X-Transaction-Id header to exist in predicate');\n    predicate.exists.headers['X-Transaction-Id'] = true;\n  }\n  return [predicate];\n}";

  it("builds the saved stub's predicates with the function (mountebank's example)", async () => {
    const { url, port } = await imposter([{ responses: [{ proxy: { to: originUrl, predicateGenerators: [{ inject }] } }] }]);
    await request('POST', `${url}/`, { headers: { 'X-Transaction-Id': '100' }, body: 'SUCCESS' });
    const stubs = await stubsOf(port);
    assert.deepEqual(stubs[0]!.predicates, [{ exists: { headers: { 'X-Transaction-Id': true } } }]);
    assert.equal(stubs[0]!.responses[0].is.body, 'downstream service response');
    assert.equal(stubs[1]!.responses[0].proxy.predicateGenerators[0].inject, inject);
  });

  it('answers 500 invalid predicateGenerator injection when the function throws or returns no array', async () => {
    const { url, port } = await imposter([
      {
        predicates: [{ equals: { path: '/throw' } }],
        responses: [{ proxy: { to: originUrl, predicateGenerators: [{ inject: "function () { throw new Error('BOOM!!!'); }" }] } }],
      },
      { responses: [{ proxy: { to: originUrl, predicateGenerators: [{ inject: 'function () { return 1; }' }] } }] },
    ]);
    const thrown = await get(`${url}/throw`);
    assert.equal(thrown.status, 500);
    assert.deepEqual([thrown.json().errors[0].message, thrown.json().errors[0].data], ['invalid predicateGenerator injection', 'Error: BOOM!!!']);
    const notArray = await get(`${url}/other`);
    assert.equal(notArray.status, 500);
    assert.match(notArray.json().errors[0].data, /must return an array of predicates/);
    assert.equal((await stubsOf(port)).length, 2, 'nothing was saved');
  });
});

describe('addDecorateBehavior', () => {
  it("gives saved responses the decorate behavior, leaving the proxied answer alone (mountebank's example)", async () => {
    const decorate = "config => { config.response.body = config.response.body + ' DECORATED!'; }";
    const { url, port } = await imposter([{ responses: [{ proxy: { to: originUrl, addDecorateBehavior: decorate } }] }]);
    assert.equal((await get(`${url}/`)).body, 'downstream service response');
    const stubs = await stubsOf(port);
    assert.deepEqual(stubs[0]!.predicates, []);
    assert.equal(stubs[0]!.responses[0].is.body, 'downstream service response');
    assert.deepEqual(stubs[0]!.responses[0].behaviors, [{ decorate }]);
    assert.equal(stubs[1]!.responses[0].proxy.addDecorateBehavior, decorate);
    const calls = originCalls;
    assert.equal((await get(`${url}/`)).body, 'downstream service response DECORATED!', 'the saved response decorates when replayed');
    assert.equal(originCalls, calls, 'answered without the origin');
  });
});

describe('behaviors on a proxy response', () => {
  it("decorate adds a header to the proxied answer (mountebank's example), runs once and is saved transformed", async () => {
    const { url, port } = await imposter([
      {
        responses: [
          { proxy: { to: originUrl }, _behaviors: { decorate: "function (request, response) { response.headers['X-Test'] = 'True'; response.body += '!'; }" } },
        ],
      },
    ]);
    const proxied = await get(`${url}/test`);
    assert.deepEqual([proxied.headers['x-test'], proxied.body], ['True', 'downstream service response!']);
    const saved = (await stubsOf(port))[0]!.responses[0];
    assert.equal(saved.is.headers['X-Test'], 'True');
    assert.equal(saved.is.body, 'downstream service response!');
    assert.equal(saved.behaviors, undefined, 'the decorate behavior is not saved: it already ran');
    const replayed = await get(`${url}/test`);
    assert.deepEqual([replayed.headers['x-test'], replayed.body], ['True', 'downstream service response!'], 'not decorated twice');
  });
});

describe('predicateOperator', () => {
  it('uses the given operator instead of deepEquals/equals, and exists marks the fields present', async () => {
    const { url, port } = await imposter([
      {
        responses: [
          {
            proxy: {
              to: originUrl,
              predicateGenerators: [
                { matches: { path: true }, predicateOperator: 'contains' },
                { matches: { query: { q: true } }, predicateOperator: 'startsWith', caseSensitive: true },
                { matches: { headers: { 'X-Trace': true } }, predicateOperator: 'exists' },
              ],
            },
          },
        ],
      },
    ]);
    await get(`${url}/search?q=mountebank&page=1`, { headers: { 'X-Trace': 'abc' } });
    assert.deepEqual((await stubsOf(port))[0]!.predicates, [
      { contains: { path: '/search' } },
      { caseSensitive: true, startsWith: { query: { q: 'mountebank' } } },
      { exists: { headers: { 'X-Trace': true } } },
    ]);
    const calls = originCalls;
    await get(`${url}/search?q=mountebank&page=2`, { headers: { 'X-Trace': 'other' } });
    assert.equal(originCalls, calls, 'the saved stub matches the next similar request');
  });
});
