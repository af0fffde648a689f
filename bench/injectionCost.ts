// What one injected call costs, in-process (no sockets): the compiled function called directly,
// through runSync without a time limit (--injectionTimeout 0), and through runSync with one (the
// default). node:vm's `timeout` starts a watchdog thread per call, which is most of the cost.
// Run: npm run build && node dist/bench/injectionCost.js
import { compileScript, runSync, runWithCallback } from '../src/injection/index.js';

const fn = compileScript('function (config) { return { statusCode: 200, body: config.request.path }; }', 'bench');
const config = { request: { method: 'GET', path: '/hello', query: {}, headers: {}, body: '' } };
const N = 20_000;

function measure(name: string, call: () => unknown): void {
  for (let i = 0; i < 1_000; i++) call();
  const started = process.hrtime.bigint();
  for (let i = 0; i < N; i++) call();
  const ns = Number(process.hrtime.bigint() - started) / N;
  console.log(`${name.padEnd(42)} ${(ns / 1000).toFixed(2).padStart(8)} µs/call`);
}

measure('direct call', () => fn(config));
measure('runSync, no time limit', () => runSync(fn, [config], 0));
measure('runSync, 10 s time limit (default)', () => runSync(fn, [config], 10_000));

const started = process.hrtime.bigint();
for (let i = 0; i < N; i++) await runWithCallback(fn, () => [config], 10_000);
console.log(`${'runWithCallback (inject response), 10 s'.padEnd(42)} ${(Number(process.hrtime.bigint() - started) / N / 1000).toFixed(2).padStart(8)} µs/call`);
