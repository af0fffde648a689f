// The pidfile: written by `start` once the server is ready (mb's readiness signal), read by `stop`.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { errorCode } from '../model/caughtError.js';

/** Writes atomically (temp file + rename), so a reader never sees an empty or partial pidfile. */
export function writePidfile(path: string, pid: number = process.pid): void {
  const temp = `${path}.${pid}.tmp`;
  try {
    writeFileSync(temp, String(pid));
    renameSync(temp, path);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}

export type PidfileContents = { state: 'missing' } | { state: 'invalid'; text: string } | { state: 'pid'; pid: number };

export function readPidfile(path: string): PidfileContents {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return { state: 'missing' };
    throw err;
  }
  const trimmed = text.trim();
  // A pid of 0 or below would signal a whole process group: never accept one.
  const pid = /^\d+$/.test(trimmed) ? Number(trimmed) : NaN;
  return Number.isSafeInteger(pid) && pid > 0 ? { state: 'pid', pid } : { state: 'invalid', text };
}

export function removePidfile(path: string): void {
  rmSync(path, { force: true });
}

/** Removes the pidfile only if it still names `pid` (another process may have taken it over). */
export function removePidfileIfOwned(path: string, pid: number = process.pid): void {
  try {
    const contents = readPidfile(path);
    if (contents.state === 'pid' && contents.pid === pid) removePidfile(path);
  } catch {
    // unreadable: not ours to remove
  }
}
