// The round trip users rely on: record a real service through a proxy, `standin save`, restart,
// `standin replay`, and get the recorded answers with the service gone.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { runCli } from '../support/cliHarness.js';
import { freePort, get, post } from '../support/http.js';
import { startStandin } from '../support/standinProcess.js';

it('record through proxyAlways, save, restart, replay: recorded answers with the origin stopped', async () => {
  let served = 0;
  const origin = http.createServer((req, res) => {
    served++;
    res.writeHead(200, { 'Content-Type': 'application/json', 'X-Origin': 'yes' });
    res.end(JSON.stringify({ path: req.url, call: served }));
  });
  await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
  const originUrl = `http://127.0.0.1:${(origin.address() as { port: number }).port}`;

  const first = await startStandin();
  const imposterPort = await freePort();
  const saveDir = mkdtempSync(join(tmpdir(), 'standin-save-'));
  const savefile = join(saveDir, 'recorded.json');
  let second: Awaited<ReturnType<typeof startStandin>> | undefined;
  try {
    const created = await post(`${first.url}/imposters`, {
      protocol: 'http',
      port: imposterPort,
      stubs: [{ responses: [{ proxy: { to: originUrl, mode: 'proxyAlways', predicateGenerators: [{ matches: { path: true } }] } }] }],
    });
    assert.equal(created.status, 201, created.body);
    const live = [
      await get(`http://127.0.0.1:${imposterPort}/a`),
      await get(`http://127.0.0.1:${imposterPort}/b`),
      await get(`http://127.0.0.1:${imposterPort}/a`),
    ];
    assert.deepEqual(
      live.map((r) => r.json()),
      [
        { path: '/a', call: 1 },
        { path: '/b', call: 2 },
        { path: '/a', call: 3 },
      ],
    );

    const saved = await runCli(['save', '--port', String(first.port), '--host', '127.0.0.1', '--savefile', savefile], first.dir);
    assert.equal(saved.code, 0, saved.stderr);
    await first.stop();
    await new Promise<void>((r) => origin.close(() => r()));

    second = await startStandin(['--configfile', savefile]);
    const replayed = await runCli(['replay', '--port', String(second.port), '--host', '127.0.0.1'], second.dir);
    assert.equal(replayed.code, 0, replayed.stderr);

    const a1 = await get(`http://127.0.0.1:${imposterPort}/a`);
    const b = await get(`http://127.0.0.1:${imposterPort}/b`);
    const a2 = await get(`http://127.0.0.1:${imposterPort}/a`);
    assert.deepEqual(
      [a1.json(), b.json(), a2.json()],
      [
        { path: '/a', call: 1 },
        { path: '/b', call: 2 },
        { path: '/a', call: 3 },
      ],
    );
    assert.equal(a1.headers['x-origin'], 'yes');
    assert.equal(served, 3, 'the origin was never called after recording');
  } finally {
    origin.close();
    await first.stop();
    await second?.stop();
    rmSync(saveDir, { recursive: true, force: true });
  }
});
