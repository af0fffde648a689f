// Counting instructions with valgrind's callgrind around a fixed amount of work in a running
// process: zero the counters, do the work, dump and read the total. Only the work is counted:
// start-up, JIT warm-up and whatever ran before are not, which makes the count steady on a loaded
// machine (the older way, the difference between two whole runs of N and 2N calls, carried the
// run-to-run variation of start-up and background compilation and came out negative at times).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Callgrind {
  /** The command to run the process under: without instrumentation until instrument() (start-up and warm-up run several times faster). */
  wrapper: string[];
  /** Turns instrumentation on after a warm-up (counting starts there), or off again for the next warm-up. */
  instrument(pid: number, on: boolean): void;
  zero(pid: number): void;
  /** Instructions (Ir) of every thread of the process since the last zero. */
  dump(pid: number): number;
  remove(): void;
}

export function callgrind(): Callgrind {
  const dir = mkdtempSync(join(tmpdir(), 'standin-callgrind-'));
  return {
    wrapper: ['valgrind', '--tool=callgrind', `--callgrind-out-file=${join(dir, 'callgrind.out')}`, '--dump-instr=no', '--instr-atstart=no'],
    instrument: (pid, on) => execFileSync('callgrind_control', [`--instr=${on ? 'on' : 'off'}`, String(pid)], { stdio: 'ignore' }),
    // callgrind_control waits for the process to act on the command (vgdb interrupts it if it is blocked).
    zero: (pid) => execFileSync('callgrind_control', ['--zero', String(pid)], { stdio: 'ignore' }),
    dump(pid) {
      const before = new Set(readdirSync(dir));
      execFileSync('callgrind_control', ['--dump', String(pid)], { stdio: 'ignore' });
      const dump = readdirSync(dir).find((f) => !before.has(f));
      if (!dump) throw new Error('callgrind wrote no dump');
      const totals = /^(?:summary|totals): (\d+)/m.exec(readFileSync(join(dir, dump), 'utf8'));
      if (!totals) throw new Error(`no instruction total in ${dump}`);
      rmSync(join(dir, dump));
      return Number(totals[1]);
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Rounds of one measurement: the median, and the spread as min–max and as ± half of it in % of the median. */
export function spread(values: readonly number[]): { median: number; min: number; max: number; text: string } {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1]!;
  const min = sorted[0]!;
  const max = sorted[sorted.length - 1]!;
  const n = (v: number) => Math.round(v).toLocaleString('en');
  const pct = median === 0 ? 0 : ((max - min) / 2 / median) * 100;
  return { median, min, max, text: `${n(median)} (${n(min)}–${n(max)}, ±${pct.toFixed(1)}%)` };
}
