// How `standin imposter` finds its config and port (arguments or IMPOSTER_* variables), what it
// refuses before listening, and the compiled stubs as ordinary admin API data.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { spawnCli, tempDir, waitFor, waitForPidfile } from '../support/cliHarness.js';
import { freePort, get, post } from '../support/http.js';
import { refusedImposter, startImposter } from '../support/imposterHarness.js';

const hello = 'plugin: rest\nresources:\n  - path: /hello\n    method: GET\n    response:\n      content: hi\n';

describe('standin imposter startup', () => {
  it('reads IMPOSTER_CONFIG_DIR (comma-separated) and IMPOSTER_PORT when no DIR or --port is given', async () => {
    const a = tempDir();
    const b = tempDir();
    writeFileSync(join(a.dir, 'a-config.yaml'), hello);
    writeFileSync(join(b.dir, 'b-config.yml'), 'plugin: rest\nresources:\n  - path: /bye\n    response:\n      content: bye\n');
    const port = await freePort();
    const adminPort = await freePort();
    const pidfile = join(a.dir, 'pid');
    const running = spawnCli(['imposter', '--adminPort', String(adminPort), '--host', '127.0.0.1', '--pidfile', pidfile, '--nologfile'], a.dir, {
      IMPOSTER_CONFIG_DIR: `${a.dir},${b.dir}`,
      IMPOSTER_PORT: String(port),
    });
    try {
      assert.ok(await waitForPidfile(running, pidfile, 30_000), running.stderr());
      assert.equal((await get(`http://127.0.0.1:${port}/hello`)).body, 'hi');
      assert.equal((await get(`http://127.0.0.1:${port}/bye`)).body, 'bye');
      assert.equal((await get(`http://127.0.0.1:${adminPort}/imposters/${port}`)).status, 200);
    } finally {
      await running.stop();
      a.cleanup();
      b.cleanup();
    }
  });

  it('reads subdirectories only with IMPOSTER_CONFIG_SCAN_RECURSIVE=true, files relative to their own folder', async () => {
    const files = {
      'top-config.yaml': hello,
      'users/users-config.yaml': 'plugin: rest\nresources:\n  - path: /users\n    method: GET\n    response:\n      file: users.json\n',
      'users/users.json': '[{"id":1}]',
      'node_modules/x/skip-config.yaml': 'plugin: openapi\n',
    };
    const flat = await startImposter(files);
    try {
      assert.equal((await get(`${flat.url}/users`)).status, 404);
    } finally {
      await flat.stop();
    }
    const deep = await startImposter(files, { IMPOSTER_CONFIG_SCAN_RECURSIVE: 'true' });
    try {
      assert.equal((await get(`${deep.url}/hello`)).body, 'hi');
      assert.equal((await get(`${deep.url}/users`)).body, '[{"id":1}]');
    } finally {
      await deep.stop();
    }
  });

  it('refuses to start without a config directory', async () => {
    const tmp = tempDir();
    try {
      const running = spawnCli(['imposter', '--adminPort', String(await freePort()), '--pidfile', join(tmp.dir, 'pid'), '--nologfile'], tmp.dir, {
        IMPOSTER_CONFIG_DIR: '',
      });
      const result = await running.exited;
      assert.equal(result.code, 1);
      assert.match(result.stderr, /no config directory: run standin imposter DIR, or set IMPOSTER_CONFIG_DIR/);
    } finally {
      tmp.cleanup();
    }
  });

  it('refuses a directory without *-config files', async () => {
    const result = await refusedImposter({ 'imposter.yaml': hello, 'notes-config.txt': 'x' });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no Imposter config files \(\*-config\.yaml, \*-config\.yml, \*-config\.json\) in /);
  });

  it('refuses YAML that does not parse, naming the file', async () => {
    const result = await refusedImposter({ 'broken-config.yaml': 'plugin: rest\nresources: [\n' });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /broken-config\.yaml: not valid YAML or JSON/);
  });

  it('refuses Imposter features standin does not serve, by name', async () => {
    const result = await refusedImposter({
      'steps-config.yaml': 'plugin: rest\nresources:\n  - path: /s\n    method: GET\n    steps:\n      - type: script\n        code: respond()\n',
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /steps-config\.yaml: resource \(method GET, path "\/s"\): steps \(scripts and remote calls\) are not supported by standin/);
  });

  it('loads a resource with passthrough and steps, forwards, and warns that the steps are ignored (as imposter-go)', async () => {
    const upstream = http.createServer((req, res) => res.end(`upstream saw ${req.url}`));
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const server = await startImposter({
      'steps-config.yaml': `plugin: rest\nupstreams:\n  u:\n    url: ${url}\nresources:\n  - path: /s\n    method: GET\n    passthrough: u\n    steps:\n      - type: script\n        code: respond()\n`,
    });
    try {
      await waitFor(() => server.output().includes('[WARN]'), 10_000, 'the warning');
      assert.match(
        server.output(),
        /\[WARN\] .*steps-config\.yaml: resource \(method GET, path "\/s"\) declares passthrough and also steps; passthrough takes precedence, and steps will be ignored/,
      );
      assert.equal((await get(`${server.url}/s`)).body, 'upstream saw /s');
    } finally {
      await server.stop();
      upstream.close();
    }
  });

  it('warns that passthrough takes precedence over a response on the same resource', async () => {
    const server = await startImposter({
      'both-config.yaml':
        'plugin: rest\nupstreams:\n  u:\n    url: http://127.0.0.1:1\nresources:\n  - path: /both\n    method: GET\n    passthrough: u\n    response:\n      content: never\n',
    });
    try {
      await waitFor(() => server.output().includes('[WARN]'), 10_000, 'the warning');
      assert.match(
        server.output(),
        /\[WARN\] .*both-config\.yaml: resource \(method GET, path "\/both"\) declares passthrough and also response; passthrough takes precedence, and response will be ignored/,
      );
      assert.equal((await get(`${server.url}/both`)).status, 502, 'forwarded (to a closed port), not mocked');
    } finally {
      await server.stop();
    }
  });
});

