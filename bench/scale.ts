// `--workers` and fleet mode on this machine: throughput of one process against --workers N,
// and what a stub that cycles costs when the next response is decided by the primary process
// (--workers) or by Redis (--fleet). Each server is pinned with taskset (--server-cores), wrk to
// its own core, 32 connections, with the imposter answering mountebank's default
// `Connection: close` (a new connection per request) and `Connection: keep-alive` (set in its
// defaultResponse; --connection picks one); servers take turns scenario by scenario, as bench/README.md
// asks on this drifting VM. Besides req/s (which a loaded machine drags down), each run reports
// the CPU time all the server's processes spent per request (main process, workers, Redis for a
// fleet, from /proc): a cost that load on other cores barely changes, and what the estimates
// for larger machines in docs/scale.md are made from.
//
//   node dist/bench/scale.js [--seconds 8] [--warmup 5] [--rounds 2] [--server-cores 0] [--wrk-core 1] [--connection close|keep-alive|both] [--fleet] [--out FILE]
//
// --out writes the summary (the table, the machine's load from `uptime` before and after, the
// setup) as markdown to FILE as well, for bench/results/.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, uptime as systemUptime } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWrk } from './wrk.js';
import type { Scenario } from './scenarios.js';

const args = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const at = args.indexOf(`--${name}`);
  return at === -1 ? fallback : args[at + 1]!;
};
const seconds = Number(flag('seconds', '8'));
// Each worker compiles its own code: a short warm-up leaves --workers 2 measured half cold (on a
// loaded machine, 1 s of warm-up made it cost 3-4 times the CPU per request it costs warm).
const warmup = Number(flag('warmup', '5'));
const rounds = Number(flag('rounds', '2'));
const serverCores = flag('server-cores', '0');
const wrkCore = flag('wrk-core', '1');
const out = flag('out', '');
const connection = flag('connection', 'both');
if (!['close', 'keep-alive', 'both'].includes(connection)) throw new Error('--connection is close, keep-alive or both');
/** What the imposters answer in their Connection header: mountebank's default closes each connection. */
const CONNECTIONS = connection === 'both' ? ['close', 'keep-alive'] : [connection];
const executable = fileURLToPath(new URL('../../bin/standin.js', import.meta.url));

interface Setup {
  name: string;
  flags: string[];
  /** Redis is started for it (fleet). */
  redis?: boolean;
}

const SETUPS: Setup[] = [
  { name: 'one process', flags: [] },
  { name: '--workers 1', flags: ['--workers', '1'] },
  { name: '--workers 2', flags: ['--workers', '2'] },
  ...(args.includes('--fleet') ? [{ name: '--fleet (1 member)', flags: [], redis: true }] : []),
];

const SCENARIOS: Scenario[] = [
  { name: 'one response', stubs: [{ responses: [{ is: { body: 'hello' } }] }], request: { method: 'GET', path: '/' } },
  {
    name: 'three responses (cycling)',
    stubs: [{ responses: [{ is: { body: 'hello' } }, { is: { body: 'hello' } }, { is: { body: 'hello' } }] }],
    request: { method: 'GET', path: '/' },
  },
];

let portSeed = 20_000 + (process.pid % 5_000);
const nextPort = () => portSeed++;

