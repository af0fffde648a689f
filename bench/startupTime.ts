// Time from the library's start() to the first answered request, in fresh processes (so module
// loading counts, as in a test run): each process imports standin, calls start(), creates an
// imposter and sends it one request. Prints the median of the runs and their spread, both from
// start() and from the import, in elapsed time and in CPU time of the process (user + system,
// steadier than elapsed time on a loaded machine, where elapsed time mostly measures waiting).
//   node dist/bench/startupTime.js [--runs N] [--entry PATH]     (default: this checkout's build)
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spread } from './callgrind.js';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const entry = resolve(option('--entry') ?? join(repoRoot, 'dist', 'src', 'library', 'index.js'));
const runs = Number(option('--runs') ?? 10);

// One measurement: milliseconds from the import, and from start(), until the answer has arrived.
const script = `
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const { start } = await import(${JSON.stringify(pathToFileURL(entry).href)});
  const t1 = performance.now();
  const c1 = process.cpuUsage();
  const standin = await start();
  const imposter = await standin.createImposter({ protocol: 'http', stubs: [{ responses: [{ is: { body: 'ok' } }] }] });
  const body = await (await fetch(imposter.url)).text();
  const t2 = performance.now();
  const cpu = (c) => { const u = process.cpuUsage(c); return (u.user + u.system) / 1000; };
  const cpuFromImport = cpu(c0);
  const cpuFromStart = cpu(c1);
  await standin.close();
  if (body !== 'ok') throw new Error('answered ' + body);
  console.log(JSON.stringify({ fromImport: t2 - t0, fromStart: t2 - t1, cpuFromImport, cpuFromStart }));
`;

const fromImport: number[] = [];
const fromStart: number[] = [];
const cpuFromImport: number[] = [];
const cpuFromStart: number[] = [];
for (let i = 0; i < runs; i++) {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const run = JSON.parse(out) as { fromImport: number; fromStart: number; cpuFromImport: number; cpuFromStart: number };
  fromImport.push(run.fromImport);
  fromStart.push(run.fromStart);
  cpuFromImport.push(run.cpuFromImport);
  cpuFromStart.push(run.cpuFromStart);
}
console.log(`node ${process.version}, ${runs} fresh processes, ms (median (min–max)):`);
console.log(`start() to the first answered request: ${spread(fromStart).text}`);
console.log(`import + start() to the first answered request: ${spread(fromImport).text}`);
console.log(`CPU time, start() to the first answered request: ${spread(cpuFromStart).text}`);
console.log(`CPU time, import + start() to the first answered request: ${spread(cpuFromImport).text}`);
