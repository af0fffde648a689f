// Instructions a whole server spends per request, counted by valgrind's callgrind while requests
// arrive over real sockets on 127.0.0.1: node:http's parsing and writing are included, the
// kernel's work is not. Steady on a loaded machine where req/s is not, so `bare / standin` shows
// the share of node:http's own cost that standin reaches, like the req/s ratio of `npm run bench`.
// After a warm-up, each round zeroes the counters, sends exactly `requests` requests and reads the
// total; the table gives the median of the rounds and their spread.
// The servers run on the node that runs this script: run it with another node to compare versions.
//   node dist/bench/serverInstructions.js [--only TEXT|TEXT…] [--servers standin,bare,before] [--requests N]
//     [--warmup N] [--rounds N] [--before DIR] [--sse] [--listen full,summary]
// `before` is standin from another checkout's build (--before DIR), for a before/after.
// --sse keeps one client on standin's GET /events (the live event stream) while it is counted
// (both builds of standin, with --before); --listen names the clients instead, one per name:
// `full` (GET /events) or `summary` (GET /events?view=summary, what a dashboard page reads). The recordRequests scenario (the one whose requests
// make events) runs only when --only names it.
import http from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { callgrind, spread } from './callgrind.js';
import { scenarios, type Scenario } from './scenarios.js';
import { startServer, type RunningServer, type ServerKind } from './servers.js';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

type Column = ServerKind | 'before';
const only = option('--only');
const requests = Number(option('--requests') ?? 4_000);
const warmup = Number(option('--warmup') ?? 6_000);
const rounds = Number(option('--rounds') ?? 3);
const beforeRoot = option('--before');
const listeners = option('--listen')?.split(',').filter(Boolean) ?? (process.argv.includes('--sse') ? ['full'] : []);
for (const view of listeners) if (view !== 'full' && view !== 'summary') throw new Error(`--listen takes full or summary, not ${view}`);
const columns = (option('--servers') ?? (beforeRoot ? 'standin,before,bare' : 'standin,bare')).split(',') as Column[];
const CONCURRENCY = 4;
if (columns.includes('before') && !beforeRoot) throw new Error('--servers before needs --before DIR (a built checkout)');

/** `count` requests of the scenario over CONCURRENCY keep-alive connections. */
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

/** One client on GET /events in a view, reading (and dropping) whatever it is sent until closed. */
function listen(server: RunningServer, view: string): Promise<() => void> {
  return new Promise((done, fail) => {
    const req = http.get(`${server.adminUrl}/events${view === 'summary' ? '?view=summary' : ''}`, (res) => {
      if (res.statusCode !== 200) return fail(new Error(`GET /events answered ${res.statusCode}`));
      res.resume();
      done(() => req.destroy());
    });
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' ? undefined : fail(err)));
  });
}

async function main(): Promise<void> {
  const wanted = only?.split('|');
  const named = (s: Scenario) => wanted?.some((w) => s.name.includes(w)) ?? false;
  const chosen = scenarios.filter((s) => (!wanted || named(s)) && typeof s.stubs !== 'function' && !s.api && (!s.sampleRss || named(s)));
  const perRequest = new Map<string, Partial<Record<Column, number[]>>>();
  for (const column of columns) {
    const counter = callgrind();
    const kind: ServerKind = column === 'before' ? 'standin' : column;
    const root = column === 'before' ? resolve(beforeRoot!) : repoRoot;
    const server = await startServer(kind, root, '0', { wrapper: counter.wrapper, startupMs: 1_200_000 });
    const stops = kind === 'standin' ? await Promise.all(listeners.map((view) => listen(server, view))) : [];
    try {
      for (const scenario of chosen) {
        if (scenario.skip?.includes(kind)) continue;
        await server.load(scenario, '');
        await drive(server, scenario, warmup); // JIT tiers settle before counting
        counter.instrument(server.pid, true);
        const counts: number[] = [];
        for (let round = 0; round < rounds; round++) {
          counter.zero(server.pid);
          await drive(server, scenario, requests);
          counts.push(counter.dump(server.pid) / requests);
        }
        counter.instrument(server.pid, false);
        perRequest.set(scenario.name, { ...perRequest.get(scenario.name), [column]: counts });
        process.stderr.write(`${column.padEnd(8)} ${scenario.name.padEnd(30)} ${spread(counts).text} instructions per request\n`);
      }
    } finally {
      for (const stop of stops) stop();
      await server.stop();
      counter.remove();
    }
  }
  const listening = listeners.length > 0 ? `, standin with clients on GET /events: ${listeners.join(', ')}` : '';
  console.log(
    `\nnode ${process.version}: instructions per request (callgrind; median of ${rounds} rounds of ${requests} requests after ${warmup}, min–max; ${CONCURRENCY} keep-alive connections${listening})\n`,
  );
  const ratios = [...(columns.includes('bare') ? ['bare / standin'] : []), ...(columns.includes('before') ? ['standin / before'] : [])];
  console.log(`| scenario | ${[...columns, ...ratios].join(' | ')} |`);
  console.log(`|---|${[...columns, ...ratios].map(() => '---:|').join('')}`);
  for (const [name, row] of perRequest) {
    const median = (c: Column) => (row[c] ? spread(row[c]!).median : undefined);
    const ratio = (a: Column, b: Column) => (median(a) && median(b) ? `${(median(a)! / median(b)!).toFixed(3)}x` : '-');
    const cells = columns.map((c) => (row[c] ? spread(row[c]!).text : '-'));
    if (columns.includes('bare')) cells.push(ratio('bare', 'standin'));
    if (columns.includes('before')) cells.push(ratio('standin', 'before'));
    console.log(`| ${name} | ${cells.join(' | ')} |`);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
