// `standin stop [--pidfile F]`: SIGTERM the process named in the pidfile and wait for it to go.
import { processState } from '../process/processState.js';
import { readPidfile, removePidfile } from './pidfile.js';
import { errorCode, errorMessage } from '../model/caughtError.js';

export interface StopOptions {
  pidfile: string;
  /** How long to wait for the process to exit after SIGTERM. */
  timeoutMs?: number;
  pollMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const say = (line: string): number => {
  process.stdout.write(`${line}\n`);
  return 0;
};

/**
 * Returns the exit code. Nothing to stop (no pidfile, or its process is gone) is a success, as in
 * mb: the stale file is removed. A process that outlives the timeout is an error and keeps its pidfile.
 */
export async function stop(options: StopOptions): Promise<number> {
  const { pidfile, timeoutMs = 5_000, pollMs = 50 } = options;
  let contents;
  try {
    contents = readPidfile(pidfile);
  } catch (err) {
    process.stderr.write(`standin: cannot read pidfile ${pidfile}: ${errorMessage(err)}\n`);
    return 1;
  }
  if (contents.state === 'missing') return say(`nothing to stop: no pidfile ${pidfile}`);
  if (contents.state === 'invalid' || contents.pid === process.pid) {
    removePidfile(pidfile);
    return say(`nothing to stop: ${pidfile} named no other process; removed it`);
  }

  const { pid } = contents;
  const state = processState(pid);
  if (state === 'gone') {
    removePidfile(pidfile);
    return say(`nothing to stop: process ${pid} (named in ${pidfile}) was not running; removed the pidfile`);
  }
  if (state === 'not permitted') {
    process.stderr.write(`standin: not permitted to stop process ${pid} (named in ${pidfile})\n`);
    return 1;
  }

  try {
    process.kill(pid, 'SIGTERM');
  } catch (err) {
    if (errorCode(err) !== 'ESRCH') {
      process.stderr.write(`standin: cannot stop process ${pid}: ${errorMessage(err)}\n`);
      return 1;
    }
  }

  const deadline = Date.now() + timeoutMs;
  while (processState(pid) !== 'gone') {
    if (Date.now() >= deadline) {
      process.stderr.write(`standin: process ${pid} (named in ${pidfile}) did not stop within ${timeoutMs / 1000}s\n`);
      return 1;
    }
    await sleep(pollMs);
  }
  // The server removes its own pidfile; this covers one that was killed before it could.
  try {
    const after = readPidfile(pidfile);
    if (after.state === 'pid' && after.pid === pid) removePidfile(pidfile);
  } catch {
    // unreadable now: leave it
  }
  return say(`stopped process ${pid} (named in ${pidfile})`);
}
