// `standin start` must not load the heavy packages most runs never use (they cost over a second
// of startup together): each loads on its imposter's first use. The real executable runs with a
// preload that lists every npm package the process has loaded (test/support/packageLoads.ts).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { spawnCli, tempDir, waitFor, waitForPidfile, type Running } from '../support/cliHarness.js';
import { freePort, get, post } from '../support/http.js';

// xpath, @xmldom/xmldom and jsonpath-plus are still imported by src/matching at startup.
const HEAVY = ['ejs', 'fengari', 'ioredis', 'mailparser', 'selfsigned', 'smtp-server', 'undici', 'yaml'];
const preload = new URL('../support/packageLoads.js', import.meta.url).href;

const tmp = tempDir();
let proc: Running | undefined;
after(async () => {
  await proc?.stop();
  tmp.cleanup();
});

it('start loads none of the heavy packages; the first imposter that needs one loads it', async () => {
  const port = await freePort();
  const pidfile = join(tmp.dir, 'standin.pid');
  const loads = join(tmp.dir, 'loads.json');
  proc = spawnCli(['start', '--host', '127.0.0.1', '--port', String(port), '--pidfile', pidfile, '--nologfile'], tmp.dir, {
    NODE_OPTIONS: `--import=${preload}`,
    STANDIN_PACKAGE_LOADS: loads,
  });
  assert.ok(await waitForPidfile(proc, pidfile), proc.stderr());
  const admin = `http://127.0.0.1:${port}`;
  assert.equal((await get(`${admin}/`)).status, 200);

  const loadedPackages = async (): Promise<string[]> => {
    rmSync(loads, { force: true });
    process.kill(proc!.pid, 'SIGUSR2');
    await waitFor(() => existsSync(loads), 10_000, 'the list of loaded packages');
    return JSON.parse(readFileSync(loads, 'utf8')) as string[];
  };

  const atStart = await loadedPackages();
  assert.deepEqual(
    HEAVY.filter((name) => atStart.includes(name)),
    [],
    `loaded at startup: ${atStart.join(', ')}`,
  );

  // The list is real: an https imposter (certificate by selfsigned, via import()) and a Lua script
  // (fengari, via require) put their packages in it.
  const https = await post(`${admin}/imposters`, { protocol: 'https', port: await freePort() });
  assert.equal(https.status, 201, https.body);
  const code = 'function should_inject(request, flow_store)\n  return { inject = false }\nend';
  const lua = await post(`${admin}/imposters`, {
    protocol: 'http',
    port: await freePort(),
    stubs: [{ responses: [{ _rift: { script: { engine: 'lua', code } }, is: { body: 'ok' } }] }],
  });
  assert.equal(lua.status, 201, lua.body);
  const afterUse = await loadedPackages();
  assert.ok(afterUse.includes('selfsigned') && afterUse.includes('fengari'), `loaded: ${afterUse.join(', ')}`);
});
