// A new user's first hour, through the real executable and over the wire: help for every command,
// errors that say what to do, one line from save/replay/stop, a config file that fails without
// claiming to take orders, and a test suite that passes without redis-server.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli, spawnCli, tempDir, waitFor, waitForPidfile } from '../support/cliHarness.js';
import { freePort, get, post } from '../support/http.js';
import { repoRoot, startStandin } from '../support/standinProcess.js';

const tmp = tempDir();
after(() => tmp.cleanup());
const cwd = tmp.dir;

describe('help', () => {
  const own: Record<string, { has: string[]; hasNot: string[] }> = {
    start: { has: ['--port PORT', '--allowInjection', '--configfile FILE', '--datadir DIR'], hasNot: ['--savefile', '--adminPort'] },
    restart: { has: ['--port PORT', '--pidfile FILE', '--configfile FILE'], hasNot: ['--savefile'] },
    stop: { has: ['--pidfile FILE'], hasNot: ['--port', '--allowInjection'] },
    save: { has: ['--savefile FILE', '--removeProxies', '--port PORT', '--host HOST', '--apikey KEY'], hasNot: ['--allowInjection', '--datadir'] },
    replay: { has: ['--port PORT', '--host HOST', '--apikey KEY'], hasNot: ['--savefile', '--allowInjection'] },
    imposter: { has: ['--port PORT', '--adminPort PORT', '--allowInjection'], hasNot: ['--savefile'] },
  };
  for (const [verb, { has, hasNot }] of Object.entries(own)) {
    it(`standin ${verb} --help and standin help ${verb} print its usage and its own flags`, async () => {
      const viaFlag = await runCli([verb, '--help'], cwd);
      assert.equal(viaFlag.code, 0, viaFlag.stderr);
      assert.equal(viaFlag.stderr, '');
      assert.match(viaFlag.stdout, new RegExp(`^Usage: standin ${verb} `));
      for (const flag of has) assert.ok(viaFlag.stdout.includes(flag), `${verb} --help lists ${flag}:\n${viaFlag.stdout}`);
      for (const flag of hasNot) assert.ok(!viaFlag.stdout.includes(flag), `${verb} --help does not list ${flag}`);
      const viaHelp = await runCli(['help', verb], cwd);
      assert.equal(viaHelp.code, 0);
      assert.equal(viaHelp.stdout, viaFlag.stdout);
    });
  }

  it('standin --help lists every command, --adminPort, --help and --version', async () => {
    const result = await runCli(['--help'], cwd);
    assert.equal(result.code, 0);
    for (const word of ['start', 'stop', 'restart', 'save', 'replay', 'imposter', '--adminPort PORT', '--version', 'standin COMMAND --help']) {
      assert.ok(result.stdout.includes(word), `--help mentions ${word}`);
    }
  });

  it('standin help nonsense is an invalid command, exit 1', async () => {
    const result = await runCli(['help', 'nonsense'], cwd);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^Invalid command 'nonsense'\./);
  });
});

describe('flag errors say what was meant', () => {
  for (const [typed, meant] of [
    ['--allowinjection', '--allowInjection'],
    ['--configFile', '--configfile'],
    ['--logLevel', '--loglevel'],
  ] as const) {
    it(`${typed} suggests ${meant}`, async () => {
      const result = await runCli(['start', typed, 'x'], cwd);
      assert.equal(result.code, 1);
      assert.equal(result.stdout, '');
      assert.equal(result.stderr, `standin: unknown flag ${typed} (did you mean "${meant}"?); standin --help lists every flag\n`);
    });
  }
});

