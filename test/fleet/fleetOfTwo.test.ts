// A fleet of exactly two members (127.0.0.1 and 127.0.0.2) sharing one real redis-server: what
// each member's admin API shows of the other, and the contract with requests alternating
// between the two. The three-member fleet (kills, late joiner, Redis loss) is fleet.test.ts.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { del, freePort, get, post } from '../support/http.js';
import { redisMissing, startRedis, type RedisServer } from '../support/redisServer.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

const HOSTS = ['127.0.0.1', '127.0.0.2'];

interface Member {
  member: string;
  pid: number;
  version: number;
  requests: number;
  self: boolean;
}

describe('a fleet of two members sharing one Redis', { skip: redisMissing }, () => {
  let redis: RedisServer;
  let members: StandinProcess[] = [];
  let port: number;
  const at = (i: number, path: string) => `http://${HOSTS[i]}:${port}${path}`;

  before(async () => {
    redis = await startRedis();
    members = await Promise.all(HOSTS.map((host) => startStandin(['--fleet', `${redis.url}/0`, '--journalCap', '20'], { host })));
    port = await freePort();
  });
  after(async () => {
    await Promise.all(members.map((m) => m.stop()));
    await redis?.stop();
  });

  const create = async (stubs: unknown[], via = 0) => {
    await del(`${members[via]!.url}/imposters/${port}`);
    const created = await post(`${members[via]!.url}/imposters`, { protocol: 'http', port, recordRequests: true, stubs });
    assert.equal(created.status, 201, created.body);
  };

  /** Requests answered by each member (by process id), as GET / on member `via` shows them. */
  const countsVia = async (via: number): Promise<number[]> => {
    const members_ = (await get(`${members[via]!.url}/`)).json().fleet.members as Member[];
    assert.equal(members_.length, 2, JSON.stringify(members_));
    assert.deepEqual(
      members_.filter((m) => m.self).map((m) => m.pid),
      [members[via]!.pid],
    );
    return members.map((m) => members_.find((entry) => entry.pid === m.pid)!.requests);
  };

  test('GET / and /metrics on either member show both members with the requests each answered, at once', async () => {
    await create([{ responses: [{ is: { body: 'hi' } }] }]);
    for (let n = 0; n < 3; n++) assert.equal((await get(at(0, '/'))).body, 'hi');
    for (let n = 0; n < 2; n++) assert.equal((await get(at(1, '/'))).body, 'hi');
    // No waiting for a heartbeat: the admin request collects every member's count before it answers.
    assert.deepEqual(await countsVia(0), [3, 2]);
    assert.deepEqual(await countsVia(1), [3, 2]);
    for (let i = 0; i < 2; i++) {
      const metrics = (await get(`${members[i]!.url}/metrics`)).body;
      assert.match(metrics, /^standin_fleet_members 2$/m);
      assert.match(metrics, /^standin_fleet_redis_up 1$/m);
      assert.match(metrics, new RegExp(`^standin_fleet_member_requests_total\\{member="[^"]*:${members[0]!.pid}:[^"]*"\\} 3$`, 'm'));
      assert.match(metrics, new RegExp(`^standin_fleet_member_requests_total\\{member="[^"]*:${members[1]!.pid}:[^"]*"\\} 2$`, 'm'));
    }
    // A counter: deleting the imposter does not take back what the members answered.
    await del(`${members[1]!.url}/imposters/${port}`);
    assert.deepEqual(await countsVia(1), [3, 2]);
  });

  test('responses cycle once per request across the two members, interleaved 1,2,3,1,2,3', async () => {
    await create([{ responses: [{ is: { body: '1' } }, { is: { body: '2' } }, { is: { body: '3' } }] }], 1);
    const answers: string[] = [];
    for (let n = 0; n < 6; n++) answers.push((await get(at(n % 2, '/'))).body);
    assert.deepEqual(answers, ['1', '2', '3', '1', '2', '3']);
  });

  test('X-Rift-Debug and the dry run on either member preview the response the fleet gives next', async () => {
    await create([{ responses: [{ is: { body: '1' } }, { is: { body: '2' } }, { is: { body: '3' } }] }]);
    assert.equal((await get(at(0, '/'))).body, '1');
    for (let i = 0; i < 2; i++) {
      const debug = (await get(at(i, '/'), { headers: { 'X-Rift-Debug': 'true' } })).json();
      assert.equal(debug.matchResult.responsePreview.bodyPreview, '2', `member ${i}`);
      const dryRun = (await post(`${members[i]!.url}/imposters/${port}/test`, { request: { method: 'GET', path: '/' } })).json();
      assert.equal(dryRun.response.is.body, '2', `member ${i}`);
    }
    assert.deepEqual([(await get(at(1, '/'))).body, (await get(at(0, '/'))).body], ['2', '3']);
  });

  test('a proxy that records saves each answer once for the whole fleet, before it answers', async () => {
    let hits = 0;
    const origin = http.createServer((req, res) => {
      hits++;
      res.end(`origin ${req.url} #${hits}`);
    });
    await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
    const to = `http://127.0.0.1:${(origin.address() as { port: number }).port}`;
    const bodiesOn = async (i: number): Promise<string[][]> =>
      (await get(`${members[i]!.url}/imposters/${port}`))
        .json()
        .stubs.map((stub: { responses: Array<{ is?: { body: string }; proxy?: unknown }> }) => stub.responses.map((r) => r.is?.body ?? 'proxy'));
    try {
      await create([{ responses: [{ proxy: { to, mode: 'proxyOnce', predicateGenerators: [{ matches: { path: true } }] } }] }]);
      // The other member serves a recorded answer from the very next request: the origin sees each path once.
      assert.equal((await get(at(0, '/a'))).body, 'origin /a #1');
      assert.equal((await get(at(1, '/a'))).body, 'origin /a #1');
      assert.equal((await get(at(1, '/b'))).body, 'origin /b #2');
      assert.equal((await get(at(0, '/b'))).body, 'origin /b #2');
      // Both members recording at once: none of the answers is lost.
      const paths = Array.from({ length: 8 }, (_, n) => `/c${n}`);
      const first = await Promise.all(paths.map(async (path, n) => (await get(at(n % 2, path))).body));
      assert.equal(hits, 10);
      const saved = await bodiesOn(0);
      assert.deepEqual(await bodiesOn(1), saved);
      assert.equal(saved.length, 11);
      assert.deepEqual(saved.slice(0, 2), [['origin /a #1'], ['origin /b #2']]);
      assert.deepEqual(saved.slice(2, 10).flat().sort(), [...first].sort());
      assert.deepEqual(saved[10], ['proxy']);
      const replayed = await Promise.all(paths.map(async (path, n) => (await get(at((n + 1) % 2, path))).body));
      assert.deepEqual(replayed, first);
      assert.equal(hits, 10);

      // proxyAlways: every request goes to the origin, and each answer is appended, in order, to one saved stub.
      await create([{ responses: [{ proxy: { to, mode: 'proxyAlways', predicateGenerators: [{ matches: { path: true } }] } }] }]);
      assert.equal((await get(at(0, '/x'))).body, 'origin /x #11');
      assert.equal((await get(at(1, '/x'))).body, 'origin /x #12');
      for (let i = 0; i < 2; i++) assert.deepEqual(await bodiesOn(i), [['proxy'], ['origin /x #11', 'origin /x #12']], `member ${i}`);
    } finally {
      origin.close();
      origin.closeAllConnections();
    }
  });

  test('an answer still on its way from the origin is saved even when the other member saved one meanwhile', async () => {
    // The other member's recording recompiles this member's stubs while /slow is at the origin:
    // the proxy stub is found again by its key, not by the object the request started with.
    const origin = http.createServer((req, res) => {
      setTimeout(() => res.end(`origin ${req.url}`), req.url === '/slow' ? 300 : 0);
    });
    await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
    const to = `http://127.0.0.1:${(origin.address() as { port: number }).port}`;
    try {
      await create([{ responses: [{ proxy: { to, mode: 'proxyOnce', predicateGenerators: [{ matches: { path: true } }] } }] }]);
      const slow = get(at(0, '/slow'));
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal((await get(at(1, '/fast'))).body, 'origin /fast');
      assert.equal((await slow).body, 'origin /slow');
      for (let i = 0; i < 2; i++) {
        const stubs = (await get(`${members[i]!.url}/imposters/${port}`)).json().stubs as Array<{ responses: Array<{ is?: { body: string } }> }>;
        const saved = stubs.map((stub) => stub.responses[0]?.is?.body ?? 'proxy');
        assert.deepEqual(saved.slice().sort(), ['origin /fast', 'origin /slow', 'proxy'], `member ${i}`);
      }
    } finally {
      origin.close();
      origin.closeAllConnections();
    }
  });

  test('numberOfRequests and recorded requests from both members are complete and in arrival order on either', async () => {
    await create([{ responses: [{ is: { body: 'ok' } }] }]);
    const paths = Array.from({ length: 10 }, (_, n) => `/r${n}`);
    for (let n = 0; n < paths.length; n++) await get(at(n % 2, paths[n]!));
    for (let i = 0; i < 2; i++) {
      const imposter = (await get(`${members[i]!.url}/imposters/${port}`)).json();
      assert.equal(imposter.numberOfRequests, 10, `member ${i}`);
      assert.deepEqual(
        imposter.requests.map((r: { path: string }) => r.path),
        paths,
        `member ${i}`,
      );
    }
  });
});

