// Runs `standin imposter DIR` (the real executable) on free ports over a temp config directory,
// and real upstream servers on 127.0.0.1 that record exactly what reached them.
import http from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnCli, tempDir, waitForPidfile, type Finished, type Running } from './cliHarness.js';
import { freePort } from './http.js';

export interface ImposterServer {
  url: string;
  port: number;
  adminUrl: string;
  dir: string;
  running: Running;
  /** Everything the process printed so far. */
  output(): string;
  stop(): Promise<Finished>;
}

/** Writes `files` (name → text) into a fresh directory and serves it; throws with the output if startup fails. */
export async function startImposter(
  files: Record<string, string | Buffer>,
  env: Record<string, string> = {},
  extraArgs: string[] = [],
): Promise<ImposterServer> {
  const tmp = tempDir();
  writeFiles(tmp.dir, files);
  const port = await freePort();
  const adminPort = await freePort();
  const pidfile = join(tmp.dir, 'standin.pid');
  const args = [
    'imposter',
    tmp.dir,
    '--port',
    String(port),
    '--adminPort',
    String(adminPort),
    '--host',
    '127.0.0.1',
    '--pidfile',
    pidfile,
    '--nologfile',
    ...extraArgs,
  ];
  const running = spawnCli(args, tmp.dir, env);
  const output = () => running.stdout() + running.stderr();
  if (!(await waitForPidfile(running, pidfile, 30_000))) {
    tmp.cleanup();
    throw new Error(`standin imposter exited before it was ready:\n${output()}`);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    dir: tmp.dir,
    running,
    output,
    async stop() {
      const finished = await running.stop();
      tmp.cleanup();
      return finished;
    },
  };
}

/** Names may hold subdirectories (`data/pet.json`). */
function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

/** Runs `standin imposter` over a config expected to be refused; resolves with how it exited. */
export async function refusedImposter(files: Record<string, string>, env: Record<string, string> = {}): Promise<Finished> {
  const tmp = tempDir();
  try {
    writeFiles(tmp.dir, files);
    const port = await freePort();
    const adminPort = await freePort();
    const running = spawnCli(
      ['imposter', tmp.dir, '--port', String(port), '--adminPort', String(adminPort), '--host', '127.0.0.1', '--pidfile', join(tmp.dir, 'pid'), '--nologfile'],
      tmp.dir,
      env,
    );
    const timer = setTimeout(() => void running.stop(), 30_000);
    const finished = await running.exited;
    clearTimeout(timer);
    return finished;
  } finally {
    tmp.cleanup();
  }
}

export interface Received {
  method: string;
  url: string;
  rawHeaders: string[];
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface Upstream {
  url: string;
  port: number;
  received: Received[];
  /** The last request received. */
  last(): Received;
  close(): Promise<void>;
}

export type Route = (req: Received, res: http.ServerResponse) => void;

/**
 * An origin on 127.0.0.1 that records each request as received, then answers with the route
 * whose path prefix matches (longest first), else a JSON echo of the request.
 */
export async function startUpstream(routes: Record<string, Route> = {}): Promise<Upstream> {
  const received: Received[] = [];
  const prefixes = Object.keys(routes).sort((a, b) => b.length - a.length);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const record: Received = { method: req.method ?? '', url: req.url ?? '', rawHeaders: req.rawHeaders, headers: req.headers, body: Buffer.concat(chunks) };
      received.push(record);
      const prefix = prefixes.find((p) => record.url.includes(p));
      if (prefix) return routes[prefix]!(record, res);
      res.writeHead(200, { 'Content-Type': 'application/json', 'X-Upstream': String(port) });
      res.end(JSON.stringify({ method: record.method, url: record.url, body: record.body.toString('utf8') }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    last() {
      const r = received[received.length - 1];
      if (!r) throw new Error('the upstream received nothing');
      return r;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The header names a request carried, lower-cased. */
export const headerNames = (rawHeaders: string[]): string[] => rawHeaders.filter((_, i) => i % 2 === 0).map((h) => h.toLowerCase());