describe('_imposter responses on the admin API', () => {
  it('are refused (they read files), even on the server that serves an Imposter config', async () => {
    const server = await startImposter({ 'x-config.yaml': hello });
    try {
      const port = await freePort();
      const response = { _imposter: { path: '/pets/{id}', response: { template: true, content: 'pet ${context.request.pathParams.id}' } } };
      const created = await post(`${server.adminUrl}/imposters`, { protocol: 'http', port, stubs: [{ responses: [response] }] });
      assert.equal(created.status, 400, created.body);
      assert.deepEqual(created.json().errors, [
        { code: 'bad data', message: 'unrecognized response type: a response has one of is, proxy, inject, fault', source: response },
      ]);
      // Nor can the config's own imposter be given one through the stub routes.
      const added = await post(`${server.adminUrl}/imposters/${server.port}/stubs`, { stub: { responses: [response] } });
      assert.equal(added.status, 400, added.body);
      assert.equal((await get(`${server.url}/hello`)).body, 'hi');
    } finally {
      await server.stop();
    }
  });
});

describe('an Imposter config saved as mountebank JSON', () => {
  it('is refused by standin start --configfile, which would otherwise read any file it names', async () => {
    const { startUpstream } = await import('../support/imposterHarness.js');
    const { runCli } = await import('../support/cliHarness.js');
    const upstream = await startUpstream();
    const server = await startImposter({
      'saved-config.yaml': `plugin: rest
upstreams:
  u:
    url: ${upstream.url}/base
resources:
  - path: /pets/{id}
    method: GET
    response:
      template: true
      content: "pet \${context.request.pathParams.id}"
  - path: /remote/*
    method: GET
    passthrough: u
`,
    });
    const saves = tempDir();
    const savefile = join(saves.dir, 'saved.json');
    let replayed: Awaited<ReturnType<typeof spawnCli>> | undefined;
    try {
      const saved = await runCli(['save', '--host', '127.0.0.1', '--port', new URL(server.adminUrl).port, '--savefile', savefile], server.dir);
      assert.equal(saved.code, 0, saved.stderr);
      await server.stop();
      const pidfile = join(saves.dir, 'pid');
      replayed = spawnCli(
        ['start', '--port', String(await freePort()), '--host', '127.0.0.1', '--configfile', savefile, '--pidfile', pidfile, '--nologfile'],
        saves.dir,
      );
      const finished = await replayed.exited;
      assert.equal(finished.code, 1);
      assert.match(finished.stderr, /cannot load imposters from .*saved\.json:\s+- imposter 1 \(http:\d+ [^)]*\), stub 1: unrecognized response type/);
    } finally {
      await replayed?.stop();
      await server.stop();
      await upstream.close();
      saves.cleanup();
    }
  });
});
