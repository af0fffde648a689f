// Script files of imposters read from --configfile are found next to the config file (Rift's rule),
// whatever standin's working directory, with or without --allowInjection, and may not leave that
// folder; stubs the admin API adds later keep the admin API's rules. Over the CLI.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/cliHarness.js';
import { freePort, get, post } from '../support/http.js';
import { redisMissing, startRedis } from '../support/redisServer.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';
import { untilEveryWorkerServed, workersOf } from '../support/workers.js';

let root: string;
let configDir: string;
let elsewhere: string;
const running: StandinProcess[] = [];

before(() => {
  root = mkdtempSync(join(tmpdir(), 'standin-configdir-'));
  configDir = join(root, 'mocks');
  elsewhere = join(root, 'elsewhere');
  mkdirSync(join(configDir, 'scripts'), { recursive: true });
  mkdirSync(elsewhere);
  writeFileSync(
    join(configDir, 'scripts', 'fail-twice.rhai'),
    'let n = ctx.state.incr("attempts");\nif n <= 2 { http(503, `try ${n}`) } else { http(200, `ok ${n}`) }\n',
  );
  writeFileSync(join(configDir, 'scripts', 'hello.lua'), 'return http(200, "hello from " .. ctx.request.path)\n');
  writeFileSync(join(root, 'secret.rhai'), 'http(200, "the secret")');
  symlinkSync(join(root, 'secret.rhai'), join(configDir, 'scripts', 'link.rhai'));
});
after(async () => {
  for (const standin of running) await standin.stop();
  rmSync(root, { recursive: true, force: true });
});

async function start(config: unknown, extra: string[] = []): Promise<{ standin: StandinProcess; file: string }> {
  const file = join(configDir, `imposters-${running.length}.json`);
  writeFileSync(file, JSON.stringify(config));
  // Started from another folder: a relative path must not depend on the working directory.
  const standin = await startStandin(['--configfile', file, ...extra], { cwd: elsewhere });
  running.push(standin);
  return { standin, file };
}

const imposter = (port: number, script: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  port,
  protocol: 'http',
  ...extra,
  stubs: [{ responses: [{ _rift: { script } }] }],
});

