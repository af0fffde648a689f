// --watch, through the real executable: a config file (and what it includes) or an Imposter config
// directory changes on disk, and standin reloads it: validated first (an error keeps the running
// imposters, logged and shown by GET /), unchanged imposters untouched (journal, cycle
// position), debounced, and saved the way editors save (write a temporary file, rename it over).
import assert from 'node:assert/strict';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sleep, waitFor } from '../support/cliHarness.js';
import { freePort, get } from '../support/http.js';
import { startImposter, type ImposterServer } from '../support/imposterHarness.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

/** Saves as editors do: a new file renamed over the old one (a new inode). */
function saveByRename(file: string, text: string): void {
  writeFileSync(`${file}.tmp~`, text);
  renameSync(`${file}.tmp~`, file);
}

const reloads = (output: string): number => output.split('\n').filter((line) => line.includes('reloaded ')).length;

async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

describe('standin start --configfile FILE --watch', () => {
  let standin: StandinProcess;
  let file = '';
  let cycling = 0;
  let changing = 0;
  let added = 0;

  const config = (changingBody: string, extra: object[] = []) =>
    JSON.stringify({
      imposters: [
        {
          protocol: 'http',
          port: cycling,
          recordRequests: true,
          stubs: [{ responses: [{ is: { body: 'one' } }, { is: { body: 'two' } }, { is: { body: 'three' } }] }],
        },
        { protocol: 'http', port: changing, stubs: [{ responses: [{ is: { body: changingBody } }] }] },
        ...extra,
      ],
    });

  before(async () => {
    [cycling, changing, added] = [await freePort(), await freePort(), await freePort()];
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'standin-watch-'));
    file = join(dir, 'imposters.ejs');
    writeFileSync(file, config('before'));
    standin = await startStandin(['--configfile', file, '--watch']);
  });
  after(async () => {
    await standin?.stop();
    if (file) rmSync(join(file, '..'), { recursive: true, force: true });
  });

  it('swaps a changed imposter and leaves an unchanged one alone: its journal and its cycle position', async () => {
    assert.equal((await get(`http://127.0.0.1:${cycling}/a`)).body, 'one');
    assert.equal((await get(`http://127.0.0.1:${changing}/`)).body, 'before');

    saveByRename(file, config('after', [{ protocol: 'http', port: added, stubs: [{ responses: [{ is: { body: 'added' } }] }] }]));
    await eventually(async () => (await get(`http://127.0.0.1:${changing}/`)).body === 'after', 'the changed imposter');
    assert.equal((await get(`http://127.0.0.1:${added}/`)).body, 'added');

    assert.equal((await get(`http://127.0.0.1:${cycling}/b`)).body, 'two', 'the cycle went on where it was');
    const journal = (await get(`${standin.url}/imposters/${cycling}`)).json();
    assert.deepEqual(
      journal.requests.map((r: { path: string }) => r.path),
      ['/a', '/b'],
    );
    await waitFor(
      () => /info: \[mb:\d+\] reloaded .*imposters\.ejs: 1 unchanged, 1 with new stubs, 1 started, 0 stopped/.test(standin.output()),
      5_000,
      'the reload line',
    );
    const home = (await get(`${standin.url}/`)).json();
    assert.equal(home.watch.watching, file);
    assert.deepEqual({ ...home.watch.lastReload, timestamp: undefined }, { timestamp: undefined, kept: 1, updated: 1, started: 1, stopped: 0 });
  });

  it('keeps every running imposter when the new file is refused, logs why and shows it on GET /', async () => {
    const before = reloads(standin.output());
    saveByRename(file, JSON.stringify({ imposters: [{ protocol: 'http', port: changing, stubs: [{ responses: [{ is: {}, fault: 'X' }] }] }] }));
    await eventually(async () => (await get(`${standin.url}/`)).json().watch.lastReload?.error !== undefined, 'the refused reload');
    const error = (await get(`${standin.url}/`)).json().watch.lastReload.error as string;
    assert.match(error, /each response object must have only one response type/);
    // The log is written in batches: the line may follow the status by a few milliseconds.
    await waitFor(
      () => /error: \[mb:\d+\] cannot reload .*imposters\.ejs, the running imposters are unchanged: /.test(standin.output()),
      5_000,
      'the error line',
    );
    assert.equal(reloads(standin.output()), before);
    assert.equal((await get(`http://127.0.0.1:${changing}/`)).body, 'after');
    assert.equal((await get(`http://127.0.0.1:${added}/`)).body, 'added');

    writeFileSync(file, '{ "imposters": [ not json');
    await eventually(async () => /not valid JSON/.test((await get(`${standin.url}/`)).json().watch.lastReload.error ?? ''), 'the JSON error');
    assert.equal((await get(`http://127.0.0.1:${cycling}/c`)).body, 'three');
  });

  it('debounces a burst of writes into one reload, and follows included files', async () => {
    const before = reloads(standin.output());
    const part = join(file, '..', 'changing.json');
    writeFileSync(part, JSON.stringify({ protocol: 'http', port: changing, stubs: [{ responses: [{ is: { body: 'included' } }] }] }));
    // A burst of 5 writes (each several file events) is one reload.
    for (let i = 0; i < 5; i++) {
      writeFileSync(
        file,
        `{ "imposters": [ ${JSON.stringify({ protocol: 'http', port: cycling, recordRequests: true, stubs: [{ responses: [{ is: { body: 'one' } }, { is: { body: 'two' } }, { is: { body: 'three' } }] }] })}, <% include changing.json %> ] }`,
      );
    }
    await eventually(async () => (await get(`http://127.0.0.1:${changing}/`)).body === 'included', 'the reload');
    await sleep(500);
    // One reload changed the imposters; a late file event may cause another, which finds nothing to change.
    assert.equal(reloads(standin.output()), before + 1, standin.output());
    await assert.rejects(get(`http://127.0.0.1:${added}/`, { timeoutMs: 2_000 }), /ECONNREFUSED/);

    saveByRename(part, JSON.stringify({ protocol: 'http', port: changing, stubs: [{ responses: [{ is: { body: 'included, edited' } }] }] }));
    await eventually(async () => (await get(`http://127.0.0.1:${changing}/`)).body === 'included, edited', 'the included file');
    // The first imposter's text is the same as before the refused reloads: still untouched.
    assert.equal((await get(`${standin.url}/imposters/${cycling}`)).json().requests.length, 3);
  });
});

