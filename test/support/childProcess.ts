// A child process a test started: what it printed so far, whether it has exited, and stop() by its
// PID (SIGTERM, then SIGKILL if it is still there after 5 s), which resolves once it has exited.
import type { ChildProcess } from 'node:child_process';

export interface WatchedChild {
  /** Everything it wrote to stdout and stderr, interleaved as it arrived. */
  output(): string;
  hasExited(): boolean;
  stop(): Promise<void>;
}

export function watchChild(child: ChildProcess): WatchedChild {
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.on('exit', () => {
      exited = true;
      resolve();
    }),
  );
  return {
    output: () => output,
    hasExited: () => exited,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exit;
      clearTimeout(timer);
    },
  };
}
