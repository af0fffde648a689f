// --datadir through the real executable: every imposter change survives kill -9 and a restart,
// cycle positions and proxy recordings included; a clean stop leaves a consistent directory.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { createCanary } from '../support/canary.js';
import { runCli, sleep, spawnCli, tempDir, waitFor, waitForPidfile, type Running } from '../support/cliHarness.js';
import { del, freePort, get, post, put } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

const tmp = tempDir();
after(() => tmp.cleanup());
let dirs = 0;
const newDatadir = (): string => join(tmp.dir, `data-${++dirs}`);

const running: Array<StandinProcess | Running> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

async function start(datadir: string, extra: string[] = []): Promise<StandinProcess> {
  const server = await startStandin(['--datadir', datadir, ...extra]);
  running.push(server);
  return server;
}

/** kill -9: no chance to flush or clean up. */
async function crash(server: StandinProcess): Promise<void> {
  server.child.kill('SIGKILL');
  await server.stop();
}

/** Longer than the lazy write interval (100 ms), with a wide margin for a busy machine. */
const LAZY_WRITES_DONE_MS = 1_000;

const bodyOf = async (url: string): Promise<string> => (await get(url)).body;

describe('--datadir', () => {
  it('kill -9 then restart restores every imposter: stubs, their order, cycle positions', async () => {
    const datadir = newDatadir();
    const first = await start(datadir);
    const portA = await freePort();
    const portC = await freePort();

    const a = await post(`${first.url}/imposters`, {
      protocol: 'http',
      port: portA,
      name: 'orders',
      recordRequests: true,
      defaultResponse: { statusCode: 404, body: 'none' },
      stubs: [
        {
          predicates: [{ equals: { path: '/cycle' } }],
          responses: [{ is: { body: 'one' } }, { is: { body: 'two' }, repeat: 2 }, { is: { body: 'three' } }],
        },
        { predicates: [{ equals: { path: '/x' } }], responses: [{ is: { body: 'x' } }] },
      ],
    });
    assert.equal(a.status, 201, a.body);
    const b = await post(`${first.url}/imposters`, { protocol: 'http', stubs: [{ responses: [{ is: { body: 'b' } }] }] });
    assert.equal(b.status, 201, b.body);
    const portB = b.json().port as number;
    assert.equal((await post(`${first.url}/imposters`, { protocol: 'http', port: portC })).status, 201);
    assert.equal((await del(`${first.url}/imposters/${portC}`)).status, 200);

    const added = await post(`${first.url}/imposters/${portA}/stubs`, {
      index: 0,
      stub: { predicates: [{ equals: { path: '/first' } }], responses: [{ is: { body: 'first' } }] },
    });
    assert.equal(added.status, 200, added.body);
    const replaced = await put(`${first.url}/imposters/${portA}/stubs/2`, {
      predicates: [{ equals: { path: '/x' } }],
      responses: [{ is: { body: 'x2' } }],
    });
    assert.equal(replaced.status, 200, replaced.body);
    assert.equal((await post(`${first.url}/imposters/${portB}/stubs`, { stub: { responses: [{ is: { body: 'gone' } }] } })).status, 200);
    assert.equal((await del(`${first.url}/imposters/${portB}/stubs/1`)).status, 200);

    assert.equal(await bodyOf(`http://127.0.0.1:${portA}/cycle`), 'one');
    assert.equal(await bodyOf(`http://127.0.0.1:${portA}/cycle`), 'two');
    const before = (await get(`${first.url}/imposters?replayable=true`)).json();
    await sleep(LAZY_WRITES_DONE_MS);
    await crash(first);

    const second = await start(datadir);
    assert.deepEqual((await get(`${second.url}/imposters?replayable=true`)).json(), before);
    const names = before.imposters.map((i: { port: number }) => i.port);
    assert.deepEqual(
      names,
      [portA, portB].sort((x, y) => x - y),
    );
    // The cycle goes on where it was: the second of two 'two's, then 'three', then round again.
    const cycle = [];
    for (let i = 0; i < 4; i++) cycle.push(await bodyOf(`http://127.0.0.1:${portA}/cycle`));
    assert.deepEqual(cycle, ['two', 'three', 'one', 'two']);
    assert.equal(await bodyOf(`http://127.0.0.1:${portA}/first`), 'first');
    assert.equal(await bodyOf(`http://127.0.0.1:${portA}/x`), 'x2');
    assert.equal((await get(`http://127.0.0.1:${portA}/nothing`)).status, 404);
    assert.equal(await bodyOf(`http://127.0.0.1:${portB}/`), 'b');
    await assert.rejects(get(`http://127.0.0.1:${portC}/`), /ECONNREFUSED/);
  });

  it('proxy recordings survive kill -9, and stay removable as saved proxy responses', async () => {
    let calls = 0;
    const origin = http.createServer((req, res) => res.end(`origin ${req.url} ${++calls}`));
    await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
    try {
      const to = `http://127.0.0.1:${(origin.address() as { port: number }).port}`;
      const datadir = newDatadir();
      const first = await start(datadir);
      const port = await freePort();
      const created = await post(`${first.url}/imposters`, {
        protocol: 'http',
        port,
        stubs: [{ responses: [{ proxy: { to, mode: 'proxyOnce', predicateGenerators: [{ matches: { path: true } }] } }] }],
      });
      assert.equal(created.status, 201, created.body);
      assert.equal(await bodyOf(`http://127.0.0.1:${port}/a`), 'origin /a 1');
      await sleep(LAZY_WRITES_DONE_MS);
      await crash(first);

      const second = await start(datadir);
      assert.equal(await bodyOf(`http://127.0.0.1:${port}/a`), 'origin /a 1', 'served from the recording');
      assert.equal(calls, 1);
      const cleared = await del(`${second.url}/imposters/${port}/savedProxyResponses`);
      assert.equal(cleared.json().stubs.length, 1, 'only the proxy stub is left');
      assert.equal(await bodyOf(`http://127.0.0.1:${port}/a`), 'origin /a 2');
    } finally {
      origin.close();
    }
  });

  it('standin stop and restart from another terminal: pidfile gone, last positions written, imposters back', async () => {
    const datadir = newDatadir();
    const first = await start(datadir);
    const port = await freePort();
    await post(`${first.url}/imposters`, {
      protocol: 'http',
      port,
      stubs: [{ responses: [{ is: { body: '1' } }, { is: { body: '2' } }, { is: { body: '3' } }] }],
    });
    assert.equal(await bodyOf(`http://127.0.0.1:${port}/`), '1');

    // No wait: the shutdown itself must write the position.
    const adminPort = await freePort();
    const restarted = spawnCli(
      ['restart', '--pidfile', first.pidfile, '--datadir', datadir, '--port', String(adminPort), '--host', '127.0.0.1', '--nologfile'],
      tmp.dir,
    );
    running.push(restarted);
    await waitFor(() => first.child.exitCode !== null, 10_000, 'the first standin to exit');
    assert.equal(first.child.exitCode, 0);
    await waitFor(() => existsSync(first.pidfile) && readFileSync(first.pidfile, 'utf8') === String(restarted.pid), 15_000, 'the new pidfile');
    assert.equal(await bodyOf(`http://127.0.0.1:${port}/`), '2');

    const stopped = await runCli(['stop', '--pidfile', first.pidfile], tmp.dir);
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.equal((await restarted.exited).code, 0);
    assert.equal(existsSync(first.pidfile), false, 'SIGTERM removed the pidfile');
    assert.equal(existsSync(join(datadir, 'standin.lock')), false, 'the datadir lock was released');
    assert.deepEqual(
      readdirSync(datadir).filter((f) => f.endsWith('.tmp')),
      [],
      'no temp files left',
    );

    const third = await start(datadir);
    assert.equal(await bodyOf(`http://127.0.0.1:${port}/`), '3');
    assert.equal((await get(`${third.url}/imposters`)).json().imposters.length, 1);
  });

  it('PUT /imposters replaces the stored set and DELETE /imposters empties it', async () => {
    const datadir = newDatadir();
    const [p1, p2, p3] = [await freePort(), await freePort(), await freePort()];
    const first = await start(datadir);
    await post(`${first.url}/imposters`, { protocol: 'http', port: p1 });
    const replaced = await put(`${first.url}/imposters`, {
      imposters: [
        { protocol: 'http', port: p2 },
        { protocol: 'http', port: p3 },
      ],
    });
    assert.equal(replaced.status, 200, replaced.body);
    await first.stop();

    const second = await start(datadir);
    const ports = (await get(`${second.url}/imposters`)).json().imposters.map((i: { port: number }) => i.port);
    assert.deepEqual(
      ports,
      [p2, p3].sort((x, y) => x - y),
    );
    assert.equal((await del(`${second.url}/imposters`)).status, 200);
    await crash(second);

    const third = await start(datadir);
    assert.deepEqual((await get(`${third.url}/imposters`)).json().imposters, []);
  });

  it('--configfile replaces what the datadir held, and is stored in its place', async () => {
    const datadir = newDatadir();
    const [p1, p2] = [await freePort(), await freePort()];
    const first = await start(datadir);
    await post(`${first.url}/imposters`, { protocol: 'http', port: p1 });
    await first.stop();

    const configfile = join(tmp.dir, `config-${dirs}.json`);
    writeFileSync(configfile, JSON.stringify({ imposters: [{ protocol: 'http', port: p2 }] }));
    const second = await start(datadir, ['--configfile', configfile]);
    assert.deepEqual(
      (await get(`${second.url}/imposters`)).json().imposters.map((i: { port: number }) => i.port),
      [p2],
    );
    await second.stop();

    const third = await start(datadir);
    assert.deepEqual(
      (await get(`${third.url}/imposters`)).json().imposters.map((i: { port: number }) => i.port),
      [p2],
    );
  });

  it('a second standin on the same datadir is refused while the first runs', async () => {
    const datadir = newDatadir();
    const first = await start(datadir);
    const result = await runCli(
      ['start', '--port', String(await freePort()), '--host', '127.0.0.1', '--nologfile', '--pidfile', join(tmp.dir, 'second.pid'), '--datadir', datadir],
      tmp.dir,
    );
    assert.equal(result.code, 1);
    assert.match(result.stderr, new RegExp(`^standin: --datadir .* is in use by process ${first.pid} `));
    assert.equal(existsSync(join(tmp.dir, 'second.pid')), false);
  });

  it('a corrupt manifest stops start with one clear line and is left as it was', async () => {
    const datadir = newDatadir();
    const first = await start(datadir);
    await first.stop();
    const manifest = join(datadir, 'imposters.json');
    writeFileSync(manifest, '{"format": "standin-datadir", "imposters": [');
    const pidfile = join(tmp.dir, `corrupt-${dirs}.pid`);
    const proc = spawnCli(
      ['start', '--port', String(await freePort()), '--host', '127.0.0.1', '--nologfile', '--pidfile', pidfile, '--datadir', datadir],
      tmp.dir,
    );
    running.push(proc);
    assert.equal(await waitForPidfile(proc, pidfile), false, 'start must fail');
    const result = await proc.exited;
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^standin: --datadir .*: imposters\.json is not valid JSON/);
    assert.equal(readFileSync(manifest, 'utf8'), '{"format": "standin-datadir", "imposters": [');
  });

  it("touches only its own files: a user's files in DIR survive every change and restart; deleting an imposter removes its directory", async () => {
    const datadir = newDatadir();
    mkdirSync(datadir, { recursive: true });
    const theirs = ['2024-12.json', '4545-abcdef.json', '.session.tmp', '.imposters.json.tmp', 'notes.txt'];
    for (const name of theirs) writeFileSync(join(datadir, name), 'mine');
    const first = await start(datadir);
    const canary = await createCanary(first.url, first.pid);
    const [p1, p2, p3] = [await freePort(), await freePort(), await freePort()];
    await canary.during(async () => {
      assert.equal((await post(`${first.url}/imposters`, { protocol: 'http', port: p1 })).status, 201);
      assert.equal((await post(`${first.url}/imposters`, { protocol: 'http', port: p2 })).status, 201);
      const own = readdirSync(datadir).find((name) => name.startsWith(`${p1}-`))!;
      writeFileSync(join(datadir, own, 'left-by-hand.txt'), 'x');
      assert.equal((await del(`${first.url}/imposters/${p1}`)).status, 200);
      assert.equal(existsSync(join(datadir, own)), false, 'the deleted imposter keeps its directory');
    });
    // Replacing the set stops the canary too, so it is not asked meanwhile.
    assert.equal((await put(`${first.url}/imposters`, { imposters: [{ protocol: 'http', port: p3 }] })).status, 200);
    await crash(first);
    const second = await start(datadir);
    // PUT /imposters replaced the canary too: only p3 is left.
    assert.deepEqual(
      (await get(`${second.url}/imposters`)).json().imposters.map((i: { port: number }) => i.port),
      [p3],
    );
    await second.stop();
    for (const name of theirs) assert.equal(readFileSync(join(datadir, name), 'utf8'), 'mine', `${name} was changed or removed`);
  });
});
