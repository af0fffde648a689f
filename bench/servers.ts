// Starting and stopping the servers under test, each pinned to the server core.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { join } from 'node:path';
import type { Scenario } from './scenarios.js';

export type ServerKind = 'standin' | 'mountebank' | 'bare';

export interface RunningServer {
  kind: ServerKind;
  pid: number;
  /** Where the scenario's requests go. */
  url: string;
  /** The admin API (the bare server's control port). */
  adminUrl: string;
  /** Creates the scenario's imposter; the bare server is told the body to answer with. */
  load(scenario: Scenario, origin: string): Promise<void>;
  /** Peak resident memory so far, in MiB (VmHWM). */
  peakRssMiB(): number;
  /** Resident memory now, in MiB (VmRSS). */
  rssMiB(): number;
  stop(): Promise<void>;
}

/** A free port below Linux's ephemeral range, so wrk's TIME_WAIT sockets never hold it. */
export async function freeLowPort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
}

/** One request on a fresh connection; a JSON body when `body` is not a string. */
export function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const contentType = typeof body === 'string' || data === undefined ? {} : { 'Content-Type': 'application/json' };
    const length = data === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(data)) };
    const req = http.request(url, { method, agent: false, headers: { ...contentType, ...headers, ...length } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    if (data !== undefined) req.write(data);
    req.end();
  });
}

async function waitUntilAnswering(url: string, child: ChildProcess, output: () => string, startupMs: number): Promise<void> {
  const deadline = Date.now() + startupMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output()}`);
    try {
      await call('GET', url);
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`server did not answer ${url}:\n${output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

export interface StartOptions {
  /** A command the server runs under, e.g. valgrind with its flags. */
  wrapper?: string[];
  /** How long the server may take to answer its first request (default 20 s). */
  startupMs?: number;
}

export async function startServer(kind: ServerKind, repoRoot: string, core: string, options: StartOptions = {}): Promise<RunningServer> {
  const adminPort = await freeLowPort();
  const imposterPort = await freeLowPort();
  const host = '127.0.0.1';
  let command: string[];
  if (kind === 'standin') {
    command = [
      join(repoRoot, 'bin', 'standin.js'),
      'start',
      '--port',
      String(adminPort),
      '--host',
      host,
      '--nologfile',
      '--pidfile',
      `/tmp/standin-bench-${adminPort}.pid`,
      '--allowInjection',
    ];
  } else if (kind === 'mountebank') {
    command = [
      join(repoRoot, 'node_modules', 'mountebank', 'bin', 'mb'),
      'start',
      '--port',
      String(adminPort),
      '--host',
      host,
      '--nologfile',
      '--pidfile',
      `/tmp/mb-bench-${adminPort}.pid`,
      '--allowInjection',
    ];
  } else {
    command = [join(repoRoot, 'dist', 'bench', 'bareServer.js'), String(imposterPort), String(adminPort)];
  }
  // Both mock servers run at their default log level, output discarded: what users get.
  // --allowInjection: scenarios with templates or scripts need it; it costs nothing elsewhere.
  const child = spawn('taskset', ['-c', core, ...(options.wrapper ?? []), process.execPath, ...command], { stdio: ['ignore', 'ignore', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const imposterUrl = `http://${host}:${imposterPort}`;
  const adminUrl = `http://${host}:${adminPort}`;
  try {
    await waitUntilAnswering(kind === 'bare' ? imposterUrl : `${adminUrl}/`, child, () => output, options.startupMs ?? 20_000);
  } catch (err) {
    child.kill('SIGKILL'); // a server that never answered would keep the benchmark from exiting
    throw err;
  }
  const memory = (field: string) => {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
    return kb ? Number(kb[1]) / 1024 : NaN;
  };

  return {
    kind,
    pid: child.pid!,
    url: imposterUrl,
    adminUrl,
    async load(scenario, origin) {
      if (kind === 'bare') {
        await call('PUT', adminUrl, scenario.responseBody ?? 'hello');
        return;
      }
      await call('DELETE', `${adminUrl}/imposters`);
      if (scenario.api) return;
      const stubs = typeof scenario.stubs === 'function' ? scenario.stubs(origin) : scenario.stubs;
      const definition = { protocol: 'http', port: imposterPort, ...scenario.imposter, stubs };
      const res = await call('POST', `${adminUrl}/imposters`, definition);
      if (res.status !== 201) throw new Error(`${kind} refused the imposter: ${res.status} ${res.text}`);
    },
    peakRssMiB: () => memory('VmHWM'),
    rssMiB: () => memory('VmRSS'),
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