describe('save, replay and stop say what they did', () => {
  it('each prints one line on stdout', async () => {
    const port = await freePort();
    const pidfile = join(cwd, 'said.pid');
    const server = spawnCli(['start', '--port', String(port), '--host', '127.0.0.1', '--pidfile', pidfile, '--nologfile'], cwd);
    try {
      assert.ok(await waitForPidfile(server, pidfile), server.stderr());
      const imposterPort = await freePort();
      assert.equal((await post(`http://127.0.0.1:${port}/imposters`, { protocol: 'http', port: imposterPort })).status, 201);
      const flags = ['--port', String(port), '--host', '127.0.0.1'];

      const saved = await runCli(['save', ...flags, '--savefile', 'saved.json'], cwd);
      assert.equal(saved.code, 0, saved.stderr);
      assert.equal(saved.stdout, `saved 1 imposter from http://127.0.0.1:${port} to saved.json\n`);
      assert.ok(existsSync(join(cwd, 'saved.json')));

      const replayed = await runCli(['replay', ...flags], cwd);
      assert.equal(replayed.code, 0, replayed.stderr);
      assert.equal(replayed.stdout, `replayed 1 imposter on http://127.0.0.1:${port}: proxies removed, recorded responses served from now on\n`);

      const stopped = await runCli(['stop', '--pidfile', pidfile], cwd);
      assert.equal(stopped.code, 0, stopped.stderr);
      assert.equal(stopped.stdout, `stopped process ${server.pid} (named in ${pidfile})\n`);

      const again = await runCli(['stop', '--pidfile', pidfile], cwd);
      assert.equal(again.code, 0);
      assert.equal(again.stdout, `nothing to stop: no pidfile ${pidfile}\n`);
    } finally {
      await server.stop();
    }
  });
});

describe('a config file that fails to load', () => {
  it('names the imposter and the stub, and never says it takes orders', async () => {
    const [first, second] = [await freePort(), await freePort()];
    writeFileSync(
      join(cwd, 'broken.json'),
      JSON.stringify({
        imposters: [
          { protocol: 'http', port: first, name: 'users', stubs: [{ responses: [{ is: { body: 'ok' } }] }] },
          {
            protocol: 'http',
            port: second,
            name: 'orders',
            stubs: [{ responses: [{ is: { body: 'ok' } }] }, { predicates: [{ equal: { path: '/orders' } }], responses: [{ is: { body: 'x' } }] }],
          },
        ],
      }),
    );
    const pidfile = join(cwd, 'broken.pid');
    const result = await runCli(
      ['start', '--port', String(await freePort()), '--host', '127.0.0.1', '--pidfile', pidfile, '--nologfile', '--configfile', 'broken.json'],
      cwd,
    );
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      new RegExp(
        `^standin: cannot load imposters from broken\\.json:\\n  - imposter 2 \\(http:${second} "orders"\\), stub 2: missing predicate: "equal" is not a predicate operator \\(did you mean "equals"\\?\\)`,
      ),
    );
    assert.doesNotMatch(result.stdout, /taking orders/);
    assert.equal(existsSync(pidfile), false);
  });
});

