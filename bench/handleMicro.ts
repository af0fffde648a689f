// In-process microbenchmark of Imposter.handle() over the bench scenarios' stubs: no sockets, so
// it isolates standin's own per-request work (request object excluded) from node's HTTP
// machinery, and is steadier than wrk on a shared machine. Reports nanoseconds per call.
//   node dist/bench/handleMicro.js [--only TEXT|TEXT…] [--calls N] [--rounds N] [--warmup N] [--loglevel info]
// Timings move with the machine's load; bench/instructions.sh counts instructions instead, with
// --stepped: before each round the process says `ready` on stdout and waits for a line on stdin,
// after it says `done`, so a controller can zero and read callgrind's counters around exactly
// `calls` calls (microInstructions.ts).
import { createInterface } from 'node:readline';
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
const settings: ImposterSettings = {
  debug: false,
  mock: false,
  journalCap: 1000,
  allowInjection: false,
  proxyTimeout: 1000,
  injectionTimeout: 1000,
  stallLimit: 50,
  instance: createInstanceResources(),
};
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
  const run = (n: number) => {
    // Outcomes are synchronous for these scenarios; nothing to await.
    for (let i = 0; i < n; i++) void imposter.handle(requests[i & 63]!);
  };
  run(warmup); // let V8 optimize first
  await settled();
  if (lines) {
    for (let round = 0; round < rounds; round++) {
      process.stdout.write(`ready ${scenario.name}\n`);
      if ((await lines.next()).done) process.exit(1);
      run(calls);
      await settled();
      process.stdout.write('done\n');
    }
    continue;
  }
  const best: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = process.hrtime.bigint();
    run(calls);
    await settled(); // what the calls queued (a miss's explanation) counts too
    best.push(Number(process.hrtime.bigint() - started) / calls);
  }
  best.sort((a, b) => a - b);
  console.log(`${scenario.name.padEnd(36)} ${best[0]!.toFixed(0).padStart(7)} ns/call (median ${best[best.length >> 1]!.toFixed(0)})`);
}
input?.close();