describe('standin start --watch without --configfile', () => {
  it('is refused with what to do', async () => {
    await assert.rejects(startStandin(['--watch']), /--watch reloads --configfile FILE when it changes: give one \(or run standin imposter DIR --watch\)/);
  });
});

describe('standin imposter DIR --watch', () => {
  let server: ImposterServer;
  before(async () => {
    server = await startImposter({ 'api-config.yaml': 'plugin: rest\nresources:\n  - path: /hello\n    response:\n      content: hello\n' }, {}, ['--watch']);
  });
  after(async () => {
    await server?.stop();
  });

  it('reloads when a config file changes, and keeps serving when the new one is refused', async () => {
    assert.equal((await get(`${server.url}/hello`)).body, 'hello');
    saveByRename(join(server.dir, 'api-config.yaml'), 'plugin: rest\nresources:\n  - path: /hello\n    response:\n      content: hello again\n');
    await eventually(async () => (await get(`${server.url}/hello`)).body === 'hello again', 'the reload');

    writeFileSync(join(server.dir, 'api-config.yaml'), 'plugin: rest\nresources:\n  - path: /hello\n    response:\n      statusCode: not-a-number\n');
    await eventually(async () => (await get(`${server.adminUrl}/`)).json().watch?.lastReload?.error !== undefined, 'the refused reload');
    assert.equal((await get(`${server.url}/hello`)).body, 'hello again');

    // The refused file fixed, and a new one beside it.
    writeFileSync(join(server.dir, 'api-config.yaml'), 'plugin: rest\nresources:\n  - path: /hello\n    response:\n      content: hello again\n');
    writeFileSync(join(server.dir, 'more-config.yaml'), 'plugin: rest\nresources:\n  - path: /more\n    response:\n      content: more\n');
    await eventually(async () => (await get(`${server.url}/more`)).body === 'more', 'a new config file');
    assert.equal((await get(`${server.url}/hello`)).body, 'hello again');
    assert.equal((await get(`${server.adminUrl}/`)).json().watch.lastReload.error, undefined);
  });
});