describe('an inject function that does not compile', () => {
  it("is reported at the place in the user's own code", async () => {
    const mb = await startStandin(['--allowInjection']);
    try {
      const port = await freePort();
      const inject = 'function (config) {\n  const a = ;\n  return { body: a };\n}';
      const created = await post(`${mb.url}/imposters`, { protocol: 'http', port, stubs: [{ responses: [{ inject }] }] });
      // Refused at creation, or (as mountebank) accepted and reported when a request reaches it.
      const text = created.status === 400 ? created.body : (await get(`http://127.0.0.1:${port}/`)).body;
      assert.match(text, /Unexpected token ';' at line 2, column 13 of the function: \\" {2}const a = ;\\"/);
      assert.doesNotMatch(text, /return \(/);
    } finally {
      await mb.stop();
    }
  });
});

describe('without redis-server', () => {
  it('the Redis tests are skipped, saying why, and the run passes', async () => {
    // A PATH that holds node and nothing else, so redis-server cannot be found.
    const bin = join(cwd, 'node-only-bin');
    mkdirSync(bin);
    symlinkSync(process.execPath, join(bin, 'node'));
    // Without the runner's own context, so the child runs its tests rather than reporting to this one.
    const { NODE_TEST_CONTEXT: _context, ...env } = process.env;
    const child = spawn(process.execPath, ['--test', '--test-reporter=spec', join(repoRoot, 'dist', 'test', 'rift', 'redisShared.test.js')], {
      cwd,
      env: { ...env, PATH: bin },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    assert.equal(code, 0, output);
    assert.match(
      output,
      /﹣ Redis flow state across processes .*# redis-server is not installed: install it \(Debian package redis-server\) to run the Redis tests; \.ci\/run does/,
    );
    assert.match(output, /ℹ fail 0/);
  });
});

describe('running standin from the clone, as the README says', () => {
  const offline = { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' };
  const run = (command: string, args: string[], dir: string) =>
    new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(command, args, { cwd: dir, env: offline, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
      child.on('close', (code) => resolve({ code, output }));
    });
  const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

  it('the README says npx standin, and how to install it globally', () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    assert.ok(readme.includes('`npx standin stop`'), 'the README stops standin with npx standin stop');
    assert.ok(readme.includes('npm install --global .'), 'the README says how to install standin globally');
  });

  it('npx standin runs this checkout', async () => {
    const result = await run('npx', ['standin', '--version'], repoRoot);
    assert.equal(result.code, 0, result.output);
    assert.equal(result.output, `${version}\n`);
  });

  it('npm install --global . puts standin on the PATH', async () => {
    const prefix = join(cwd, 'global');
    const installed = await run('npm', ['install', '--global', '--prefix', prefix, '--no-audit', '--no-fund', '.'], repoRoot);
    assert.equal(installed.code, 0, installed.output);
    const result = await run(join(prefix, 'bin', 'standin'), ['--version'], cwd);
    assert.equal(result.code, 0, result.output);
    assert.equal(result.output, `${version}\n`);
  });
});

describe("docs/cli.md's error excerpts", () => {
  const cliDoc = readFileSync(join(repoRoot, 'docs', 'cli.md'), 'utf8');
  const textBlockAfter = (marker: string): string => {
    const start = cliDoc.indexOf('```text', cliDoc.indexOf(marker));
    return cliDoc.slice(cliDoc.indexOf('\n', start) + 1, cliDoc.indexOf('\n```', start));
  };

  it('are the lines standin prints for those flags', async () => {
    const shown = textBlockAfter('naming the flag and what was expected').split('\n');
    const printed: string[] = [];
    for (const args of [['--port', 'abc'], ['--loglevel', 'verbose'], ['--configFile', 'x.json'], ['-h']]) {
      printed.push((await runCli(args, cwd)).stderr.trimEnd());
    }
    assert.deepEqual(printed, shown);
  });

  it('is the excerpt standin prints for an include that is not there', async () => {
    writeFileSync(join(cwd, 'imposters.ejs'), '{\n  "imposters": [\n    <% include nowhere.json %>\n  ]\n}\n');
    const result = await runCli(['start', '--configfile', 'imposters.ejs', '--port', String(await freePort()), '--nologfile'], cwd);
    assert.equal(result.code, 1);
    assert.equal(result.stderr, `${textBlockAfter('A failure names the file and the line')}\n`);
  });
});

describe('the startup banner', () => {
  it('warns about --allowInjection without pointing at a page standin does not serve', async () => {
    const mb = await startStandin(['--allowInjection']);
    try {
      // Log lines are written in batches: wait for the banner rather than assume it is out.
      await waitFor(() => mb.output().includes('now taking orders'), 10_000, 'the banner');
      const output = mb.output();
      assert.match(output, /warn: \[mb:\d+\] Running with --allowInjection set: imposters can run any JavaScript or shell command/);
      assert.match(output, /now taking orders/);
      assert.doesNotMatch(output, /\/docs\/security/);
    } finally {
      await mb.stop();
    }
  });
});
