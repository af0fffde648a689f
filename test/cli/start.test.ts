// `standin start|stop|restart` against the real server: readiness, config files, signals, logs.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { freePort, get } from '../support/http.js';
import { isAlive, runCli, spawnCli, tempDir, waitFor, waitForPidfile, type Running } from '../support/cliHarness.js';

const tmp = tempDir();
after(() => tmp.cleanup());

const started: Running[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.stop()));
});

let fileCount = 0;
const path = (name: string): string => join(tmp.dir, `${++fileCount}-${name}`);

interface Server {
  proc: Running;
  port: number;
  pidfile: string;
  url: string;
}

/** Starts `standin start` on a free port of 127.0.0.1 and waits for its pidfile. */
async function startServer(extra: string[] = [], options: { nologfile?: boolean; cwd?: string } = {}): Promise<Server> {
  const port = await freePort();
  const pidfile = path('standin.pid');
  const args = ['start', '--host', '127.0.0.1', '--port', String(port), '--pidfile', pidfile];
  if (options.nologfile !== false) args.push('--nologfile');
  const proc = spawnCli([...args, ...extra], options.cwd ?? tmp.dir);
  started.push(proc);
  const ready = await waitForPidfile(proc, pidfile);
  assert.ok(ready, `standin exited before it was ready:\n${proc.stdout()}${proc.stderr()}`);
  return { proc, port, pidfile, url: `http://127.0.0.1:${port}` };
}

const imposter = (port: number, body: string) => ({
  protocol: 'http',
  port,
  stubs: [{ responses: [{ is: { body } }] }],
});

function portIsClosed(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('start', () => {
  it('writes the pidfile only once the admin API answers', async () => {
    const server = await startServer();
    // No retry: the pidfile is the readiness signal.
    const home = await get(`${server.url}/`);
    assert.equal(home.status, 200);
    assert.ok(home.json()._links.imposters.href, home.body);
    assert.equal(readFileSync(server.pidfile, 'utf8').trim(), String(server.proc.pid));
  });

  it('defaults the pidfile to mb.pid in the working directory', async () => {
    const dir = tempDir();
    try {
      const port = await freePort();
      const proc = spawnCli(['--host', '127.0.0.1', '--port', String(port), '--nologfile'], dir.dir);
      started.push(proc);
      assert.ok(await waitForPidfile(proc, join(dir.dir, 'mb.pid')), proc.stderr());
      assert.equal((await get(`http://127.0.0.1:${port}/`)).status, 200);
      await proc.stop();
      assert.equal(existsSync(join(dir.dir, 'mb.pid')), false);
    } finally {
      dir.cleanup();
    }
  });

  it('SIGTERM closes the server, removes the pidfile, says Adios and exits 0', async () => {
    const server = await startServer();
    const result = await server.proc.stop();
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.signal, null);
    assert.equal(existsSync(server.pidfile), false);
    assert.match(result.stdout, /info: \[mb:\d+\] Adios - see you soon\?/);
    assert.ok(await portIsClosed(server.port));
  });

  it('SIGINT does the same', async () => {
    const server = await startServer();
    process.kill(server.proc.pid, 'SIGINT');
    const result = await server.proc.exited;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(existsSync(server.pidfile), false);
  });

  it('on a signal, leaves a pidfile that another process has taken over', async () => {
    const server = await startServer();
    writeFileSync(server.pidfile, '999999');
    await server.proc.stop();
    assert.equal(readFileSync(server.pidfile, 'utf8'), '999999');
  });

  it('admin port in use: one clear error line, exit 1, no pidfile', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const pidfile = path('conflict.pid');
      const result = await runCli(['start', '--host', '127.0.0.1', '--port', String(port), '--pidfile', pidfile, '--nologfile'], tmp.dir);
      assert.equal(result.code, 1);
      const lines = result.stderr.split('\n').filter((l) => l !== '');
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0]!, new RegExp(`^standin: cannot start the admin API on 127\\.0\\.0\\.1:${port}: .*in use`, 'i'));
      assert.equal(existsSync(pidfile), false);
    } finally {
      blocker.close();
    }
  });
});

