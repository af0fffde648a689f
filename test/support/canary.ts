// An imposter created before an attack, asked every few milliseconds while the attack runs: the
// test then asserts that it kept answering, each time within the budget, and that the process lived.
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { freePort, post } from './http.js';

/** What a user must never wait for while another client sends bad input. */
export const ANSWER_BUDGET_MS = 100;
const QUIET_NOISE_CAP_MS = 300;

/**
 * CPU time (user + system, ms) the process has used, from /proc. On a machine shared by many
 * busy processes a probe can wait past the budget while standin is not even scheduled; a slow
 * answer counts against standin when standin itself ran for the whole budget meanwhile (so its
 * event loop could have been held that long), not when it was waiting for a CPU.
 */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime (fields 14 and 15 of stat(5)), in clock ticks of 10 ms on Linux.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

export interface Canary {
  port: number;
  /** Runs `attack` while probing; asserts every probe answered `canary` within the budget. */
  during<T>(attack: () => Promise<T>): Promise<T>;
}

export async function createCanary(adminUrl: string, pid: number): Promise<Canary> {
  const port = await freePort();
  const created = await post(`${adminUrl}/imposters`, {
    protocol: 'http',
    port,
    name: 'canary',
    stubs: [{ responses: [{ is: { body: 'canary' } }] }],
  });
  assert.equal(created.status, 201, created.body);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const probe = (): Promise<{ ms: number; body: string; cpu: number }> =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const cpuBefore = cpuMs(pid);
      const req = http.get({ host: '127.0.0.1', port, path: '/canary', agent }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c));
        res.on('end', () => resolve({ ms: performance.now() - started, body, cpu: cpuMs(pid) - cpuBefore }));
      });
      req.setTimeout(5_000, () => req.destroy(new Error('canary did not answer within 5 s')));
      req.on('error', reject);
    });
  await probe();

  /** The slowest of the probes sent over a second with nothing else going on. */
  const quietSlowest = async (): Promise<number> => {
    let slowest = 0;
    const until = performance.now() + 1_000;
    while (performance.now() < until) {
      slowest = Math.max(slowest, (await probe()).ms);
      await new Promise((r) => setTimeout(r, 10));
    }
    return slowest;
  };

  return {
    port,
    async during<T>(attack: () => Promise<T>): Promise<T> {
      let stop = false;
      const slow: Array<{ ms: number; cpu: number }> = [];
      let noisy = 0;
      let probes = 0;
      const probing = (async () => {
        while (!stop) {
          const { ms, body, cpu } = await probe();
          probes++;
          assert.equal(body, 'canary');
          // A tick of slack: the counters move in steps of 10 ms.
          if (ms > ANSWER_BUDGET_MS && cpu + 10 >= ANSWER_BUDGET_MS) slow.push({ ms, cpu });
          else if (ms > ANSWER_BUDGET_MS) noisy++;
          await new Promise((r) => setTimeout(r, 10));
        }
      })();
      try {
        return await attack();
      } finally {
        stop = true;
        await probing;
        assert.ok(probes > 0, 'the canary was never asked');
        // Busy standin on a crowded machine still waits for CPUs: the slowest answer seen with
        // nothing else running (capped, so a real stall of seconds never passes for noise) is allowed on top.
        const noise = slow.length === 0 ? 0 : Math.min(await quietSlowest(), QUIET_NOISE_CAP_MS);
        const stalls = slow.filter(({ ms }) => ms > ANSWER_BUDGET_MS + noise).map(({ ms, cpu }) => `${Math.round(ms)} ms (standin busy ${cpu} ms)`);
        agent.destroy();
        assert.deepEqual(
          stalls,
          [],
          `the canary imposter answered slower than ${ANSWER_BUDGET_MS} ms + ${Math.round(noise)} ms of quiet noise while standin was busy ` +
            `(of ${probes} probes; ${noisy} more slow while standin was idle, waiting for a CPU)`,
        );
      }
    },
  };
}

/** How long a `readWhenStalled` client's write waits before it looks for an answer. */
const STALL_MS = 200;

/**
 * Sends `size` bytes of body in chunks over a raw socket and returns the status line and body of
 * whatever the server answers (which may come before the body is all sent), without holding the
 * body in memory at once. With `readWhenStalled` it reads nothing until a write has waited
 * STALL_MS for the server to take more, as a client that sends its body before it looks for an answer.
 */
export function sendLargeBody(
  port: number,
  path: string,
  size: number,
  options: { chunked?: boolean; headers?: Record<string, string>; readWhenStalled?: boolean } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    let answer = '';
    let sent = 0;
    let settled = false;
    const finish = (final: boolean): void => {
      if (settled) return;
      const match = /^HTTP\/1\.1 (\d+)/.exec(answer);
      if (!match) {
        settled = true;
        reject(new Error(`no HTTP answer after ${sent} bytes sent: ${JSON.stringify(answer.slice(0, 200))}`));
        return;
      }
      const headerEnd = answer.indexOf('\r\n\r\n');
      if (headerEnd === -1 && !final) return;
      const length = /content-length: (\d+)/i.exec(answer.slice(0, headerEnd));
      const head = headerEnd === -1 ? answer : answer.slice(0, headerEnd);
      let body = headerEnd === -1 ? '' : answer.slice(headerEnd + 4);
      if (/transfer-encoding: chunked/i.test(head)) {
        if (!body.endsWith('0\r\n\r\n') && !final) return;
        body = dechunk(body);
      }
      if (length && Buffer.byteLength(body) < Number(length[1]) && !final) return;
      settled = true;
      socket.destroy();
      resolve({ status: Number(match[1]), body });
    };
    let reading = false;
    const read = (): void => {
      if (reading) return;
      reading = true;
      socket.resume();
      socket.on('data', (d: Buffer) => {
        answer += d.toString('latin1');
        if (answer.includes('\r\n\r\n')) finish(false);
      });
    };
    let stalled: NodeJS.Timeout | undefined;
    if (options.readWhenStalled) socket.pause();
    else read();
    socket.on('error', () => finish(true));
    socket.on('close', () => finish(true));
    const extra = Object.entries(options.headers ?? {})
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    const framing = options.chunked ? 'Transfer-Encoding: chunked\r\n' : `Content-Length: ${size}\r\n`;
    socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}${framing}\r\n`);
    const pump = (): void => {
      clearTimeout(stalled);
      stalled = undefined;
      while (sent < size && !settled && !socket.destroyed) {
        const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += part.length;
        const more = socket.write(options.chunked ? Buffer.concat([Buffer.from(`${part.length.toString(16)}\r\n`), part, Buffer.from('\r\n')]) : part);
        if (!more) {
          socket.once('drain', pump);
          if (options.readWhenStalled) stalled = setTimeout(read, STALL_MS);
          return;
        }
      }
      if (sent < size) return;
      if (options.chunked && !socket.destroyed) socket.write('0\r\n\r\n');
      read();
    };
    pump();
  });
}

function dechunk(text: string): string {
  let out = '';
  let at = 0;
  for (;;) {
    const lineEnd = text.indexOf('\r\n', at);
    if (lineEnd === -1) return out;
    const size = parseInt(text.slice(at, lineEnd), 16);
    if (!(size > 0)) return out;
    out += text.slice(lineEnd + 2, lineEnd + 2 + size);
    at = lineEnd + 2 + size + 2;
  }
}
