// `standin start --workers 2`: a real primary and two real worker processes on 127.0.0.1. Every
// request here opens its own connection, which whichever worker is free accepts, so they spread
// over both workers; each test checks that both served, so the assertions are about two processes.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { del, freePort, get, post, put } from '../support/http.js';
import { runCli } from '../support/cliHarness.js';
import { openSse } from '../support/sse.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';
import { until } from '../support/until.js';
import { redisMissing, startRedis } from '../support/redisServer.js';
import { untilEveryWorkerServed, workersOf as workersAt } from '../support/workers.js';

const workersOf = (mb: StandinProcess) => workersAt(mb.url);

/** Counts requests in the flow store and answers the count. */
const COUNTER =
  "function should_inject(request, flow_store)\n  local n = flow_store:increment('all', 'hits')\n  return { inject = true, fault = 'error', status = 200, body = '' .. n }\nend";

const cycle = (...bodies: string[]) => ({
  predicates: [{ equals: { path: '/cycle' } }],
  responses: bodies.map((body) => ({ is: { body } })),
});

async function bodies(url: string, count: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push((await get(url)).body);
  return out;
}

describe('--workers 2', () => {
  let mb: StandinProcess;
  let port: number;
  let imposterUrl: string;

  before(async () => {
    mb = await startStandin(['--workers', '2', '--debug', '--journalCap', '50']);
    port = await freePort();
    imposterUrl = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    await mb?.stop();
  });

  const create = async (stubs: unknown[], extra: Record<string, unknown> = {}) => {
    await del(`${mb.url}/imposters/${port}`);
    const created = await post(`${mb.url}/imposters`, { protocol: 'http', port, recordRequests: true, stubs, ...extra });
    assert.equal(created.status, 201, created.body);
  };

  test('GET / and /metrics list both workers, serving, with the requests each answered', async () => {
    await create([{ responses: [{ is: { body: 'static' } }] }]);
    const rounds = await untilEveryWorkerServed(mb.url, async () => assert.deepEqual(await bodies(`${imposterUrl}/`, 3), Array(3).fill('static')));
    const sent = rounds * 3;
    const workers = await workersOf(mb);
    assert.deepEqual(
      workers.map((w) => [w.worker, w.serving]),
      [
        [1, true],
        [2, true],
      ],
    );
    assert.equal(
      workers.reduce((sum, w) => sum + w.requests, 0),
      sent,
    );
    const metrics = (await get(`${mb.url}/metrics`)).body;
    assert.match(metrics, /^standin_workers_serving 2$/m);
    assert.match(metrics, /^standin_worker_requests_total\{worker="1"\} [1-9]/m);
    assert.match(metrics, /^standin_worker_requests_total\{worker="2"\} [1-9]/m);
    assert.ok(metrics.includes(`mb_request_total{imposter="[http:${port}] "} ${sent}\n`), 'the imposter counts what both workers served');
  });

  test('a stub cycles once per request across the workers, in order, repeat included', async () => {
    await create([cycle('1', '2', '3')]);
    await untilEveryWorkerServed(mb.url, async () => assert.deepEqual(await bodies(`${imposterUrl}/cycle`, 6), ['1', '2', '3', '1', '2', '3']));
    await create([{ predicates: [{ equals: { path: '/cycle' } }], responses: [{ is: { body: 'a' }, repeat: 2 }, { is: { body: 'b' } }] }]);
    await untilEveryWorkerServed(mb.url, async () => assert.deepEqual(await bodies(`${imposterUrl}/cycle`, 6), ['a', 'a', 'b', 'a', 'a', 'b']));
  });

  test('X-Rift-Debug and the dry run preview the response a cycling stub gives next, whichever worker answers', async () => {
    await create([cycle('1', '2', '3')]);
    assert.equal((await get(`${imposterUrl}/cycle`)).body, '1');
    // Each request opens its own connection, so these reach both workers.
    for (let n = 0; n < 4; n++) {
      const debug = (await get(`${imposterUrl}/cycle`, { headers: { 'X-Rift-Debug': 'true' } })).json();
      assert.equal(debug.matchResult.responsePreview.bodyPreview, '2', `debug request ${n}`);
    }
    const dryRun = (await post(`${mb.url}/imposters/${port}/test`, { request: { method: 'GET', path: '/cycle' } })).json();
    assert.equal(dryRun.response.is.body, '2');
    assert.deepEqual(await bodies(`${imposterUrl}/cycle`, 2), ['2', '3']);
  });

  test('concurrent requests each take one place in the cycle: no response is served twice in a round', async () => {
    await create([cycle('1', '2', '3')]);
    const answers = await Promise.all(Array.from({ length: 30 }, () => get(`${imposterUrl}/cycle`).then((r) => r.body)));
    const counts = Object.fromEntries(['1', '2', '3'].map((b) => [b, answers.filter((a) => a === b).length]));
    assert.deepEqual(counts, { 1: 10, 2: 10, 3: 10 });
  });

  test('an admin change is served by every worker once the admin API has answered', async () => {
    await create([{ responses: [{ is: { body: 'before' } }] }]);
    for (let round = 0; round < 3; round++) {
      const body = `after ${round}`;
      const changed = await put(`${mb.url}/imposters/${port}/stubs`, { stubs: [{ responses: [{ is: { body } }] }] });
      assert.equal(changed.status, 200, changed.body);
      assert.deepEqual(await bodies(`${imposterUrl}/`, 4), Array(4).fill(body));
    }
  });

  test('each worker accepts its own connections: the imposters answer while the main process is stopped', async () => {
    await create([{ responses: [{ is: { body: 'static' } }] }]);
    // With node's round robin the main process accepts every connection: stopped, it would leave these unanswered.
    process.kill(mb.pid, 'SIGSTOP');
    try {
      for (let n = 0; n < 4; n++) assert.equal((await get(`${imposterUrl}/`, { timeoutMs: 5_000 })).body, 'static');
    } finally {
      process.kill(mb.pid, 'SIGCONT');
    }
    assert.equal((await get(`${mb.url}/imposters/${port}`)).json().numberOfRequests, 4);
  });

  test('deleting an imposter frees its port at once; created again, both workers serve it', async () => {
    await create([{ responses: [{ is: { body: 'first' } }] }]);
    assert.equal((await get(`${imposterUrl}/`)).body, 'first');
    assert.equal((await del(`${mb.url}/imposters/${port}`)).status, 200);
    const other = net.createServer();
    await new Promise<void>((resolve, reject) => {
      other.once('error', reject);
      other.listen(port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => other.close(resolve));
    await create([{ responses: [{ is: { body: 'second' } }] }]);
    await untilEveryWorkerServed(mb.url, async () => assert.deepEqual(await bodies(`${imposterUrl}/`, 2), ['second', 'second']));
  });

  test('numberOfRequests, recorded requests and --debug matches are complete and in the order they arrived', async () => {
    await create([{ predicates: [{ startsWith: { path: '/r' } }], responses: [{ is: { body: 'r' } }] }]);
    const paths = Array.from({ length: 20 }, (_, i) => `/r${i}`);
    for (const path of paths) await get(`${imposterUrl}${path}`);
    const imposter = (await get(`${mb.url}/imposters/${port}`)).json();
    assert.equal(imposter.numberOfRequests, 20);
    assert.deepEqual(
      imposter.requests.map((r: { path: string }) => r.path),
      paths,
    );
    assert.deepEqual(
      imposter.stubs[0].matches.map((m: { request: { path: string } }) => m.request.path),
      paths,
    );
    const saved = await get(`${mb.url}/imposters/${port}/savedRequests?since=15`);
    assert.deepEqual(
      saved.json().map((r: { path: string }) => r.path),
      paths.slice(15),
    );
    assert.equal(saved.headers['x-rift-next-index'], '20');

    const cleared = await del(`${mb.url}/imposters/${port}/savedRequests`);
    assert.equal(cleared.status, 200);
    await get(`${imposterUrl}/r-after`);
    const again = (await get(`${mb.url}/imposters/${port}`)).json();
    assert.equal(again.numberOfRequests, 1);
    assert.deepEqual(
      again.requests.map((r: { path: string }) => r.path),
      ['/r-after'],
    );
  });

  test('the event stream carries the recorded requests of every worker, in the order they arrived', async () => {
    await create([{ predicates: [{ startsWith: { path: '/e' } }], responses: [{ is: { body: 'e' } }] }]);
    const stream = await openSse(`${mb.url}/events?port=${port}&types=requests`);
    try {
      let n = 0;
      let lastIndex = 0;
      // No admin request between the requests and their events: the main process collects them for the stream by itself.
      await untilEveryWorkerServed(mb.url, async () => {
        const paths = [0, 1, 2].map(() => `/e${n++}`);
        for (const path of paths) await get(`${imposterUrl}${path}`);
        const events = [];
        while (events.length < paths.length) events.push(JSON.parse((await stream.waitFor('request')).data));
        assert.deepEqual(
          events.map((event) => [event.port, event.request.path, event.stub]),
          paths.map((path) => [port, path, { index: 0 }]),
        );
        for (const event of events) assert.equal(event.index, ++lastIndex);
      });
    } finally {
      stream.close();
    }
  });

  test('the journal stays bounded by --journalCap, keeping the newest in order', async () => {
    await create([]);
    const paths = Array.from({ length: 80 }, (_, i) => `/j${i}`);
    // In parallel batches, to fill both workers' journals between two collections.
    for (let i = 0; i < paths.length; i += 10) await Promise.all(paths.slice(i, i + 10).map((path) => get(`${imposterUrl}${path}`)));
    const imposter = (await get(`${mb.url}/imposters/${port}`)).json();
    assert.equal(imposter.numberOfRequests, 80);
    assert.equal(imposter.requests.length, 50);
    const kept = imposter.requests.map((r: { path: string }) => Number(r.path.slice(2)));
    // Within a batch of ten sent together, arrival order is the network's; batches stay in order.
    assert.ok(
      kept.every((n: number) => n >= 30),
      `the newest 50 of 80: ${kept.join(',')}`,
    );
  });

  test('a proxyOnce recording made by one worker is served by every worker from the next request on', async () => {
    let hits = 0;
    const origin = http.createServer((req, res) => {
      hits++;
      res.end(`origin ${req.url}`);
    });
    await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
    const originPort = (origin.address() as { port: number }).port;
    try {
      await create([
        { responses: [{ proxy: { to: `http://127.0.0.1:${originPort}`, mode: 'proxyOnce', predicateGenerators: [{ matches: { path: true } }] } }] },
      ]);
      assert.equal((await get(`${imposterUrl}/p`)).body, 'origin /p');
      // As with one process, the proxied answer is saved before it is sent: no waiting here.
      const imposter = (await get(`${mb.url}/imposters/${port}`)).json();
      assert.equal(imposter.stubs.length, 2);
      assert.equal(imposter.stubs[0].responses[0].is.body, 'origin /p');
      assert.deepEqual(await bodies(`${imposterUrl}/p`, 4), Array(4).fill('origin /p'));
      assert.equal(hits, 1, 'every worker answered from the recording');
    } finally {
      origin.close();
    }
  });

  test('a worker killed with -9 is replaced; the new one serves the current imposters and the cycle goes on in order', async () => {
    await create([cycle('1', '2', '3')]);
    assert.deepEqual(await bodies(`${imposterUrl}/cycle`, 2), ['1', '2']);
    const [first] = await workersOf(mb);
    process.kill(first!.pid!, 'SIGKILL');
    const replaced = await until('worker 1 replaced', async () => {
      const workers = await workersOf(mb);
      const one = workers.find((w) => w.worker === 1)!;
      return one.serving && one.pid !== first!.pid ? one : undefined;
    });
    assert.equal(replaced.restarts, 1);
    assert.deepEqual(await bodies(`${imposterUrl}/cycle`, 4), ['3', '1', '2', '3']);
    // Until the new worker 1 has served some of them.
    await untilEveryWorkerServed(mb.url, async () => assert.deepEqual(await bodies(`${imposterUrl}/cycle`, 3), ['1', '2', '3']));
    assert.match(mb.output(), /worker 1 \(process \d+\) exited \(SIGKILL\); starting another/);
  });

  test('scripts with flow state in memory are refused, with what to do instead', async () => {
    await del(`${mb.url}/imposters/${port}`);
    const refused = await post(`${mb.url}/imposters`, {
      protocol: 'http',
      port,
      stubs: [{ responses: [{ _rift: { script: { engine: 'lua', code: COUNTER } } }] }],
    });
    assert.equal(refused.status, 400, refused.body);
    assert.match(refused.json().errors[0].message, /with --workers, an imposter whose responses run _rift scripts must keep its flow state in Redis/);
    assert.equal((await get(`${mb.url}/imposters/${port}`)).status, 404);
  });
});

describe('--workers with Redis flow state', { skip: redisMissing }, () => {
  test('scripts share one flow state across workers', async () => {
    const redis = await startRedis();
    const mb = await startStandin(['--workers', '2']);
    try {
      const port = await freePort();
      const created = await post(`${mb.url}/imposters`, {
        protocol: 'http',
        port,
        _rift: { flowState: { backend: 'redis', redis: { url: redis.url } } },
        stubs: [{ responses: [{ _rift: { script: { engine: 'lua', code: COUNTER } } }] }],
      });
      assert.equal(created.status, 201, created.body);
      let count = 0;
      await untilEveryWorkerServed(mb.url, async () => {
        const expected = [1, 2, 3].map((n) => String(count + n));
        count += 3;
        assert.deepEqual(await bodies(`http://127.0.0.1:${port}/`, 3), expected);
      });
    } finally {
      await mb.stop();
      await redis.stop();
    }
  });
});

describe('--workers refuses what it cannot honour', () => {
  const refusal = async (args: string[]): Promise<{ code: number | null; output: string }> => {
    const port = String(await freePort());
    const { code, stdout, stderr } = await runCli(['start', '--nologfile', '--host', '127.0.0.1', '--port', port, ...args], tmpdir());
    return { code, output: stdout + stderr };
  };

  test('--allowInjection: the state injected functions share lives in one process', async () => {
    const { code, output } = await refusal(['--workers', '2', '--allowInjection']);
    assert.equal(code, 1);
    assert.match(output, /--workers cannot be combined with --allowInjection: injected functions share one `state` object/);
  });

  test('a worker count that is not a number', async () => {
    const { code, output } = await refusal(['--workers', 'many']);
    assert.equal(code, 1);
    assert.match(output, /--workers must be a number of worker processes from 1 to 256, or auto/);
  });
});
