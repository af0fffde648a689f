// In-process microbenchmark of Imposter.handle() over the bench scenarios' stubs: no sockets, so
// it isolates standin's own per-request work (request object excluded) from node's HTTP
// machinery, and is steadier than wrk on a shared machine. Reports nanoseconds per call.
//   node dist/bench/handleMicro.js [--only TEXT|TEXT…] [--calls N] [--rounds N] [--warmup N] [--loglevel info]
//     [--listen full,summary,…] [--batch N]
// --listen connects event-stream clients (as GET /events, `summary` as the dashboard's
// `view=summary`) to the imposters' event log, each writing into a sink that encodes what it is
// sent as a socket would; the calls then run `--batch` at a time (64 unless given) with a pause
// between batches long enough for the log's delivery, so each delivery carries one batch, as
// under load. Compare with a run given the same --batch and no --listen (the pauses cost too).
// Timings move with the machine's load; bench/instructions.sh counts instructions instead, with
// --stepped: before each round the process says `ready` on stdout and waits for a line on stdin,
// after it says `done`, so a controller can zero and read callgrind's counters around exactly
// `calls` calls (microInstructions.ts).
import type { ServerResponse } from 'node:http';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { openEventStream } from '../src/admin/eventStream.js';
import { DELIVERY_MS, EventLog, type LoggedEvent } from '../src/events/eventLog.js';
import { compileImposter } from '../src/core/compileImposter.js';
import type { ImposterSettings } from '../src/core/imposter.js';
import { Logger } from '../src/logging/logger.js';
import type { LogLevel } from '../src/logging/logEntry.js';
import type { HttpRequest } from '../src/model/request.js';
import { registries } from '../src/server/registries.js';
import { createInstanceResources } from '../src/server/instanceResources.js';
import { parseQuery } from '../src/protocols/http/httpRequest.js';
import { scenarios } from './scenarios.js';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

const only = option('--only');
const calls = Number(option('--calls') ?? 200_000);
const rounds = Number(option('--rounds') ?? 5);
const warmup = Number(option('--warmup') ?? calls / 4);
const stepped = process.argv.includes('--stepped');
const listeners = option('--listen')?.split(',').filter(Boolean) ?? [];
// Batches (with a pause after each) also without listeners when --batch is given: the baseline to compare with.
const batched = listeners.length > 0 || option('--batch') !== undefined;
const batch = Number(option('--batch') ?? 64);
const events = listeners.length > 0 ? new EventLog() : undefined;
const settings: ImposterSettings = {
  debug: false,
  mock: false,
  journalCap: 1000,
  allowInjection: false,
  proxyTimeout: 1000,
  injectionTimeout: 1000,
  stallLimit: 50,
  instance: createInstanceResources(),
  events,
};
/** What a socket does with a write: encode the text (the bytes are dropped). */
const sink = {
  writeHead: () => sink,
  write: (text: string) => Buffer.from(text).length > 0,
  once: () => sink,
  on: () => sink,
} as unknown as ServerResponse;
const everything = (event: LoggedEvent) => event.family === 'requests' || event.family === 'lifecycle';
for (const view of listeners) {
  if (view !== 'full' && view !== 'summary') throw new Error(`--listen takes full or summary, not ${view}`);
  openEventStream(sink, events!, { accepts: everything, lastEventId: null, hello: {}, headers: {}, view });
}
// At info, a miss is explained (the closest stub) as the server does at its default level.
const logger = new Logger({ level: (option('--loglevel') ?? 'warn') as LogLevel, logfile: null, console: false });
const input = stepped ? createInterface({ input: process.stdin }) : undefined;
const lines = input?.[Symbol.asyncIterator]();
/** Work queued by the calls (a miss's explanation runs in a microtask) is done before `done`. */
const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function requestOf(scenario: (typeof scenarios)[number]): () => HttpRequest {
  const { method, path, headers = {}, body = '' } = scenario.request;
  const q = path.indexOf('?');
  return () => ({
    requestFrom: '127.0.0.1:50000',
    method,
    path: q === -1 ? path : path.slice(0, q),
    query: q === -1 ? {} : parseQuery(path.slice(q + 1)),
    headers: { Host: '127.0.0.1', ...headers },
    body,
    ip: '127.0.0.1',
  });
}

for (const scenario of scenarios) {
  if (only && !only.split('|').some((text) => scenario.name.includes(text))) continue;
  if (typeof scenario.stubs === 'function' || scenario.micro === false) continue; // proxies need a network
  const imposter = compileImposter({ protocol: 'http', stubs: scenario.stubs, ...scenario.imposter }, registries, settings, logger);
  const make = requestOf(scenario);
  const requests = Array.from({ length: 64 }, make);
  const runSync = (n: number) => {
    // Outcomes are synchronous for these scenarios; nothing to await.
    for (let i = 0; i < n; i++) void imposter.handle(requests[i & 63]!);
  };
  // With listeners, a pause after each batch lets the log deliver it (a timer of DELIVERY_MS).
  const run = async (n: number) => {
    if (!batched) return runSync(n);
    for (let done = 0; done < n; done += batch) {
      runSync(Math.min(batch, n - done));
      await sleep(DELIVERY_MS + 5);
    }
  };
  await run(warmup); // let V8 optimize first
  await settled();
  if (lines) {
    for (let round = 0; round < rounds; round++) {
      process.stdout.write(`ready ${scenario.name}\n`);
      if ((await lines.next()).done) process.exit(1);
      await run(calls);
      await settled();
      process.stdout.write('done\n');
    }
    continue;
  }
  const best: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // With listeners the pauses between batches are not the calls' time: count CPU time instead.
    const started = process.hrtime.bigint();
    const cpu = process.cpuUsage();
    await run(calls);
    await settled(); // what the calls queued (a miss's explanation) counts too
    const used = process.cpuUsage(cpu);
    best.push((!batched ? Number(process.hrtime.bigint() - started) : (used.user + used.system) * 1000) / calls);
  }
  best.sort((a, b) => a - b);
  console.log(`${scenario.name.padEnd(36)} ${best[0]!.toFixed(0).padStart(7)} ns/call (median ${best[best.length >> 1]!.toFixed(0)})`);
}
input?.close();