async function waitFor(url: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function startRedis(): Promise<{ url: string; pid: number; stop(): void }> {
  const port = nextPort();
  const child = spawn('taskset', ['-c', serverCores, 'redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  await new Promise((r) => setTimeout(r, 500));
  return { url: `redis://127.0.0.1:${port}/0`, pid: child.pid!, stop: () => child.kill('SIGKILL') };
}

/** CPU seconds (user + system) spent so far by `pid` and its child processes. */
function cpuSeconds(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return ticks / 100;
}

function processTree(pid: number): number[] {
  const out = [pid];
  const children = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((l) => l.trim() !== '');
  for (const child of children) out.push(...processTree(Number(child)));
  return out;
}

async function startServer(setup: Setup): Promise<{ admin: string; pids(): number[]; stop(): Promise<void>; redis?: { stop(): void } }> {
  const redis = setup.redis ? await startRedis() : undefined;
  const port = nextPort();
  const dir = mkdtempSync(join(tmpdir(), 'standin-bench-scale-'));
  const command = [executable, 'start', '--port', String(port), '--host', '127.0.0.1', '--nologfile', '--pidfile', join(dir, 'pid'), ...setup.flags];
  if (redis) command.push('--fleet', redis.url);
  const child: ChildProcess = spawn('taskset', ['-c', serverCores, process.execPath, ...command], { stdio: 'ignore', cwd: dir });
  const deadline = Date.now() + 20_000;
  while (!existsSync(join(dir, 'pid'))) {
    if (Date.now() > deadline) throw new Error(`${setup.name} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    admin: `http://127.0.0.1:${port}`,
    redis,
    pids: () => [...processTree(child.pid!), ...(redis ? [redis.pid] : [])],
    async stop() {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      redis?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What `uptime` prints of the load, read from the kernel as it does. */
const uptime = (): string =>
  `up ${(systemUptime() / 3600).toFixed(1)} h, load average: ${loadavg()
    .map((n) => n.toFixed(2))
    .join(', ')}`;

const cpuLine = () => readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1).map(Number);

async function main(): Promise<void> {
  spawnSync('npm', ['run', 'build'], { stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'standin-bench-wrk-'));
  const results = new Map<string, number[]>();
  const costs = new Map<string, number[]>();
  const before = cpuLine();
  const uptimeBefore = uptime();
  console.log(
    `# ${cpus().length} cores; servers on core(s) ${serverCores}, wrk on core ${wrkCore}; ${seconds}s per run, ${rounds} rounds; load average before: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')}`,
  );
  for (let round = 0; round < rounds; round++) {
    for (const [scenario, conn] of SCENARIOS.flatMap((s) => CONNECTIONS.map((c) => [s, c] as const))) {
      for (const setup of SETUPS) {
        const server = await startServer(setup);
        try {
          const port = nextPort();
          const created = await fetch(`${server.admin}/imposters`, {
            method: 'POST',
            body: JSON.stringify({
              protocol: 'http',
              port,
              stubs: scenario.stubs,
              ...(conn === 'keep-alive' ? { defaultResponse: { headers: { Connection: 'keep-alive' } } } : {}),
            }),
          });
          if (created.status !== 201) throw new Error(`${setup.name}: ${await created.text()}`);
          const url = `http://127.0.0.1:${port}${scenario.request.path}`;
          await waitFor(url);
          await runWrk(url, scenario, warmup, 32, dir, wrkCore);
          const pids = server.pids();
          const cpuBefore = cpuSeconds(pids);
          const result = await runWrk(url, scenario, seconds, 32, dir, wrkCore);
          const cpuPerRequest = ((cpuSeconds(pids) - cpuBefore) / (result.requestsPerSecond * seconds)) * 1e6;
          const key = `${scenario.name} | ${conn} | ${setup.name}`;
          results.set(key, [...(results.get(key) ?? []), result.requestsPerSecond]);
          costs.set(key, [...(costs.get(key) ?? []), cpuPerRequest]);
          console.log(
            `${key} | ${result.requestsPerSecond.toFixed(0)} req/s | ${cpuPerRequest.toFixed(1)} µs CPU/request (${pids.length} processes) | p50 ${result.p50Ms.toFixed(2)} ms | p99 ${result.p99Ms.toFixed(2)} ms | errors ${result.errors}`,
          );
        } finally {
          await server.stop();
        }
      }
    }
  }
  const after = cpuLine();
  const idle = (after[3]! - before[3]!) / after.reduce((s, v, i) => s + v - before[i]!, 0);
  console.log(
    `\n# median req/s over ${rounds} rounds (machine idle ${(idle * 100).toFixed(0)}% of the time during the runs; load average after: ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')})`,
  );
  // With an even number of rounds, the mean of the two middle runs (not the higher of them).
  const median = (values: number[]): number => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  const table = ['| scenario | Connection | server | req/s | CPU µs per request (all its processes) |', '|---|---|---|---:|---:|'];
  for (const [key, values] of results) {
    const [scenario, conn, setup] = key.split(' | ');
    table.push(`| ${scenario} | ${conn} | ${setup} | ${median(values).toFixed(0)} | ${median(costs.get(key)!).toFixed(1)} |`);
  }
  console.log(table.join('\n'));
  if (out !== '') {
    const report = [
      `# bench/scale.ts, ${new Date().toISOString()}`,
      '',
      `${cpus().length} cores; servers pinned to core(s) ${serverCores}, wrk to core ${wrkCore} (taskset); 32 connections, the imposters answering \`Connection: ${CONNECTIONS.join('` or `')}\`; ${seconds} s per run after ${warmup} s of warm-up, ${rounds} rounds, median shown; Node ${process.version}.`,
      '',
      'Load on the machine (`uptime`):',
      '',
      `- before: \`${uptimeBefore}\``,
      `- after: \`${uptime()}\``,
      `- idle during the runs: ${(idle * 100).toFixed(0)}% of the CPU time`,
      '',
      ...table,
      '',
    ];
    writeFileSync(out, report.join('\n'));
  }
  rmSync(dir, { recursive: true, force: true });
}

await main();
