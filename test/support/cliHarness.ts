// Runs the real `standin` executable for the CLI tests; every process is stopped by its PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executable } from './standinProcess.js';

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  pid: number;
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has exited. */
  exited: Promise<Finished>;
  hasExited(): boolean;
  /** SIGTERM by PID (SIGKILL after 5 s), then waits for the exit. */
  stop(): Promise<Finished>;
}

/** `env` is added to this process's environment for the child (e.g. IMPOSTER_* variables). */
export function spawnCli(args: string[], cwd: string, env?: Record<string, string>): Running {
  const childEnv = env ? { ...process.env, ...env } : process.env;
  const child = spawn(process.execPath, [executable, ...args], { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let done = false;
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<Finished>((resolve) =>
    child.on('close', (code, signal) => {
      done = true;
      resolve({ code, signal, stdout, stderr });
    }),
  );
  const pid = child.pid!;
  return {
    child,
    pid,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    hasExited: () => done,
    async stop() {
      if (!done) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // already gone
        }
        const timer = setTimeout(() => {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }, 5_000);
        const result = await exited;
        clearTimeout(timer);
        return result;
      }
      return exited;
    },
  };
}

/** Runs a command that is expected to finish by itself (killed after timeoutMs). */
export async function runCli(args: string[], cwd: string, timeoutMs = 15_000, env?: Record<string, string>): Promise<Finished> {
  const running = spawnCli(args, cwd, env);
  const timer = setTimeout(() => {
    try {
      process.kill(running.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }, timeoutMs);
  const result = await running.exited;
  clearTimeout(timer);
  return result;
}

/** Waits until the pidfile exists (readiness) or the process exits. Returns true when ready. */
export async function waitForPidfile(running: Running, pidfile: string, timeoutMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(pidfile)) {
    if (running.hasExited()) return false;
    if (Date.now() > deadline) throw new Error(`no pidfile after ${timeoutMs} ms:\n${running.stdout()}${running.stderr()}`);
    await sleep(10);
  }
  return true;
}

export async function waitFor(condition: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'standin-cli-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
