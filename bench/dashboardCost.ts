// What an open dashboard page costs the imposter path: wrk runs against one imposter, taking
// turns with and without a Chromium page on that imposter (its live request stream and its
// polling), same server, same scenario. Reports req/s and the server's CPU time per request
// (utime + stime from /proc over the run, divided by the requests served), which moves less than
// req/s on a shared machine.
//   node dist/bench/dashboardCost.js [--rounds N] [--seconds S] [--only TEXT]   (after npm run build)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { scenarios } from './scenarios.js';
import { startServer } from './servers.js';
import { runWrk } from './wrk.js';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const option = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
};
const rounds = Number(option('--rounds') ?? 4);
const seconds = Number(option('--seconds') ?? 5);
const only = option('--only');
const chosen = scenarios.filter((s) => (only ? s.name.includes(only) : s.name === 'simple stub' || s.name === 'recordRequests'));

/** CPU seconds the process has used (user + system). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ 100)
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const dir = mkdtempSync(join(tmpdir(), 'standin-dashboard-cost-'));
const server = await startServer('standin', repoRoot, '0');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage'] });
try {
  for (const scenario of chosen) {
    await server.load(scenario, server.url);
    const port = new URL(server.url).port;
    const target = `${server.url}${scenario.request.path}`;
    await runWrk(target, scenario, 2, 32, dir, '1'); // warm-up
    const results: Record<'closed' | 'open', Array<{ rps: number; cpuUsPerRequest: number }>> = { closed: [], open: [] };
    for (let round = 0; round < rounds; round++) {
      for (const mode of round % 2 === 0 ? (['closed', 'open'] as const) : (['open', 'closed'] as const)) {
        const page = mode === 'open' ? await browser.newPage() : undefined;
        if (page) {
          await page.goto(`${server.adminUrl}/imposters/${port}`);
          await page.getByText('live', { exact: true }).waitFor({ timeout: 30_000 });
        }
        const before = cpuSeconds(server.pid);
        const result = await runWrk(target, scenario, seconds, 32, dir, '1');
        const used = cpuSeconds(server.pid) - before;
        await page?.close();
        const requests = result.requestsPerSecond * seconds;
        results[mode].push({ rps: result.requestsPerSecond, cpuUsPerRequest: (used / requests) * 1e6 });
      }
    }
    for (const mode of ['closed', 'open'] as const) {
      const rows = results[mode];
      console.log(
        `${scenario.name}, page ${mode}: median ${median(rows.map((r) => r.rps)).toFixed(0)} req/s, ${median(rows.map((r) => r.cpuUsPerRequest)).toFixed(1)} µs CPU/request ` +
          `(runs: ${rows.map((r) => `${r.rps.toFixed(0)}/${r.cpuUsPerRequest.toFixed(1)}`).join(', ')})`,
      );
    }
  }
} finally {
  await browser.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
