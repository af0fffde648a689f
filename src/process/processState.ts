// Whether a process is still there: used by `stop` (is the server gone yet?) and by --datadir
// (does the process holding the lock still run?).
import { readFileSync } from 'node:fs';

/** 'alive', 'gone', or 'alive' but owned by someone we may not signal. */
export function processState(pid: number): 'alive' | 'gone' | 'not permitted' {
  try {
    process.kill(pid, 0);
    return 'alive';
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'EPERM') return 'not permitted';
    return 'gone';
  }
}

/** A killed process nobody has reaped yet still answers signal 0; on Linux /proc tells it apart. */
export function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}