describe('script files of a --configfile', () => {
  it("reads a file and a _rift.scripts entry's file next to the config file, without --allowInjection", async () => {
    const [a, b] = [await freePort(), await freePort()];
    await start({
      imposters: [
        imposter(a, { ref: 'failTwice' }, { _rift: { scripts: { failTwice: { file: 'scripts/fail-twice.rhai' } } } }),
        imposter(b, { file: 'scripts/hello.lua' }),
      ],
    });
    const tries = [];
    for (let i = 0; i < 3; i++) tries.push((await get(`http://127.0.0.1:${a}/`)).body);
    assert.deepEqual(tries, ['try 1', 'try 2', 'ok 3']);
    assert.equal((await get(`http://127.0.0.1:${b}/orders`)).body, 'hello from /orders');
  });

  it('refuses to start with a file outside the folder: ../, an absolute path, a symbolic link leading out', async () => {
    for (const [file, shown] of [
      ['../secret.rhai', /'_rift.script.file' must stay inside the config file's folder \([^)]*mocks\), got "..\/secret.rhai"; keep the script in that folder/],
      [join(root, 'secret.rhai'), /must stay inside the config file's folder/],
      ['scripts/link.rhai', /got "scripts\/link.rhai" \(it leads to [^)]*secret.rhai\)/],
    ] as const) {
      const configfile = join(configDir, 'escape.json');
      writeFileSync(configfile, JSON.stringify(imposter(await freePort(), { file })));
      const finished = await runCli(
        ['start', '--port', String(await freePort()), '--configfile', configfile, '--nologfile', '--pidfile', join(root, 'x.pid')],
        elsewhere,
      );
      assert.notEqual(finished.code, 0, `${file} must not start`);
      assert.match(finished.stdout + finished.stderr, shown);
      assert.doesNotMatch(finished.stdout + finished.stderr, /the secret/);
    }
  });

  it('answers 400 to POST /admin/reload when the file now leaves the folder, and keeps serving the old script', async () => {
    const port = await freePort();
    const { standin, file } = await start(imposter(port, { file: 'scripts/hello.lua' }));
    assert.equal((await get(`http://127.0.0.1:${port}/a`)).body, 'hello from /a');
    writeFileSync(file, JSON.stringify(imposter(port, { file: 'scripts/link.rhai' })));
    const reload = await post(`${standin.url}/admin/reload`, '');
    assert.equal(reload.status, 400, reload.body);
    assert.equal(reload.json().errors[0].code, 'bad data');
    assert.match(reload.json().errors[0].message, /must stay inside the config file's folder .*\(it leads to [^)]*secret.rhai\)/);
    assert.equal((await get(`http://127.0.0.1:${port}/b`)).body, 'hello from /b');

    writeFileSync(file, JSON.stringify(imposter(port, { file: 'scripts/fail-twice.rhai' })));
    assert.equal((await post(`${standin.url}/admin/reload`, '')).status, 200);
    assert.equal((await get(`http://127.0.0.1:${port}/`)).body, 'try 1');
  });

  it("keeps the admin API's rules for stubs added later: no file read from the config file's folder", async () => {
    const port = await freePort();
    const { standin } = await start(imposter(port, { file: 'scripts/hello.lua' }));
    const added = await post(`${standin.url}/imposters/${port}/stubs`, {
      index: 0,
      stub: { predicates: [{ equals: { path: '/x' } }], responses: [{ _rift: { script: { file: 'scripts/hello.lua' } } }] },
    });
    assert.equal(added.status, 400, added.body);
    assert.equal(added.json().errors[0].code, 'invalid injection');
    const created = await post(`${standin.url}/imposters`, imposter(await freePort(), { file: 'scripts/hello.lua' }));
    assert.equal(created.status, 400);
    assert.equal(created.json().errors[0].code, 'invalid injection');
    assert.equal((await get(`http://127.0.0.1:${port}/x`)).body, 'hello from /x', 'the config file stub still answers');
  });
});

describe('script files of a --configfile under --workers', { skip: redisMissing }, () => {
  it('has every worker read them next to the config file, also after the admin API changed the stubs', async () => {
    const redis = await startRedis();
    try {
      const port = await freePort();
      const flowState = { backend: 'redis', redis: { url: redis.url } };
      const { standin } = await start(imposter(port, { file: 'scripts/fail-twice.rhai' }, { _rift: { flowState } }), ['--workers', '2']);
      const url = `http://127.0.0.1:${port}/`;
      const seen = [];
      for (let i = 0; i < 4; i++) seen.push((await get(url)).body);
      assert.deepEqual(seen, ['try 1', 'try 2', 'ok 3', 'ok 4']);
      // Any stub change sends every stub to the workers again: the config file's one still reads its file.
      const added = await post(`${standin.url}/imposters/${port}/stubs`, {
        index: 0,
        stub: { predicates: [{ equals: { path: '/added' } }], responses: [{ is: { body: 'added' } }] },
      });
      assert.equal(added.status, 200, added.body);
      const after = [];
      for (let i = 0; i < 4; i++) after.push((await get(url)).body);
      assert.deepEqual(after, ['ok 5', 'ok 6', 'ok 7', 'ok 8']);
      assert.equal((await get(`${url}added`)).body, 'added');
      let count = 8;
      await untilEveryWorkerServed(standin.url, async () => assert.equal((await get(url)).body, `ok ${++count}`));
      assert.equal((await workersOf(standin.url)).length, 2);
    } finally {
      await redis.stop();
    }
  });
});

describe('--scriptsDir', () => {
  it('refuses a symbolic link inside it that leads out', async () => {
    const standin = await startStandin(['--scriptsDir', join(configDir, 'scripts')], { cwd: elsewhere });
    running.push(standin);
    const res = await post(`${standin.url}/imposters`, imposter(await freePort(), { file: 'link.rhai' }));
    assert.equal(res.status, 400, res.body);
    assert.match(
      res.json().errors[0].message,
      /'_rift.script.file' must stay inside --scriptsDir \([^)]*scripts\), got "link.rhai" \(it leads to [^)]*secret.rhai\)/,
    );
    const ok = await post(`${standin.url}/imposters`, imposter(await freePort(), { file: 'hello.lua' }));
    assert.equal(ok.status, 201, ok.body);
  });
});
