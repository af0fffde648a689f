// Instructions per Imposter.handle() call, counted by callgrind around exactly `calls` calls of
// handleMicro in --stepped mode, round after round in one process after one warm-up.
//   node dist/bench/microInstructions.js [--only TEXT|TEXT…] [--calls N] [--rounds N] [--warmup N] [--loglevel info] [--listen full,summary] [--batch N] [--root DIR]
// --root runs another checkout's build (its dist/bench/handleMicro.js) for a before/after.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { callgrind, spread } from './callgrind.js';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

const root = resolve(option('--root') ?? join(fileURLToPath(new URL('.', import.meta.url)), '..', '..'));
const calls = Number(option('--calls') ?? 20_000);
const rounds = Number(option('--rounds') ?? 5);
const warmup = option('--warmup') ?? String(calls * 2);
const passed = ['--only', '--loglevel', '--listen', '--batch'].flatMap((name) => (option(name) === undefined ? [] : [name, option(name)!]));

async function main(): Promise<void> {
  const counter = callgrind();
  const args = [
    join(root, 'dist', 'bench', 'handleMicro.js'),
    '--stepped',
    '--calls',
    String(calls),
    '--rounds',
    String(rounds),
    '--warmup',
    warmup,
    ...passed,
  ];
  const child = spawn(counter.wrapper[0]!, [...counter.wrapper.slice(1), process.execPath, ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const perCall = new Map<string, number[]>();
  let current = '';
  try {
    for await (const line of createInterface({ input: child.stdout! })) {
      if (line.startsWith('ready ')) {
        current = line.slice('ready '.length);
        counter.instrument(child.pid!, true);
        counter.zero(child.pid!);
        child.stdin!.write('go\n');
      } else if (line === 'done') {
        const counted = counter.dump(child.pid!) / calls;
        const counts = [...(perCall.get(current) ?? []), counted];
        perCall.set(current, counts);
        if (counts.length === rounds) counter.instrument(child.pid!, false); // the next scenario's warm-up runs fast
        process.stderr.write(`${current}: ${Math.round(counted)}\n`);
      }
    }
  } finally {
    child.stdin!.end();
    counter.remove();
  }
  console.log(
    `node ${process.version}, ${root}: instructions per handle() call (callgrind; median of ${rounds} rounds of ${calls} calls after ${warmup} uncounted, min–max)`,
  );
  for (const [name, values] of perCall) console.log(`${name}: ${spread(values).text}`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
