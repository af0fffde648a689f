// --apikey, --origin/-o, --rcfile and --formatter through the real executable.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { runCli, spawnCli, tempDir, waitForPidfile, type Running } from '../support/cliHarness.js';
import { freePort, get, post, request } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

const tmp = tempDir();
after(() => tmp.cleanup());
let files = 0;
const file = (name: string): string => join(tmp.dir, `${++files}-${name}`);

const running: Array<StandinProcess | Running> = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
});

async function start(extra: string[]): Promise<StandinProcess> {
  const server = await startStandin(extra);
  running.push(server);
  return server;
}

const UNAUTHORIZED = {
  errors: [
    {
      code: 'unauthorized',
      message: 'If you set the apiKey option, make sure you are sending the correct apiKey in the x-api-key header.',
    },
  ],
};

describe('--apikey', () => {
  it('the admin API answers 401 without the key or with a wrong one, 200 with it; imposters need none', async () => {
    const server = await start(['--apikey', 's3cret']);
    const missing = await get(`${server.url}/imposters`);
    assert.equal(missing.status, 401);
    assert.deepEqual(missing.json(), UNAUTHORIZED);
    const wrong = await get(`${server.url}/imposters`, { headers: { 'x-api-key': 's3cre' } });
    assert.equal(wrong.status, 401);
    assert.equal((await get(`${server.url}/config`, { headers: { 'x-api-key': 's3cret' } })).status, 200);
    assert.equal((await get(`${server.url}/metrics`)).status, 401, 'the metrics need the key too, as in mb');

    const port = await freePort();
    const refused = await post(`${server.url}/imposters`, { protocol: 'http', port });
    assert.equal(refused.status, 401);
    await assert.rejects(get(`http://127.0.0.1:${port}/`), /ECONNREFUSED/, 'nothing was created');
    const created = await post(
      `${server.url}/imposters`,
      { protocol: 'http', port, stubs: [{ responses: [{ is: { body: 'hi' } }] }] },
      {
        headers: { 'x-api-key': 's3cret' },
      },
    );
    assert.equal(created.status, 201, created.body);
    assert.equal((await get(`http://127.0.0.1:${port}/`)).body, 'hi');
  });

  it('standin save sends the key given with --apikey', async () => {
    const server = await start(['--apikey', 'k']);
    const savefile = file('saved.json');
    const common = ['save', '--port', String(server.port), '--host', '127.0.0.1', '--savefile', savefile];
    const without = await runCli(common, tmp.dir);
    assert.equal(without.code, 1);
    assert.match(without.stderr, /answered 401/);
    const withKey = await runCli([...common, '--apikey', 'k'], tmp.dir);
    assert.equal(withKey.code, 0, withKey.stderr);
    assert.deepEqual(JSON.parse(readFileSync(savefile, 'utf8')), { imposters: [] });
  });
});

