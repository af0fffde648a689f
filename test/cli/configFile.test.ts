import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigFileError, loadConfigFile } from '../../src/cli/configFile.js';
import { processState, readPidfile, removePidfileIfOwned, writePidfile } from '../../src/cli/pidfile.js';
import { tempDir } from '../support/cliHarness.js';

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

  it('refuses EJS tags until templating exists, and --noParse loads them as plain text', async () => {
    const text = JSON.stringify({ ...imposter, stubs: [{ responses: [{ is: { body: '<%= x %>' } }] }] });
    const path = file('ejs.json', text);
    await refused(path, { noParse: false }, /EJS templating is not implemented yet; use --noParse/);
    assert.deepEqual(await loadConfigFile(path, { noParse: true }), [JSON.parse(text)]);
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