describe('start --configfile', () => {
  it('loads {"imposters":[...]} before writing the pidfile; the imposters answer', async () => {
    const [a, b] = [await freePort(), await freePort()];
    const file = path('imposters.json');
    writeFileSync(file, JSON.stringify({ imposters: [imposter(a, 'from a'), imposter(b, 'from b')] }));
    const server = await startServer(['--configfile', file]);
    assert.equal((await get(`http://127.0.0.1:${a}/`)).body, 'from a');
    assert.equal((await get(`http://127.0.0.1:${b}/x`)).body, 'from b');
    const list = (await get(`${server.url}/imposters`)).json();
    assert.deepEqual(list.imposters.map((i: { port: number }) => i.port).sort(), [a, b].sort());
  });

  it('loads a file holding a single imposter', async () => {
    const port = await freePort();
    const file = path('single.json');
    writeFileSync(file, JSON.stringify(imposter(port, 'single')));
    await startServer(['--configfile', file, '--noParse']);
    assert.equal((await get(`http://127.0.0.1:${port}/`)).body, 'single');
  });

  async function refusedAtStart(config: string, stderrPattern: RegExp): Promise<void> {
    const port = await freePort();
    const file = path('bad.json');
    if (config !== '') writeFileSync(file, config);
    const pidfile = path('bad.pid');
    const result = await runCli(['start', '--host', '127.0.0.1', '--port', String(port), '--pidfile', pidfile, '--nologfile', '--configfile', file], tmp.dir);
    assert.equal(result.code, 1, `exit code; stdout:\n${result.stdout}\nstderr:\n${result.stderr}`);
    assert.match(result.stderr, stderrPattern);
    assert.equal(existsSync(pidfile), false, 'no pidfile');
    assert.ok(await portIsClosed(port), 'the admin port is closed again');
  }

  it('a missing file: exit 1, no pidfile', async () => {
    await refusedAtStart('', /^standin: cannot read config file .*bad\.json: no such file\n$/);
  });

  it('invalid JSON: exit 1, no pidfile', async () => {
    await refusedAtStart('{"imposters": [', /^standin: config file .*bad\.json is not valid JSON: /);
  });

  it('imposters that fail validation: each error printed, exit 1, no pidfile', async () => {
    const good = imposter(await freePort(), 'fine');
    const config = JSON.stringify({ imposters: [good, { protocol: 'gopher', port: await freePort() }] });
    await refusedAtStart(config, /^standin: cannot load imposters from .*bad\.json:\n {2}- .*gopher/);
  });
});

describe('stop', () => {
  it('stop --pidfile stops a running instance, then exits 0 when nothing runs', async () => {
    const server = await startServer();
    const first = await runCli(['stop', '--pidfile', server.pidfile], tmp.dir);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(isAlive(server.proc.pid), false, 'the server process is gone');
    const serverResult = await server.proc.exited;
    assert.equal(serverResult.code, 0);
    assert.equal(existsSync(server.pidfile), false);
    assert.ok(await portIsClosed(server.port));

    const second = await runCli(['stop', '--pidfile', server.pidfile], tmp.dir);
    assert.equal(second.code, 0, second.stderr);
  });
});

describe('restart', () => {
  it('stops the instance in the pidfile and becomes the server', async () => {
    const old = await startServer();
    const port = await freePort();
    const proc = spawnCli(['restart', '--host', '127.0.0.1', '--port', String(port), '--pidfile', old.pidfile, '--nologfile'], tmp.dir);
    started.push(proc);
    await old.proc.exited;
    await waitFor(() => existsSync(old.pidfile) && readFileSync(old.pidfile, 'utf8') === String(proc.pid), 15_000, 'the new pidfile');
    assert.equal((await get(`http://127.0.0.1:${port}/`)).status, 200);
    assert.ok(await portIsClosed(old.port));
  });
});

describe('logging', () => {
  it('--logfile writes JSON lines {level,message,timestamp}', async () => {
    const logfile = path('standin.log');
    const server = await startServer(['--logfile', logfile], { nologfile: false });
    await server.proc.stop();
    const lines = readFileSync(logfile, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    assert.ok(lines.length >= 2, `log lines:\n${lines.join('\n')}`);
    for (const line of lines) {
      const entry = JSON.parse(line) as Record<string, unknown>;
      assert.deepEqual(Object.keys(entry).sort(), ['level', 'message', 'timestamp']);
      assert.ok(['debug', 'info', 'warn', 'error'].includes(entry.level as string));
      assert.ok(!Number.isNaN(Date.parse(entry.timestamp as string)));
    }
    const messages = lines.map((l) => (JSON.parse(l) as { message: string }).message);
    assert.ok(
      messages.some((m) => m.endsWith('Adios - see you soon?')),
      messages.join('\n'),
    );
  });

  it('defaults the logfile to mb.log in the working directory; --nologfile writes none', async () => {
    const withLog = tempDir();
    const without = tempDir();
    try {
      const a = await startServer([], { nologfile: false, cwd: withLog.dir });
      await a.proc.stop();
      assert.ok(existsSync(join(withLog.dir, 'mb.log')));
      const b = await startServer([], { cwd: without.dir });
      await b.proc.stop();
      assert.equal(existsSync(join(without.dir, 'mb.log')), false);
    } finally {
      withLog.cleanup();
      without.cleanup();
    }
  });

  it('--loglevel debug shows debug and info lines; --loglevel warn shows neither', async () => {
    const config = path('levels.json');
    writeFileSync(config, JSON.stringify({ imposters: [] }));

    const debug = await startServer(['--loglevel', 'debug', '--configfile', config]);
    const debugOut = (await debug.proc.stop()).stdout;
    assert.match(debugOut, /^debug: /m);
    assert.match(debugOut, /^info: /m);

    const warn = await startServer(['--loglevel', 'warn', '--configfile', config]);
    const warnOut = (await warn.proc.stop()).stdout;
    assert.doesNotMatch(warnOut, /^debug: /m);
    assert.doesNotMatch(warnOut, /^info: /m);
  });
});
