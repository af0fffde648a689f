// A stub cycling [is, proxy] (the seed's mixed-responses example) against a real origin, on
// standin and on the real mountebank 2.9.1 side by side: with the default proxyOnce the proxy
// saves a catch-all stub in front, so the cycle never returns to the `is` response.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import { freePort, get, post } from '../support/http.js';
import { startMountebank, type MountebankProcess } from '../support/mountebankProcess.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let standin: StandinProcess;
let mb: MountebankProcess;
let originHits = 0;
const origin = http.createServer((_req, res) => {
  originHits++;
  res.end('from origin');
});
before(async () => {
  [standin, mb] = await Promise.all([startStandin(), startMountebank()]);
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
});
after(async () => {
  origin.close();
  await Promise.all([standin?.stop(), mb?.stop()]);
});

async function bodies(url: string, proxy: Record<string, unknown>): Promise<{ bodies: string[]; hits: number; stubs: number }> {
  const port = await freePort();
  const to = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
  const created = await post(`${url}/imposters`, {
    protocol: 'http',
    port,
    stubs: [{ responses: [{ is: { statusCode: 200, body: 'Cached response' } }, { proxy: { to, ...proxy } }] }],
  });
  assert.equal(created.status, 201, created.body);
  const before = originHits;
  const seen: string[] = [];
  for (let i = 0; i < 5; i++) seen.push((await get(`http://127.0.0.1:${port}/orders`)).body);
  const stubs = (await get(`${url}/imposters/${port}`)).json().stubs.length;
  return { bodies: seen, hits: originHits - before, stubs };
}

it('proxyOnce (the default): the saved stub answers from then on, as in mountebank', async () => {
  const ours = await bodies(standin.url, {});
  const theirs = await bodies(mb.url, {});
  assert.deepEqual(theirs, { bodies: ['Cached response', 'from origin', 'from origin', 'from origin', 'from origin'], hits: 1, stubs: 2 });
  assert.deepEqual(ours, theirs);
});

it('proxyTransparent: the responses alternate, as in mountebank', async () => {
  const ours = await bodies(standin.url, { mode: 'proxyTransparent' });
  const theirs = await bodies(mb.url, { mode: 'proxyTransparent' });
  assert.deepEqual(theirs, { bodies: ['Cached response', 'from origin', 'Cached response', 'from origin', 'Cached response'], hits: 2, stubs: 1 });
  assert.deepEqual(ours, theirs);
});
