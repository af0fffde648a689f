// `npm run bench`: standin, mountebank 2.9.1 and a bare node:http server, one after another,
// each on core 0 with wrk on core 1, through the same scenarios. Prints one table.
//   --quick            short warm-up and run
//   --only TEXT        scenarios whose name contains TEXT
//   --servers A,B      only these servers (standin, mountebank, bare), e.g. for before/after runs
//   --connections N    wrk connections (default 32)
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scenarios, type Scenario } from './scenarios.js';
import { call, startServer, type RunningServer, type ServerKind } from './servers.js';
import { runWrk, type WrkResult } from './wrk.js';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const SERVER_CORE = '0';
const LOAD_CORE = '1';
const ALL_KINDS: ServerKind[] = ['standin', 'mountebank', 'bare'];

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

const quick = process.argv.includes('--quick');
const warmupSeconds = quick ? 1 : 2;
const runSeconds = quick ? 2 : 8;
const connections = Number(option('--connections') ?? 32);
const only = option('--only');
const KINDS =
  option('--servers')
    ?.split(',')
    .filter((k): k is ServerKind => ALL_KINDS.includes(k as ServerKind)) ?? ALL_KINDS;

interface Row {
  scenario: Scenario;
  results: Partial<Record<ServerKind, WrkResult & { rssMiB: number }>>;
  /** RSS once a second during the run (scenarios with sampleRss). */
  rssSamples: Partial<Record<ServerKind, number[]>>;
}

function requireTools(): void {
  for (const tool of ['wrk', 'taskset']) {
    try {
      execFileSync('which', [tool], { stdio: 'ignore' });
    } catch {
      console.error(`bench needs ${tool}: apt-get install -y ${tool === 'wrk' ? 'wrk' : 'util-linux'}`);
      process.exit(1);
    }
  }
}

/** Every server must give the scenario's answer before it is measured. */
async function checkAnswer(server: RunningServer, scenario: Scenario): Promise<void> {
  const { method, path, headers, body } = scenario.request;
  const res = await call(method, `${server.url}${path}`, body, headers);
  const expected = scenario.expect ? scenario.expect(res.text, server.kind) : res.text === (scenario.responseBody ?? 'hello');
  if (res.status !== 200 || !expected) {
    throw new Error(`${server.kind} answered "${scenario.name}" with ${res.status} ${JSON.stringify(res.text.slice(0, 200))}, not the stub`);
  }
}

/** The admin API churn, driven from the load core by apiChurn.js. */
function runApiChurn(server: RunningServer, api: NonNullable<Scenario['api']>): Promise<WrkResult> {
  const script = join(repoRoot, 'dist', 'bench', 'apiChurn.js');
  const args = ['-c', LOAD_CORE, process.execPath, script, server.adminUrl, String(api.imposters), String(api.stubsEach)];
  return new Promise((resolve, reject) => {
    execFile('taskset', args, { timeout: 300_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`API churn failed against ${server.kind}: ${err.message}\n${stderr}`));
      resolve(JSON.parse(stdout) as WrkResult);
    });
  });
}

/** Runs wrk for the measured run, sampling the server's RSS once a second when asked. */
async function measure(server: RunningServer, scenario: Scenario, dir: string): Promise<{ result: WrkResult; samples: number[] }> {
  const url = `${server.url}${scenario.request.path}`;
  const samples: number[] = [];
  const timer = scenario.sampleRss ? setInterval(() => samples.push(server.rssMiB()), 1000) : undefined;
  try {
    const result = await runWrk(url, scenario, runSeconds, connections, dir, LOAD_CORE);
    samples.push(server.rssMiB());
    return { result, samples };
  } finally {
    clearInterval(timer);
  }
}

const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const ratio = (a?: number, b?: number) => (a && b ? `${(a / b).toFixed(2)}x` : '-');

async function main(): Promise<void> {
  requireTools();
  const dir = mkdtempSync(join(tmpdir(), 'standin-bench-'));
  const chosen = scenarios.filter((s) => !only || s.name.includes(only));
  const rows: Row[] = chosen.map((s) => ({ scenario: s, results: {}, rssSamples: {} }));
  // The origin of proxy scenarios: a bare server sharing the server core, the same for every server.
  const origin = await startServer('bare', repoRoot, SERVER_CORE);
  try {
    for (const kind of KINDS) {
      const server = await startServer(kind, repoRoot, SERVER_CORE);
      try {
        for (const [i, scenario] of chosen.entries()) {
          if (scenario.skip?.includes(kind) || (scenario.api && kind === 'bare')) continue;
          await server.load(scenario, origin.url);
          let result: WrkResult;
          if (scenario.api) {
            result = await runApiChurn(server, scenario.api);
          } else {
            await checkAnswer(server, scenario);
            await runWrk(`${server.url}${scenario.request.path}`, scenario, warmupSeconds, connections, dir, LOAD_CORE);
            const measured = await measure(server, scenario, dir);
            result = measured.result;
            if (scenario.sampleRss) rows[i]!.rssSamples[kind] = measured.samples;
          }
          rows[i]!.results[kind] = { ...result, rssMiB: server.peakRssMiB() };
          process.stderr.write(`${kind.padEnd(10)} ${scenario.name.padEnd(30)} ${fmt(result.requestsPerSecond)} req/s\n`);
        }
      } finally {
        await server.stop();
      }
    }
  } finally {
    await origin.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  console.log(
    `\n${connections} connections, keep-alive, ${warmupSeconds}s warm-up, ${runSeconds}s run; servers on core ${SERVER_CORE}, wrk on core ${LOAD_CORE}; node ${process.version}\n`,
  );
  console.log('| scenario | server | req/s | p50 ms | p99 ms | errors | peak RSS MiB |');
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const row of rows) {
    for (const kind of KINDS) {
      const r = row.results[kind];
      if (!r) continue;
      console.log(
        `| ${row.scenario.name} | ${kind} | ${fmt(r.requestsPerSecond)} | ${fmt(r.p50Ms, 2)} | ${fmt(r.p99Ms, 2)} | ${r.errors} | ${fmt(r.rssMiB, 1)} |`,
      );
    }
  }
  // bare / mountebank is the ceiling for standin / mountebank on this machine: no node:http
  // server answers faster than the bare one.
  console.log('\n| scenario | standin / mountebank | standin / bare | bare / mountebank (ceiling) |');
  console.log('|---|---:|---:|---:|');
  for (const row of rows) {
    const s = row.results.standin?.requestsPerSecond;
    const m = row.results.mountebank?.requestsPerSecond;
    const b = row.results.bare?.requestsPerSecond;
    console.log(`| ${row.scenario.name} | ${ratio(s, m)} | ${ratio(s, b)} | ${ratio(b, m)} |`);
  }
  for (const row of rows.filter((r) => r.scenario.sampleRss)) {
    console.log(`\nRSS MiB once a second during "${row.scenario.name}":`);
    for (const kind of KINDS) {
      const samples = row.rssSamples[kind];
      if (samples) console.log(`- ${kind}: ${samples.map((n) => n.toFixed(0)).join(', ')}`);
    }
  }
  if (rows.some((r) => r.scenario.api)) {
    console.log('\n"create+delete" counts admin API calls: req/s is calls per second, p50/p99 per call.');
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
