// The executable's verbs and flag errors, and `stop`, driven through bin/standin.js.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { repoRoot } from '../support/standinProcess.js';
import { isAlive, runCli, tempDir, waitFor } from '../support/cliHarness.js';

const tmp = tempDir();
after(() => tmp.cleanup());
const cwd = tmp.dir;

function oneLineError(result: { code: number | null; stdout: string; stderr: string }, pattern: RegExp): void {
  assert.equal(result.code, 1, `exit code; stderr: ${result.stderr}`);
  const lines = result.stderr.split('\n').filter((l) => l !== '');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${result.stderr}`);
  assert.match(lines[0]!, pattern);
  assert.equal(result.stdout, '');
}

describe('standin verbs', () => {
  it('--version prints the package.json version', async () => {
    const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const result = await runCli(['--version'], cwd);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, `${version}\n`);
    assert.equal(result.stderr, '');
  });

  it('help and --help print the usage', async () => {
    for (const args of [['help'], ['--help']]) {
      const result = await runCli(args, cwd);
      assert.equal(result.code, 0, args.join(' '));
      assert.match(result.stdout, /^Usage: standin \[command=start\] \[options\.\.\.\]/);
      assert.match(result.stdout, /--port PORT/);
      assert.equal(result.stderr, '');
    }
  });

  it("an unknown verb is `Invalid command 'x'.` plus usage, exit 1", async () => {
    const result = await runCli(['launch'], cwd);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^Invalid command 'launch'\.\n/);
    assert.match(result.stderr, /Usage: standin/);
  });

  it('save and replay with nothing running say so in one line, exit 1', async () => {
    for (const verb of ['save', 'replay']) {
      const result = await runCli([verb, '--port', '1', '--host', '127.0.0.1'], cwd);
      oneLineError(result, /^standin: No standin \(or mb\) process running on http:\/\/127\.0\.0\.1:1$/);
    }
  });

  it('an mb flag standin does not support yet is refused by name', async () => {
    const result = await runCli(['start', '--impostersRepository', 'repo.js', '--port', '1'], cwd);
    oneLineError(result, /^standin: --impostersRepository is an mb flag standin does not support yet$/);
  });
});

describe('flag errors', () => {
  it('an unknown flag: one line naming it, exit 1', async () => {
    oneLineError(await runCli(['start', '--prot', '3000'], cwd), /^standin: unknown flag --prot\b/);
  });

  it('a bad value: one line naming the flag and what was expected, exit 1', async () => {
    oneLineError(await runCli(['--port', 'abc'], cwd), /^standin: --port must be an integer from 1 to 65535, got "abc"$/);
    oneLineError(await runCli(['--loglevel', 'loud'], cwd), /^standin: --loglevel must be one of debug, info, warn, error, got "loud"$/);
    oneLineError(await runCli(['--journalCap', '-5'], cwd), /^standin: --journalCap must be a positive integer, got "-5"$/);
    oneLineError(await runCli(['--allowInjection=maybe'], cwd), /^standin: --allowInjection must be true or false, got "maybe"$/);
  });

  it('writes no pidfile and no logfile when the flags are refused', async () => {
    const dir = tempDir();
    try {
      await runCli(['--port', '0'], dir.dir);
      assert.equal(existsSync(join(dir.dir, 'mb.pid')), false);
      assert.equal(existsSync(join(dir.dir, 'mb.log')), false);
    } finally {
      dir.cleanup();
    }
  });
});

describe('stop', () => {
  it('exits 0 when there is no pidfile', async () => {
    const result = await runCli(['stop', '--pidfile', join(cwd, 'absent.pid')], cwd);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stderr, '');
  });

  it('exits 0 and removes a stale pidfile whose process is gone', async () => {
    const gone = spawn(process.execPath, ['-e', '0']);
    const pid = gone.pid!;
    await new Promise((resolve) => gone.on('exit', resolve));
    const pidfile = join(cwd, 'stale.pid');
    writeFileSync(pidfile, String(pid));
    const result = await runCli(['stop', '--pidfile', pidfile], cwd);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(existsSync(pidfile), false);
  });

  it('exits 0 and removes a pidfile that holds no pid', async () => {
    const pidfile = join(cwd, 'garbage.pid');
    writeFileSync(pidfile, 'not a pid');
    const result = await runCli(['stop', '--pidfile', pidfile], cwd);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(existsSync(pidfile), false);
  });

  it('SIGTERMs the process in the pidfile, waits for it to go, removes the pidfile', async () => {
    const victim = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => victim.on('exit', (_code, signal) => resolve(signal)));
    try {
      const pidfile = join(cwd, 'victim.pid');
      writeFileSync(pidfile, String(victim.pid));
      const result = await runCli(['stop', '--pidfile', pidfile], cwd);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(await exited, 'SIGTERM');
      assert.equal(existsSync(pidfile), false);
    } finally {
      if (isAlive(victim.pid!)) process.kill(victim.pid!, 'SIGKILL');
    }
  });

  it('exits 1 and keeps the pidfile when the process ignores SIGTERM for 5 s', async () => {
    const stubborn = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)"], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let ready = false;
    stubborn.stdout!.on('data', () => (ready = true));
    try {
      await waitFor(() => ready, 10_000, 'the stubborn process');
      const pidfile = join(cwd, 'stubborn.pid');
      writeFileSync(pidfile, String(stubborn.pid));
      const result = await runCli(['stop', '--pidfile', pidfile], cwd);
      assert.equal(result.code, 1);
      assert.match(result.stderr, new RegExp(`process ${stubborn.pid} .*did not stop within 5s`));
      assert.equal(existsSync(pidfile), true);
    } finally {
      process.kill(stubborn.pid!, 'SIGKILL');
    }
  });
});
