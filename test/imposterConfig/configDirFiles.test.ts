// Files an Imposter config names are read from inside its directory only, judged by their real
// path: a symbolic link or a preloadFile leading outside stops startup with a message naming it.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { spawnCli, tempDir, waitForPidfile } from '../support/cliHarness.js';
import { freePort, get } from '../support/http.js';

const tmp = tempDir();
after(() => tmp.cleanup());
let count = 0;

/** A config directory beside a secret file outside it; `setup` adds links and files. */
function layout(config: string, setup: (dir: string, outside: string) => void): string {
  const root = join(tmp.dir, `case-${++count}`);
  const dir = join(root, 'config');
  const outside = join(root, 'outside');
  mkdirSync(dir, { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'secret.json'), '{"password":"hunter2"}');
  writeFileSync(join(dir, 'api-config.yaml'), config);
  setup(dir, outside);
  return dir;
}

async function serve(dir: string) {
  const port = await freePort();
  const pidfile = join(dir, '..', 'standin.pid');
  const running = spawnCli(
    ['imposter', dir, '--port', String(port), '--adminPort', String(await freePort()), '--host', '127.0.0.1', '--pidfile', pidfile, '--nologfile'],
    tmp.dir,
  );
  const ready = await waitForPidfile(running, pidfile, 30_000);
  return { running, ready, url: `http://127.0.0.1:${port}` };
}

const fileConfig = 'plugin: rest\nresources:\n  - path: /data\n    response:\n      file: data.json\n';
const preloadConfig = (file: string) =>
  `plugin: rest\nsystem:\n  stores:\n    users:\n      preloadFile: ${file}\nresources:\n  - path: /ok\n    response:\n      content: ok\n`;

describe('files named by an Imposter config', () => {
  it('a response file that is a symbolic link to a file outside the config directory stops startup', async () => {
    const dir = layout(fileConfig, (d, outside) => symlinkSync(join(outside, 'secret.json'), join(d, 'data.json')));
    const { running, ready } = await serve(dir);
    const finished = await running.exited;
    assert.equal(ready, false);
    assert.equal(finished.code, 1);
    assert.match(
      finished.stderr,
      /response file "data\.json" is outside the config directory .*config \(it leads to .*outside\/secret\.json\); keep the file inside that directory/,
    );
    assert.doesNotMatch(finished.stdout + finished.stderr, /hunter2/);
  });

  it('a symbolic link whose target is inside the directory is served (as Kubernetes mounts ConfigMaps)', async () => {
    const dir = layout(fileConfig, (d) => {
      mkdirSync(join(d, '..data'));
      writeFileSync(join(d, '..data', 'data.json'), '{"id":1}');
      symlinkSync(join('..data', 'data.json'), join(d, 'data.json'));
    });
    const { running, ready, url } = await serve(dir);
    try {
      assert.ok(ready, running.stderr());
      assert.equal((await get(`${url}/data`)).body, '{"id":1}');
    } finally {
      await running.stop();
    }
  });

  it('a preloadFile outside the config directory (../) stops startup', async () => {
    const dir = layout(preloadConfig('../outside/secret.json'), () => undefined);
    const { running, ready } = await serve(dir);
    const finished = await running.exited;
    assert.equal(ready, false);
    assert.equal(finished.code, 1);
    assert.match(finished.stderr, /system\.stores\.users: preloadFile "\.\.\/outside\/secret\.json" is outside the config directory/);
  });

  it('a preloadFile that is a symbolic link leading outside stops startup; one inside loads', async () => {
    const linked = layout(preloadConfig('users.json'), (d, outside) => symlinkSync(join(outside, 'secret.json'), join(d, 'users.json')));
    const refused = await serve(linked);
    const finished = await refused.running.exited;
    assert.equal(finished.code, 1);
    assert.match(finished.stderr, /preloadFile "users\.json" is outside the config directory .*\(it leads to .*secret\.json\)/);

    const inside = layout(preloadConfig('users.json'), (d) => writeFileSync(join(d, 'users.json'), '{"alice":{"id":1}}'));
    const { running, ready, url } = await serve(inside);
    try {
      assert.ok(ready, running.stderr());
      assert.equal((await get(`${url}/ok`)).body, 'ok');
    } finally {
      await running.stop();
    }
  });
});
