// --localOnly and --ipWhitelist through the real executable: callers from another address are cut
// off on the admin API and on imposters. The "other" caller is this machine's own non-loopback
// address, used as the client socket's source address towards 127.0.0.1.
import assert from 'node:assert/strict';
import os from 'node:os';
import { after, describe, it } from 'node:test';
import { freePort, get, post } from '../support/http.js';
import { parsePrometheus, valueOf } from '../support/prometheus.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

const external = Object.values(os.networkInterfaces())
  .flat()
  .find((info) => info && !info.internal && info.family === 'IPv4')?.address;
const skip = external === undefined ? 'this machine has no non-loopback IPv4 address' : false;

const running: StandinProcess[] = [];
after(async () => {
  await Promise.all(running.map((p) => p.stop()));
});

async function withImposter(flags: string[]): Promise<{ server: StandinProcess; imposterUrl: string; port: number }> {
  const server = await startStandin(flags);
  running.push(server);
  const port = await freePort();
  const created = await post(`${server.url}/imposters`, { protocol: 'http', port, stubs: [{ responses: [{ is: { body: 'served' } }] }] });
  assert.equal(created.status, 201, created.body);
  return { server, imposterUrl: `http://127.0.0.1:${port}/`, port };
}

const refused = (url: string) => assert.rejects(get(url, { localAddress: external }), /ECONNRESET|socket hang up|EPIPE/);

describe('--localOnly and --ipWhitelist', { skip }, () => {
  it('--localOnly: loopback callers are served, another address is cut off on the admin API and imposters', async () => {
    const { server, imposterUrl, port } = await withImposter(['--localOnly']);
    assert.equal((await get(imposterUrl)).body, 'served');
    assert.equal((await get(`${server.url}/imposters`)).status, 200);
    await refused(imposterUrl);
    await refused(`${server.url}/imposters`);
    const metrics = parsePrometheus((await get(`${server.url}/metrics`)).body);
    assert.equal(valueOf(metrics, 'mb_blocked_ip_total', 'mb_blocked_ip_total', { imposter: `[http:${port}] ` }), 1);
  });

  it('--ipWhitelist lets the listed address in, and --localOnly overrides it', async () => {
    const allowed = await withImposter(['--ipWhitelist', `10.9.9.9|${external}`]);
    assert.equal((await get(allowed.imposterUrl, { localAddress: external })).body, 'served');
    assert.equal((await get(`${allowed.server.url}/config`, { localAddress: external })).json().options.ipWhitelist[1], external);

    const both = await withImposter(['-w', external!, '-l']);
    await refused(both.imposterUrl);
    await refused(`${both.server.url}/config`);
  });

  it('--ipWhitelist without the caller: cut off; loopback callers are always allowed, as in mb', async () => {
    const { server, imposterUrl } = await withImposter(['--ipWhitelist', '10.9.9.9']);
    await refused(imposterUrl);
    await refused(`${server.url}/imposters`);
    assert.equal((await get(imposterUrl)).body, 'served');
  });
});
