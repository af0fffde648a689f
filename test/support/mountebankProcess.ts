// Starts the real mountebank 2.9.1 (devDependencies, node_modules/.bin/mb) on a free port of
// 127.0.0.1, for tests that compare standin with it directly; stops it by its PID.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { watchChild } from './childProcess.js';
import { freePort, get } from './http.js';
import { repoRoot } from './standinProcess.js';

export interface MountebankProcess {
  port: number;
  url: string;
  /** Everything mb printed (console format). */
  output(): string;
  /** mb's JSON-lines log file. */
  logfile(): string;
  stop(): Promise<void>;
}

const mbScript = join(repoRoot, 'node_modules', 'mountebank', 'bin', 'mb');

export async function startMountebank(extraArgs: string[] = []): Promise<MountebankProcess> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'standin-mb-'));
  const logfile = join(dir, 'mb.log');
  const args = [mbScript, 'start', '--port', String(port), '--host', '127.0.0.1', '--pidfile', join(dir, 'mb.pid'), '--logfile', logfile, ...extraArgs];
  const child = spawn(process.execPath, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const watched = watchChild(child);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (watched.hasExited()) throw new Error(`mountebank exited before it was ready:\n${watched.output()}`);
    try {
      await get(`${url}/config`);
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`mountebank did not answer within 30s:\n${watched.output()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    port,
    url,
    output: watched.output,
    logfile: () => {
      try {
        return readFileSync(logfile, 'utf8');
      } catch {
        return '';
      }
    },
    async stop() {
      await watched.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
