// Runs wrk on its own core and reads its report.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from './scenarios.js';

export interface WrkResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

const luaString = (s: string) => JSON.stringify(s); // a JSON string literal is a valid Lua string here

function script(scenario: Scenario, dir: string): string {
  const { method, headers = {}, body } = scenario.request;
  const lines = [`wrk.method = ${luaString(method)}`];
  if (body !== undefined) lines.push(`wrk.body = ${luaString(body)}`);
  for (const [name, value] of Object.entries(headers)) lines.push(`wrk.headers[${luaString(name)}] = ${luaString(value)}`);
  const file = join(dir, `${scenario.name.replace(/\W+/g, '-')}.lua`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

function toMs(value: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(value.trim());
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === 'us' ? n / 1000 : m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : n * 60_000;
}

export function runWrk(url: string, scenario: Scenario, seconds: number, connections: number, dir: string, core: string): Promise<WrkResult> {
  const args = ['-c', core, 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script(scenario, dir), url];
  return new Promise((resolve, reject) => {
    execFile('taskset', args, { timeout: (seconds + 30) * 1000 }, (err, stdout) => {
      if (err) return reject(new Error(`wrk failed: ${err.message}\n${stdout}`));
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
      const p50 = /^\s+50%\s+(\S+)/m.exec(stdout);
      const p99 = /^\s+99%\s+(\S+)/m.exec(stdout);
      const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout);
      const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
      const socketErrors = socket ? socket.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
      resolve({
        requestsPerSecond: rps ? Number(rps[1]) : 0,
        p50Ms: p50 ? toMs(p50[1]!) : NaN,
        p99Ms: p99 ? toMs(p99[1]!) : NaN,
        errors: (non2xx ? Number(non2xx[1]) : 0) + socketErrors,
      });
    });
  });
}