describe('--origin', () => {
  it('-o adds CORS headers for that origin, and a preflight needs no API key', async () => {
    const server = await start(['-o', 'http://app.test:3000', '--apikey', 'k']);
    const answer = await get(`${server.url}/imposters`, { headers: { Origin: 'http://app.test:3000', 'x-api-key': 'k' } });
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['access-control-allow-origin'], 'http://app.test:3000');
    assert.match(String(answer.headers.vary), /Origin/);

    const preflight = await request('OPTIONS', `${server.url}/imposters`, {
      headers: { Origin: 'http://app.test:3000', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,x-api-key' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], 'http://app.test:3000');
    assert.equal(preflight.headers['access-control-allow-methods'], 'GET,HEAD,PUT,PATCH,POST,DELETE');
    assert.equal(preflight.headers['access-control-allow-headers'], 'content-type,x-api-key');

    const refused = await get(`${server.url}/imposters`, { headers: { Origin: 'http://app.test:3000' } });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers['access-control-allow-origin'], 'http://app.test:3000', 'the browser can read the 401');
  });

  it('without --origin there are no CORS headers', async () => {
    const server = await start([]);
    const answer = await get(`${server.url}/imposters`, { headers: { Origin: 'http://app.test:3000' } });
    assert.equal(answer.headers['access-control-allow-origin'], undefined);
  });
});

describe('--rcfile', () => {
  it('reads options from a JSON file; options on the command line win', async () => {
    const [rcPort, cliPort] = [await freePort(), await freePort()];
    const pidfile = file('rc.pid');
    const rcfile = file('rc.json');
    writeFileSync(rcfile, JSON.stringify({ port: rcPort, host: '127.0.0.1', allowInjection: true, pidfile, nologfile: true, debug: false, stallLimit: 20 }));
    const proc = spawnCli(['start', '--rcfile', rcfile, '--port', String(cliPort), '--debug'], tmp.dir);
    running.push(proc);
    assert.ok(await waitForPidfile(proc, pidfile), proc.stderr());
    const config = (await get(`http://127.0.0.1:${cliPort}/config`)).json();
    assert.equal(config.options.port, cliPort);
    assert.equal(config.options.allowInjection, true);
    assert.equal(config.options.debug, true);
    assert.equal(config.options.stallLimit, 20);
    await assert.rejects(get(`http://127.0.0.1:${rcPort}/config`), /ECONNREFUSED/);
  });

  it('a missing file or one that is not JSON: a warning on stderr, as mb, and standin starts without it', async () => {
    const cases: Array<[string | undefined, RegExp]> = [
      [undefined, /^Cannot find rcfile .*absent\.json; starting without it$/],
      ['{"port": ', /^Cannot parse rcfile .*rc\.json: SyntaxError: .*; starting without it$/],
    ];
    for (const [text, pattern] of cases) {
      const rcfile = file(text === undefined ? 'absent.json' : 'rc.json');
      if (text !== undefined) writeFileSync(rcfile, text);
      const port = await freePort();
      const pidfile = file('rc-warn.pid');
      const proc = spawnCli(['start', '--rcfile', rcfile, '--port', String(port), '--host', '127.0.0.1', '--pidfile', pidfile, '--nologfile'], tmp.dir);
      running.push(proc);
      assert.ok(await waitForPidfile(proc, pidfile), proc.stderr());
      assert.equal((await get(`http://127.0.0.1:${port}/config`)).json().options.port, port);
      assert.match(proc.stderr().trimEnd(), pattern);
      await proc.stop();
    }
  });

  it('an unknown option or a bad value: one line, exit 1', async () => {
    const cases: Array<[string | undefined, RegExp]> = [
      ['{"prot": 3000}', /^standin: --rcfile .*: "prot" is not a standin option/],
      ['{"port": "abc"}', /^standin: --rcfile .*: "port" must be an integer from 1 to 65535, got "abc"$/],
    ];
    for (const [text, pattern] of cases) {
      const rcfile = file('rc.json');
      if (text !== undefined) writeFileSync(rcfile, text);
      const result = await runCli(['start', '--rcfile', rcfile, '--pidfile', file('x.pid'), '--nologfile'], tmp.dir);
      assert.equal(result.code, 1, `${text}: ${result.stderr}`);
      assert.match(result.stderr.trimEnd(), pattern);
      assert.equal(result.stderr.trimEnd().split('\n').length, 1);
    }
  });
});

// mb's documented example: a formatter that stores imposters as Base64, with its own option.
const BASE64_FORMATTER = `'use strict';
const fs = require('fs');
const encode = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64');
const decode = (text) => Buffer.from(text, 'base64').toString('utf8');
function load (options) {
  return JSON.parse(decode(fs.readFileSync(options.configfile, { encoding: 'utf8' })));
}
function save (options, imposters) {
  if (options.customName && imposters.imposters.length > 0) imposters.imposters[0].name = options.customName;
  fs.writeFileSync(options.savefile, encode(imposters));
}
module.exports = { load, save };
`;

describe('--formatter', () => {
  it('save writes through the module (with its own --customName option), start --configfile reads through it', async () => {
    writeFileSync(join(tmp.dir, 'base64Formatter.js'), BASE64_FORMATTER);
    const first = await start([]);
    const port = await freePort();
    await post(`${first.url}/imposters`, { protocol: 'http', port, stubs: [{ responses: [{ is: { body: 'encoded' } }] }] });
    const savefile = file('saved.b64');
    const saved = await runCli(
      ['save', '--port', String(first.port), '--host', '127.0.0.1', '--savefile', savefile, '--formatter', './base64Formatter.js', '--customName', 'renamed'],
      tmp.dir,
    );
    assert.equal(saved.code, 0, saved.stderr);
    const decoded = JSON.parse(Buffer.from(readFileSync(savefile, 'utf8'), 'base64').toString('utf8'));
    assert.equal(decoded.imposters[0].name, 'renamed');
    await first.stop();

    const second = await startStandin(['--configfile', savefile, '--formatter', join(tmp.dir, 'base64Formatter.js')]);
    running.push(second);
    const loaded = (await get(`${second.url}/imposters/${port}`)).json();
    assert.equal(loaded.name, 'renamed');
    assert.equal((await get(`http://127.0.0.1:${port}/`)).body, 'encoded');
  });

  it('a formatter that cannot be found or has no save: one line, exit 1', async () => {
    const missing = await runCli(['save', '--port', '1', '--formatter', './nowhere.js'], tmp.dir);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^standin: cannot find --formatter \.\/nowhere\.js/);
    writeFileSync(join(tmp.dir, 'loadOnly.js'), 'module.exports = { load: () => ({ imposters: [] }) };');
    const noSave = await runCli(['save', '--port', '1', '--formatter', './loadOnly.js'], tmp.dir);
    assert.equal(noSave.code, 1);
    assert.match(noSave.stderr.trimEnd(), /^standin: --formatter \.\/loadOnly\.js has no save function$/);
  });
});
