// The log lines at debug level (every level's lines) beside the real mountebank 2.9.1: the same
// requests to both, and the same lines in the same order, after scrubbing ports and addresses.
// The startup lines differ on purpose (standin names itself, and logs no mb config dump).
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, it } from 'node:test';
import { freePort, get, post, request } from '../support/http.js';
import { startMountebank, type MountebankProcess } from '../support/mountebankProcess.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let standin: StandinProcess;
let mb: MountebankProcess;
before(async () => {
  [standin, mb] = await Promise.all([startStandin(['--loglevel', 'debug']), startMountebank(['--loglevel', 'debug'])]);
});
after(async () => {
  await Promise.all([standin?.stop(), mb?.stop()]);
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The same traffic on one server; resolves with the ports it used, for scrubbing. */
async function traffic(url: string): Promise<number[]> {
  const [httpPort, tcpPort] = [await freePort(), await freePort()];
  const step = async (action: () => Promise<unknown>) => {
    await action();
    // Lets the connection's CLOSED line come before the next request's lines, on both servers.
    await pause(150);
  };
  await step(() =>
    post(`${url}/imposters`, {
      protocol: 'http',
      port: httpPort,
      stubs: [
        { predicates: [{ equals: { path: '/a' } }], responses: [{ is: { body: 'x', headers: { 'X-A': '1' } }, _behaviors: { wait: 5 } }] },
        { predicates: [{ equals: { path: '/json' } }], responses: [{ is: { statusCode: 201, body: { k: 1 } } }] },
      ],
    }),
  );
  await step(() =>
    request('POST', `http://127.0.0.1:${httpPort}/a?q=1`, { headers: { 'Content-Type': 'application/json', Connection: 'close' }, body: '{"k":1}' }),
  );
  await step(() => get(`http://127.0.0.1:${httpPort}/missing`, { headers: { Connection: 'close' } }));
  await step(() => get(`http://127.0.0.1:${httpPort}/json`, { headers: { Connection: 'close' } }));
  await step(() => post(`${url}/imposters`, { protocol: 'tcp', port: tcpPort, stubs: [{ responses: [{ is: { data: 'pong' } }] }] }));
  await step(
    () =>
      new Promise<void>((resolve, reject) => {
        const socket = net.connect(tcpPort, '127.0.0.1', () => socket.write('ping'));
        socket.on('data', () => socket.end());
        socket.on('close', () => resolve());
        socket.on('error', reject);
      }),
  );
  await step(() => post(`${url}/imposters`, { protocol: 'http', port: 'x' }));
  await step(() => request('DELETE', `${url}/imposters?replayable=true`));
  return [httpPort, tcpPort];
}

function scrub(lines: string[], adminPort: number, ports: number[]): string[] {
  return lines.map((line) => {
    let out = line.replaceAll(`:${adminPort}]`, ':ADMIN]');
    ports.forEach((port, i) => (out = out.replaceAll(`:${port}]`, `:IMPOSTER${i}]`).replaceAll(`"port":${port}`, `"port":IMPOSTER${i}`)));
    out = out.replace(/127\.0\.0\.1:\d+/g, 'CLIENT').replace(/"Host":"CLIENT"/g, '"Host":"HOST"');
    // standin's validation message goes on after mountebank's words with what to do instead.
    return out.replace(/(invalid value for 'port')[^}]*"}/, `$1"}`);
  });
}

it('writes the lines mountebank writes, at every level, for the same traffic', async () => {
  const ourPorts = await traffic(standin.url);
  const theirPorts = await traffic(mb.url);
  await pause(300);
  const ours = scrub(
    standin
      .output()
      .split('\n')
      .filter((line) => /^(debug|info|warn|error): /.test(line))
      // standin's own addition after mountebank's miss line: the closest stub and why it missed.
      .filter((line) => !/ no stub matched .*; closest is /.test(line)),
    standin.port,
    ourPorts,
  );
  const theirs = scrub(
    mb
      .logfile()
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as { level: string; message: string })
      .map((entry) => `${entry.level}: ${entry.message}`),
    mb.port,
    theirPorts,
  );
  // The first lines are each server's own banner (and mb's config dump).
  const from = (lines: string[]) => lines.slice(lines.findIndex((line) => line.includes('POST /imposters')));
  assert.ok(theirs.includes('info: [http:IMPOSTER0] no predicate match, using default response'), theirs.join('\n'));
  assert.deepEqual(from(ours), from(theirs));
});
