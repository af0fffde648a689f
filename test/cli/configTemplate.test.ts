// `standin start --configfile` with EJS, through the real executable: files split with include
// (mountebank's EJS 2 `<% include file %>` and EJS 3's `include('file')`), multi-line files
// embedded with stringify (and its alias inject), data passed to them, and --noParse.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { freePort, get } from '../support/http.js';
import { runCli, spawnCli, tempDir, waitForPidfile, type Running } from '../support/cliHarness.js';

const tmp = tempDir();
after(() => tmp.cleanup());

const started: Running[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.stop()));
});

let dirCount = 0;

/** Writes the files of one config, each path relative to a fresh directory; returns that directory. */
function configDir(files: Record<string, string>): string {
  const dir = join(tmp.dir, `config-${++dirCount}`);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

async function start(configfile: string, extra: string[] = []): Promise<Running> {
  const port = await freePort();
  const pidfile = join(dirname(configfile), `standin-${port}.pid`);
  const proc = spawnCli(
    ['start', '--host', '127.0.0.1', '--port', String(port), '--pidfile', pidfile, '--nologfile', '--configfile', configfile, ...extra],
    tmp.dir,
  );
  started.push(proc);
  assert.ok(await waitForPidfile(proc, pidfile), `standin exited before it was ready:\n${proc.stdout()}${proc.stderr()}`);
  return proc;
}

describe('start --configfile with EJS', () => {
  it('includes files, relative to the including file, in both include spellings', async () => {
    const [orders, users] = [await freePort(), await freePort()];
    const dir = configDir({
      'imposters.ejs': `{\n  "imposters": [\n    <% include orders.json %>,\n    <%- include('services/users.ejs', { port: ${users} }) %>\n  ]\n}\n`,
      'orders.json': JSON.stringify({ protocol: 'http', port: orders, stubs: [{ responses: [{ is: { statusCode: 201, body: 'Order 123' } }] }] }),
      // Included from services/: its own include is found next to it.
      'services/users.ejs': '{ "protocol": "http", "port": <%= port %>, "stubs": [<%- include("userStub.json") -%>\n] }',
      'services/userStub.json': '{ "responses": [{ "is": { "body": "users" } }] }',
    });
    await start(join(dir, 'imposters.ejs'));
    const order = await get(`http://127.0.0.1:${orders}/orders`);
    assert.equal(order.status, 201);
    assert.equal(order.body, 'Order 123');
    assert.equal((await get(`http://127.0.0.1:${users}/users`)).body, 'users');
  });

  it('embeds multi-line files as JSON strings with stringify and inject, with data, nested', async () => {
    const port = await freePort();
    const xml = '<users>\n  <user id="123">\n    <name>Ada "the first"</name>\n  </user>\n</users>\n';
    const dir = configDir({
      'imposters.ejs': `{ "imposters": [ <% include imposter.ejs %> ] }`,
      'imposter.ejs': JSON.stringify({
        protocol: 'http',
        port,
        stubs: [
          { predicates: [{ equals: { path: '/xml' } }], responses: [{ is: { body: "<%- stringify(filename, 'bodies/users.xml') %>" } }] },
          { predicates: [{ equals: { path: '/alias' } }], responses: [{ is: { body: "<%- inject('bodies/users.xml') %>" } }] },
          { predicates: [{ equals: { path: '/data' } }], responses: [{ is: { body: "<%- stringify(filename, 'bodies/greeting.ejs', { name: 'Ada' }) %>" } }] },
        ],
      }),
      'bodies/users.xml': xml,
      // Paths in stringify are relative to the config file, as in mountebank, from any depth.
      'bodies/greeting.ejs': 'Hello <%= data.name %>\n<%- stringify(filename, "bodies/users.xml") %>\n',
    });
    await start(join(dir, 'imposters.ejs'));
    const url = `http://127.0.0.1:${port}`;
    assert.equal((await get(`${url}/xml`)).body, xml.trim());
    assert.equal((await get(`${url}/alias`)).body, xml.trim());
    // The nested result is escaped once more: it was embedded in a string that is itself embedded.
    assert.equal((await get(`${url}/data`)).body, `Hello Ada\n${JSON.stringify(xml.trim()).slice(1, -1)}`);
  });

  it('keeps a response template for each request when it is written <%% in the file', async () => {
    const port = await freePort();
    const dir = configDir({
      'imposters.ejs': JSON.stringify({
        protocol: 'http',
        port,
        stubs: [{ responses: [{ is: { body: 'rendered at load: <%= 1 + 1 %>, per request: <%%- request.path %>' } }] }],
      }),
    });
    await start(join(dir, 'imposters.ejs'), ['--allowInjection']);
    assert.equal((await get(`http://127.0.0.1:${port}/first`)).body, 'rendered at load: 2, per request: /first');
    assert.equal((await get(`http://127.0.0.1:${port}/second`)).body, 'rendered at load: 2, per request: /second');
  });

  it("--noParse loads the file as plain JSON, tags and all (mountebank's example)", async () => {
    const port = await freePort();
    const dir = configDir({
      'noparse.json': JSON.stringify({ protocol: 'http', port, stubs: [{ responses: [{ is: { body: '<% should not render through ejs' } }] }] }),
    });
    await start(join(dir, 'noparse.json'), ['--noParse']);
    assert.equal((await get(`http://127.0.0.1:${port}/`)).body, '<% should not render through ejs');
  });

  it('--noParse with --allowInjection: response templates are written as is and render per request', async () => {
    const port = await freePort();
    const dir = configDir({
      'templates.json': JSON.stringify({ protocol: 'http', port, stubs: [{ responses: [{ is: { body: 'path <%- request.path %>' } }] }] }),
    });
    await start(join(dir, 'templates.json'), ['--noParse', '--allowInjection']);
    assert.equal((await get(`http://127.0.0.1:${port}/x`)).body, 'path /x');
  });

  it('refuses a file whose include is missing: the file, the line and the include named; exit 1, no pidfile', async () => {
    const dir = configDir({ 'imposters.ejs': '{\n  "imposters": [\n    <% include nowhere.json %>\n  ]\n}\n' });
    const port = await freePort();
    const pidfile = join(dir, 'refused.pid');
    const result = await runCli(
      ['start', '--host', '127.0.0.1', '--port', String(port), '--pidfile', pidfile, '--nologfile', '--configfile', join(dir, 'imposters.ejs')],
      tmp.dir,
    );
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, /^standin: cannot render config file .*imposters\.ejs as EJS: .*imposters\.ejs:3\n/);
    assert.match(result.stderr, /include\('nowhere\.json'\): no such file/);
    assert.equal(existsSync(pidfile), false);
  });
});
