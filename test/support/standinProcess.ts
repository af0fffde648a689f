// Starts the real `standin` executable on a free port of 127.0.0.1 and stops it by its PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { watchChild } from './childProcess.js';
import { freePort } from './http.js';

const here = fileURLToPath(new URL('.', import.meta.url));
/** The repository root (this file runs from dist/test/support). */
export const repoRoot = resolve(here, '..', '..', '..');
export const executable = join(repoRoot, 'bin', 'standin.js');

export interface StandinProcess {
  port: number;
  url: string;
  pid: number;
  dir: string;
  pidfile: string;
  child: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Runs `standin start` with the given extra flags; resolves once the pidfile exists (mb's readiness
 * signal). A free port can be taken by another process on the machine between the check and
 * standin's listen (test suites running side by side): then it starts again on another port.
 */
export async function startStandin(extraArgs: string[] = [], options: StartOptions = {}): Promise<StandinProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(extraArgs, options);
    } catch (err) {
      if (attempt === 3 || !(err instanceof Error) || !ADMIN_PORT_TAKEN.test(err.message)) throw err;
    }
  }
}

export interface StartOptions {
  cwd?: string;
  /** The loopback address it binds (127.0.0.2 lets a second standin on this machine serve the same imposter ports). */
  host?: string;
}

const ADMIN_PORT_TAKEN = /cannot start the admin API on [^\n]* is already in use/;

async function startOnce(extraArgs: string[], options: StartOptions): Promise<StandinProcess> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'standin-test-'));
  const pidfile = join(dir, 'standin.pid');
  const host = options.host ?? '127.0.0.1';
  const args = [executable, 'start', '--port', String(port), '--host', host, '--pidfile', pidfile, '--nologfile', ...extraArgs];
  const child = spawn(process.execPath, args, { cwd: options.cwd ?? dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const watched = watchChild(child);

  const deadline = Date.now() + 15_000;
  while (!existsSync(pidfile)) {
    if (watched.hasExited()) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`standin exited before it was ready:\n${watched.output()}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`standin did not write its pidfile within 15s:\n${watched.output()}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }

  return {
    port,
    url: `http://${host}:${port}`,
    pid: child.pid!,
    dir,
    pidfile,
    child,
    output: watched.output,
    async stop() {
      await watched.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
