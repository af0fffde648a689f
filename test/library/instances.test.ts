// Many standins in one process: each owns what it opens (listeners, upstream pools, stores), so
// closing one leaves the others working, and opening and closing 50 returns the process's handles
// and memory to where they were.
import assert from 'node:assert/strict';
import http from 'node:http';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { isDeepStrictEqual } from 'node:util';
import { runInNewContext } from 'node:vm';
import { start, type Standin } from '../../src/library/index.js';
import { Logger } from '../../src/logging/logger.js';
import { DEFAULT_OPTIONS } from '../../src/model/options.js';
import { startStandin } from '../../src/server/standin.js';
import { freePort, get, put } from '../support/http.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** A real origin for proxies, answering with the path it was asked for. */
async function origin(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => res.end(`origin saw ${req.url}`));
  // Idle keep-alive connections stay open for the whole test, so a pool left behind shows as a socket.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function proxying(standin: Standin, to: string) {
  return standin.createImposter({ protocol: 'http', stubs: [{ responses: [{ proxy: { to, mode: 'proxyTransparent' } }] }] });
}

test('closing one standin leaves another, proxying to the same origin, working', async () => {
  const upstream = await origin();
  const first = await start();
  const second = await start();
  try {
    const a = await proxying(first, upstream.url);
    const b = await proxying(second, upstream.url);
    assert.equal((await get(`${a.url}/a`)).body, 'origin saw /a');
    assert.equal((await get(`${b.url}/b`)).body, 'origin saw /b');
    await first.close();
    assert.equal((await get(`${b.url}/again`)).body, 'origin saw /again');
  } finally {
    await first.close();
    await second.close();
    await upstream.close();
  }
});

test("Imposter's stores belong to their instance", async () => {
  // As `standin imposter` serves a config: its /system endpoints, through the server's own front door.
  const system = async () => {
    const port = await freePort();
    const logger = new Logger({ level: 'error', logfile: null, console: false });
    const running = await startStandin({ ...DEFAULT_OPTIONS, port: 0, host: '127.0.0.1' }, logger);
    // `true`: the definition is the config loader's own (users may not send `_imposter`).
    await running.replaceImposters([{ protocol: 'http', port, stubs: [{ responses: [{ _imposter: { system: true } }] }] }], true);
    return { url: `http://127.0.0.1:${port}`, close: () => running.close().then(() => logger.close()) };
  };
  const first = await system();
  const second = await system();
  try {
    assert.equal((await put(`${first.url}/system/store/orders/last`, 'o-17')).status, 201);
    assert.equal((await get(`${first.url}/system/store/orders/last`)).body, 'o-17');
    assert.equal((await get(`${second.url}/system/store/orders/last`)).status, 404);
  } finally {
    await first.close();
    await second.close();
  }
});

/** Handles by type (sockets, servers, timers...), as the process sees them. */
function handles(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

async function settle(): Promise<void> {
  // Closed sockets and servers leave the handle list on a later turn of the event loop.
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  gc();
  gc();
}

async function oneInstance(upstream: string, n: number): Promise<void> {
  // A proxy timeout of its own gives each instance its own upstream pool, as different origins would.
  const standin = await start({ proxyTimeout: 60_000 + n });
  const imposter = await proxying(standin, upstream);
  const recorded = await standin.createImposter({ protocol: 'http', recordRequests: true, stubs: [{ responses: [{ is: { body: 'x'.repeat(10_000) } }] }] });
  assert.equal((await get(`${imposter.url}/p`)).body, 'origin saw /p');
  assert.equal((await get(recorded.url)).body.length, 10_000);
  await standin.close();
}

test('50 standins opened and closed: handles and memory come back to the baseline', { timeout: 120_000 }, async () => {
  const upstream = await origin();
  try {
    // Warm up: lazily loaded modules (undici, ...) and the JIT are not what is measured.
    for (let i = 0; i < 3; i++) await oneInstance(upstream.url, i);
    await settle();
    const baseHandles = handles();
    const baseHeap = process.memoryUsage().heapUsed;

    for (let i = 0; i < 50; i++) await oneInstance(upstream.url, 100 + i);
    // The origin's side of each closed connection goes away when its FIN arrives: give a loaded machine time.
    const deadline = Date.now() + 5_000;
    while (!isDeepStrictEqual(handles(), baseHandles) && Date.now() < deadline) await settle();
    await settle();

    assert.deepEqual(handles(), baseHandles, 'something an instance opened outlived close()');
    const grown = process.memoryUsage().heapUsed - baseHeap;
    // 50 instances each held ~10 KB bodies, pools, loggers and servers: all of it must be collectable.
    assert.ok(grown < 4 * 1024 * 1024, `heap grew by ${(grown / 1024 / 1024).toFixed(1)} MB over 50 instances`);
  } finally {
    await upstream.close();
  }
});
