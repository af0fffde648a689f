// --scriptsDir: a relative script file is read there and may not leave it; a ref naming no
// _rift.scripts entry is a file there.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort, get, post } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';
import { createImposter } from './riftSupport.js';

let mb: StandinProcess;
let dir: string;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'standin-scripts-'));
  writeFileSync(join(dir, 'fail-twice.rhai'), 'let n = ctx.state.incr("attempts");\nif n <= 2 { http(503, `try ${n}`) } else { http(200, `ok ${n}`) }\n');
  writeFileSync(join(dir, 'hello.rhai'), 'http(200, "hello from the scripts directory")');
  mb = await startStandin(['--scripts-dir', dir]);
});
after(async () => {
  await mb?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('--scriptsDir', () => {
  it('reads a relative file there, by a _rift.scripts entry (engine from the extension)', async () => {
    const url = await createImposter(mb.url, {
      protocol: 'http',
      _rift: { scripts: { failTwice: { file: 'fail-twice.rhai' } } },
      stubs: [{ responses: [{ _rift: { script: { ref: 'failTwice' } } }] }],
    });
    assert.equal((await get(url)).body, 'try 1');
    assert.equal((await get(url)).body, 'try 2');
    assert.equal((await get(url)).body, 'ok 3');
  });

  it('finds a ref that names no _rift.scripts entry as NAME.rhai there', async () => {
    const url = await createImposter(mb.url, { protocol: 'http', stubs: [{ responses: [{ _rift: { script: { ref: 'hello' } } }] }] });
    assert.equal((await get(url)).body, 'hello from the scripts directory');
  });

  it('refuses a file that leaves the directory, and a ref found nowhere', async () => {
    const refuse = async (script: Record<string, unknown>) => {
      const res = await post(`${mb.url}/imposters`, { protocol: 'http', port: await freePort(), stubs: [{ responses: [{ _rift: { script } }] }] });
      assert.equal(res.status, 400, res.body);
      return res.json().errors[0].message as string;
    };
    assert.match(await refuse({ file: '../outside.rhai' }), /must stay inside --scriptsDir/);
    assert.match(await refuse({ file: '/etc/hostname', engine: 'rhai' }), /must stay inside --scriptsDir/);
    assert.match(
      await refuse({ ref: 'nowhere' }),
      /names no script: "nowhere" \(the imposter has no _rift.scripts and no "nowhere".rhai, .js or .lua in --scriptsDir\)/,
    );
  });
});
