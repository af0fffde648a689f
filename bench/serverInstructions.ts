// Instructions a whole server spends per request, counted by valgrind's callgrind while requests
// arrive over real sockets on 127.0.0.1: node:http's parsing and writing are included, the
// kernel's work is not. Steady on a loaded machine where req/s is not, so `bare / standin` shows
// the share of node:http's own cost that standin reaches, like the req/s ratio of `npm run bench`.
// The servers run on the node that runs this script: run it with another node to compare versions.
//   node dist/bench/serverInstructions.js [--only TEXT] [--servers standin,bare] [--requests N] [--warmup N]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scenarios, type Scenario } from './scenarios.js';
import { startServer, type RunningServer, type ServerKind } from './servers.js';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

const only = option('--only');
const requests = Number(option('--requests') ?? 4_000);
const warmup = Number(option('--warmup') ?? 6_000);
const kinds = (option('--servers') ?? 'standin,bare').split(',') as ServerKind[];
const CONCURRENCY = 4;

/** `requests` requests of the scenario over CONCURRENCY keep-alive connections. */
async function drive(server: RunningServer, scenario: Scenario, count: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const { method, path, headers = {}, body } = scenario.request;
  const length = body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(body)) };
  // Under valgrind a compile or GC pause can outlast the server's keep-alive timer, which then
  // closes a connection a request is already on its way to: that request is sent again.
  const one = (retries = 3): Promise<void> =>
    new Promise<void>((done, fail) => {
      const req = http.request(`${server.url}${path}`, { method, agent, headers: { ...headers, ...length } }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? done() : fail(new Error(`${server.kind} answered ${res.statusCode}`))));
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ECONNRESET' && retries > 0) one(retries - 1).then(done, fail);
        else fail(err);
      });
      req.end(body);
    });
  let sent = 0;
  const worker = async () => {
    while (sent < count) {
      sent++;
      await one();
    }
  };
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  } finally {
    agent.destroy();
  }
}

/** Instructions (Ir) of the process since the last zeroing, from a callgrind dump. */
function dumpInstructions(pid: number, dir: string): number {
  const before = new Set(readdirSync(dir));
  execFileSync('callgrind_control', ['--dump', String(pid)], { stdio: 'ignore' });
  const dump = readdirSync(dir).find((f) => !before.has(f));
  if (!dump) throw new Error('callgrind wrote no dump');
  const totals = /^(?:summary|totals): (\d+)/m.exec(readFileSync(join(dir, dump), 'utf8'));
  if (!totals) throw new Error(`no instruction total in ${dump}`);
  return Number(totals[1]);
}

async function main(): Promise<void> {
  const chosen = scenarios.filter((s) => (!only || s.name.includes(only)) && typeof s.stubs !== 'function' && !s.api && !s.sampleRss);
  const perRequest = new Map<string, Partial<Record<ServerKind, number>>>();
  for (const kind of kinds) {
    const dir = mkdtempSync(join(tmpdir(), 'standin-callgrind-'));
    const wrapper = ['valgrind', '--tool=callgrind', `--callgrind-out-file=${join(dir, 'callgrind.out')}`, '--dump-instr=no'];
    const server = await startServer(kind, repoRoot, '0', { wrapper, startupMs: 1_200_000 });
    try {
      for (const scenario of chosen) {
        if (scenario.skip?.includes(kind)) continue;
        await server.load(scenario, '');
        await drive(server, scenario, warmup); // JIT tiers settle before counting
        execFileSync('callgrind_control', ['--zero', String(server.pid)], { stdio: 'ignore' });
        await drive(server, scenario, requests);
        const ir = dumpInstructions(server.pid, dir) / requests;
        perRequest.set(scenario.name, { ...perRequest.get(scenario.name), [kind]: ir });
        process.stderr.write(`${kind.padEnd(8)} ${scenario.name.padEnd(30)} ${Math.round(ir)} instructions per request\n`);
      }
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`\nnode ${process.version}: instructions per request (callgrind, ${requests} requests after ${warmup}, ${CONCURRENCY} keep-alive connections)\n`);
  console.log(`| scenario | ${kinds.join(' | ')} | bare / standin |`);
  console.log(`|---|${kinds.map(() => '---:|').join('')}---:|`);
  for (const [name, row] of perRequest) {
    const share = row.bare && row.standin ? `${(row.bare / row.standin).toFixed(2)}x` : '-';
    console.log(`| ${name} | ${kinds.map((k) => (row[k] ? Math.round(row[k]!).toLocaleString('en') : '-')).join(' | ')} | ${share} |`);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
