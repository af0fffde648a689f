// Starts a real redis-server on a free port of 127.0.0.1 (no persistence) and stops it by PID.
// Where redis-server is not installed, the tests that need it are skipped with `redisMissing` as
// the reason, so `npm test` passes on a fresh machine and says what it left out.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { freePort } from './http.js';

export interface RedisServer {
  port: number;
  url: string;
  /** Stops the server (SIGKILL: a Redis that vanishes, as a crash or a lost network would). */
  stop(): Promise<void>;
  /** Starts it again on the same port, empty. */
  start(): Promise<void>;
  /** Runs one command through redis-cli-free RESP, for assertions (e.g. CLIENT LIST). */
  command(...args: string[]): Promise<string>;
}

/** Why the Redis tests cannot run here (for `{ skip: redisMissing }`), or undefined when they can. */
export const redisMissing: string | undefined = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error
  ? 'redis-server is not installed: install it (Debian package redis-server) to run the Redis tests; .ci/run does'
  : undefined;

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  const start = async () => {
    const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    child = proc;
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        if ((await send(port, ['PING'])).startsWith('+PONG')) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${port}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      child?.kill('SIGKILL');
      child = null;
      await exited;
    },
    start,
    command: (...args: string[]) => send(port, args),
  };
}

/** One RESP command on a fresh connection; resolves with the raw reply once the server pauses. */
function send(port: number, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    let timer: NodeJS.Timeout | undefined;
    socket.setTimeout(5_000, () => socket.destroy(new Error('redis command timed out')));
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      clearTimeout(timer);
      timer = setTimeout(() => {
        socket.end();
        resolve(reply);
      }, 30);
    });
    socket.write(`*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`);
  });
}
