import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigFileError, loadConfigFile } from '../../src/cli/configFile.js';
import { readPidfile, removePidfileIfOwned, writePidfile } from '../../src/cli/pidfile.js';
import { processState } from '../../src/process/processState.js';
import { runCli, tempDir } from '../support/cliHarness.js';
import { freePort } from '../support/http.js';

const tmp = tempDir();
after(() => tmp.cleanup());

function file(name: string, text: string): string {
  const path = join(tmp.dir, name);
  writeFileSync(path, text);
  return path;
}

const imposter = { protocol: 'http', port: 4545, stubs: [{ responses: [{ is: { body: 'hi' } }] }] };

describe('loadConfigFile', () => {
  it('reads {"imposters":[...]}', async () => {
    const path = file('list.json', JSON.stringify({ imposters: [imposter, { ...imposter, port: 4546 }] }));
    assert.deepEqual(await loadConfigFile(path, { noParse: false }), [imposter, { ...imposter, port: 4546 }]);
  });

  it('reads a single imposter object', async () => {
    const path = file('single.json', JSON.stringify(imposter));
    assert.deepEqual(await loadConfigFile(path, { noParse: false }), [imposter]);
  });

  it('reads an empty imposters list', async () => {
    const path = file('empty.json', '{"imposters": []}');
    assert.deepEqual(await loadConfigFile(path, { noParse: true }), []);
  });

  it('ignores a byte order mark', async () => {
    const path = file('bom.json', '\ufeff' + JSON.stringify(imposter));
    assert.deepEqual(await loadConfigFile(path, { noParse: false }), [imposter]);
  });

  async function refused(path: string, options: { noParse: boolean }, pattern: RegExp): Promise<void> {
    await assert.rejects(loadConfigFile(path, options), (err: unknown) => {
      assert.ok(err instanceof ConfigFileError, String(err));
      assert.match(err.message, pattern);
      return true;
    });
  }

  it('refuses a missing file', async () => {
    await refused(join(tmp.dir, 'nope.json'), { noParse: false }, /cannot read config file .*nope\.json: no such file/);
  });

  it('refuses invalid JSON, naming the file', async () => {
    await refused(file('bad.json', '{"imposters": ['), { noParse: false }, /config file .*bad\.json is not valid JSON/);
  });

  it('refuses JSON that is not an object', async () => {
    await refused(file('array.json', '[]'), { noParse: false }, /must hold a JSON object/);
    await refused(file('string.json', '"x"'), { noParse: false }, /must hold a JSON object/);
  });

  it("refuses 'imposters' that is not an array", async () => {
    await refused(file('notarray.json', '{"imposters": {"port": 1}}'), { noParse: false }, /'imposters' must be an array/);
  });

  it('renders EJS tags, and --noParse loads them as plain text', async () => {
    const text = JSON.stringify({ ...imposter, stubs: [{ responses: [{ is: { body: '<%= 6 * 7 %>' } }] }] });
    const path = file('ejs.json', text);
    const rendered = (await loadConfigFile(path, { noParse: false }))[0] as typeof imposter;
    assert.equal(rendered.stubs[0]!.responses[0]!.is.body, '42');
    assert.deepEqual(await loadConfigFile(path, { noParse: true }), [JSON.parse(text)]);
  });

  it('refuses a template that fails, naming the file and the line', async () => {
    const path = file('failing.ejs', '{\n"imposters": [<%- include("missing.json") %>]}');
    await refused(path, { noParse: false }, /cannot render config file .*failing\.ejs as EJS: .*failing\.ejs:2[\s\S]*include\('missing\.json'\): no such file/);
  });

  it('explains a response template met while rendering the file', async () => {
    const path = file('response-template.json', JSON.stringify({ ...imposter, stubs: [{ responses: [{ is: { body: '<%- request.path %>' } }] }] }));
    await refused(path, { noParse: false }, /request is not defined[\s\S]*written <%%- request\.path %> in it .* or load the file with --noParse/);
  });

  it('renders through the renderer it is given (the EJS seam)', async () => {
    const path = file('rendered.json', 'TEMPLATE');
    const loaded = await loadConfigFile(path, {
      noParse: false,
      render: (text, filename) => {
        assert.equal(text, 'TEMPLATE');
        assert.equal(filename, path);
        return JSON.stringify(imposter);
      },
    });
    assert.deepEqual(loaded, [imposter]);
  });
});

describe('pidfile', () => {
  it('writes, reads and removes only its own pid', () => {
    const path = join(tmp.dir, 'own.pid');
    assert.deepEqual(readPidfile(path), { state: 'missing' });
    writePidfile(path, 12345);
    assert.deepEqual(readPidfile(path), { state: 'pid', pid: 12345 });
    removePidfileIfOwned(path, 999);
    assert.deepEqual(readPidfile(path), { state: 'pid', pid: 12345 });
    removePidfileIfOwned(path, 12345);
    assert.deepEqual(readPidfile(path), { state: 'missing' });
  });

  it('treats garbage and non-positive pids as invalid', () => {
    for (const text of ['', 'abc', '0', '-1', '12 34']) {
      const path = file('bad.pid', text);
      assert.equal(readPidfile(path).state, 'invalid', JSON.stringify(text));
    }
    assert.deepEqual(readPidfile(file('spaces.pid', ' 42\n')), { state: 'pid', pid: 42 });
  });

  it('tells a live process from a gone one', () => {
    assert.equal(processState(process.pid), 'alive');
  });
});

describe('--configfile and internal response kinds', () => {
  it('refuses _imposter (it would read any file): start exits 1 naming the error', async () => {
    const tmp = tempDir();
    try {
      const port = await freePort();
      const file = join(tmp.dir, 'imposters.json');
      writeFileSync(
        file,
        JSON.stringify({ imposters: [{ protocol: 'http', port, stubs: [{ responses: [{ _imposter: { response: { file: '/etc/passwd' } } }] }] }] }),
      );
      const result = await runCli(
        ['start', '--port', String(await freePort()), '--host', '127.0.0.1', '--nologfile', '--pidfile', join(tmp.dir, 'pid'), '--configfile', file],
        tmp.dir,
      );
      assert.equal(result.code, 1, result.stdout + result.stderr);
      assert.match(result.stderr, /cannot load imposters from .*imposters\.json:\s+- imposter 1 \(http:\d+\), stub 1: unrecognized response type/);
    } finally {
      tmp.cleanup();
    }
  });
});