describe('two fleets in two databases of one Redis', { skip: redisMissing }, () => {
  test('keep to themselves: neither applies, nor counts as applied, the changes of the other', async () => {
    const redis = await startRedis();
    const one = await startStandin(['--fleet', `${redis.url}/1`]);
    const two = await startStandin(['--fleet', `${redis.url}/2`], { host: '127.0.0.2' });
    try {
      const [first, second] = [await freePort(), await freePort()];
      for (let i = 0; i < 3; i++) {
        assert.equal((await post(`${one.url}/imposters`, { protocol: 'http', port: first })).status, 201);
        assert.equal((await del(`${one.url}/imposters/${first}`)).status, 200);
      }
      // Redis has one set of pub/sub channels for all its databases: the second fleet must not hear the first's changes.
      assert.equal((await post(`${two.url}/imposters`, { protocol: 'http', port: second })).status, 201);
      const fleet = (await get(`${two.url}/`)).json().fleet;
      assert.equal(fleet.version, 1);
      assert.deepEqual(
        fleet.members.map((m: Member) => m.version),
        [1],
      );
      assert.doesNotMatch(two.output(), /could not apply a change|loading the imposters again/);
    } finally {
      await Promise.all([one.stop(), two.stop()]);
      await redis.stop();
    }
  });
});
