// --debug's `matches` beside the real mountebank 2.9.1: each kind of response recorded with
// mountebank's shape and key order (the resolved response object, as its http server leaves it),
// compared after scrubbing times and ports.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import { freePort, get } from '../support/http.js';
import { post } from '../support/http.js';
import { startMountebank, type MountebankProcess } from '../support/mountebankProcess.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let standin: StandinProcess;
let mb: MountebankProcess;
const origin = http.createServer((_req, res) => {
  res.sendDate = false;
  // Connection: close, so the origin's headers are the same whether the proxy keeps connections or not.
  res.writeHead(200, { 'Content-Type': 'application/json', 'X-Origin': 'yes', Connection: 'close' });
  res.end('{"from":"origin"}');
});
before(async () => {
  [standin, mb] = await Promise.all([startStandin(['--debug', '--allowInjection']), startMountebank(['--debug', '--allowInjection'])]);
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
});
after(async () => {
  origin.close();
  await Promise.all([standin?.stop(), mb?.stop()]);
});

const STUBS = (originUrl: string) => [
  { predicates: [{ equals: { path: '/plain' } }], responses: [{ is: { body: 'x' } }] },
  { predicates: [{ equals: { path: '/headers' } }], responses: [{ is: { statusCode: 201, headers: { 'X-A': '1', 'Content-Length': '99' }, body: { k: 1 } } }] },
  { predicates: [{ equals: { path: '/inject' } }], responses: [{ inject: 'function (config) { return { body: "i", headers: { "X-I": "2" } }; }' }] },
  {
    predicates: [{ equals: { path: '/decorate' } }],
    responses: [{ is: { body: 'd' }, _behaviors: { decorate: 'function (config) { config.response.body = "D"; }' } }],
  },
  { predicates: [{ equals: { path: '/fault' } }], responses: [{ fault: 'CONNECTION_RESET_BY_PEER' }] },
  { predicates: [{ equals: { path: '/proxy' } }], responses: [{ proxy: { to: originUrl, mode: 'proxyTransparent' } }] },
];

async function matches(url: string): Promise<unknown[]> {
  const port = await freePort();
  const originUrl = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
  assert.equal((await post(`${url}/imposters`, { protocol: 'http', port, stubs: STUBS(originUrl) })).status, 201);
  for (const path of ['/plain', '/headers', '/inject', '/decorate', '/fault', '/proxy', '/plain']) {
    await get(`http://127.0.0.1:${port}${path}`, { headers: { Connection: 'close' } }).catch(() => undefined);
  }
  const stubs = (await get(`${url}/imposters/${port}`)).json().stubs as Array<{ matches?: Record<string, unknown>[] }>;
  return stubs.map((stub) =>
    (stub.matches ?? []).map((match) => {
      const text = JSON.stringify(match)
        .replace(/"timestamp":"[^"]+"/, '"timestamp":"T"')
        .replace(/"processingTime":\d+/, '"processingTime":0')
        .replace(/"_proxyResponseTime":\d+/, '"_proxyResponseTime":0')
        .replace(/127\.0\.0\.1:\d+/g, 'CLIENT');
      return JSON.parse(text) as unknown;
    }),
  );
}

it("records each match with mountebank's shape and order", async () => {
  const [ours, theirs] = await Promise.all([matches(standin.url), matches(mb.url)]);
  assert.equal((theirs[0] as unknown[]).length, 2, JSON.stringify(theirs));
  assert.deepEqual(ours, theirs);
});
