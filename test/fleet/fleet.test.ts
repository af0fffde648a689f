// A fleet on this machine: real standin members sharing one real redis-server. Members of a real
// fleet run on different machines, each serving the imposters on its own address; here each
// member binds its own loopback address (127.0.0.1, .2, .3), so all serve the same imposter ports.
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { after, before, describe, test } from 'node:test';
import { del, freePort, get, post, put } from '../support/http.js';
import { redisMissing, startRedis, type RedisServer } from '../support/redisServer.js';
import { runCli } from '../support/cliHarness.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';
import { until } from '../support/until.js';

const HOSTS = ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4'];

const cycle = (...bodies: string[]) => ({ predicates: [{ equals: { path: '/cycle' } }], responses: bodies.map((body) => ({ is: { body } })) });

describe('a fleet of three members sharing one Redis', { skip: redisMissing }, () => {
  let redis: RedisServer;
  let members: StandinProcess[] = [];
  let port: number;
  const memberArgs = () => ['--fleet', `${redis.url}/0`, '--journalCap', '8'];
  const join = (host: string) => startStandin(memberArgs(), { host });
  /** The imposter as member i serves it. */
  const at = (i: number, path: string) => `http://${HOSTS[i]}:${port}${path}`;

  before(async () => {
    redis = await startRedis();
    members = await Promise.all(HOSTS.slice(0, 3).map(join));
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

  test('GET / lists the members, each up to date with the fleet', async () => {
    await create([{ responses: [{ is: { body: 'hi' } }] }]);
    const fleet = (await get(`${members[1]!.url}/`)).json().fleet;
    assert.equal(fleet.connected, true);
    assert.equal(fleet.members.length, 3);
    assert.ok(
      fleet.members.every((m: { version: number }) => m.version === fleet.version),
      JSON.stringify(fleet),
    );
    assert.equal(fleet.members.filter((m: { self: boolean }) => m.self).length, 1);
  });

  test('an imposter created through one member is served by every member once the admin API has answered', async () => {
    for (let via = 0; via < 3; via++) {
      const body = `made through member ${via}`;
      await create([{ responses: [{ is: { body } }] }], via);
      for (let i = 0; i < 3; i++) assert.equal((await get(at(i, '/'))).body, body);
      const listed = await Promise.all(members.map(async (m) => (await get(`${m.url}/imposters/${port}`)).status));
      assert.deepEqual(listed, [200, 200, 200]);
    }
    const changed = await put(`${members[2]!.url}/imposters/${port}/stubs`, { stubs: [{ responses: [{ is: { body: 'stubs replaced' } }] }] });
    assert.equal(changed.status, 200, changed.body);
    for (let i = 0; i < 3; i++) assert.equal((await get(at(i, '/'))).body, 'stubs replaced');
  });

  test('responses cycle once per request across the members: 1,2,3,1,2,3 with requests going round them', async () => {
    await create([cycle('1', '2', '3')]);
    const answers: string[] = [];
    for (let n = 0; n < 9; n++) answers.push((await get(at(n % 3, '/cycle'))).body);
    assert.deepEqual(answers, ['1', '2', '3', '1', '2', '3', '1', '2', '3']);
    await create([{ predicates: [{ equals: { path: '/cycle' } }], responses: [{ is: { body: 'a' }, repeat: 2 }, { is: { body: 'b' } }] }]);
    const repeated: string[] = [];
    for (let n = 0; n < 6; n++) repeated.push((await get(at((n + 1) % 3, '/cycle'))).body);
    assert.deepEqual(repeated, ['a', 'a', 'b', 'a', 'a', 'b']);
  });

  test('numberOfRequests and recorded requests are complete, in arrival order, bounded by --journalCap, from any member', async () => {
    await create([{ responses: [{ is: { body: 'ok' } }] }]);
    const paths = Array.from({ length: 12 }, (_, n) => `/r${n}`);
    for (let n = 0; n < paths.length; n++) await get(at(n % 3, paths[n]!));
    for (let i = 0; i < 3; i++) {
      const imposter = (await get(`${members[i]!.url}/imposters/${port}`)).json();
      assert.equal(imposter.numberOfRequests, 12, `member ${i}`);
      assert.deepEqual(
        imposter.requests.map((r: { path: string }) => r.path),
        paths.slice(4),
        `member ${i}`,
      );
    }
    assert.equal((await del(`${members[1]!.url}/imposters/${port}/savedRequests`)).status, 200);
    await get(at(2, '/after'));
    const cleared = (await get(`${members[0]!.url}/imposters/${port}`)).json();
    assert.equal(cleared.numberOfRequests, 1);
    assert.deepEqual(
      cleared.requests.map((r: { path: string }) => r.path),
      ['/after'],
    );
  });

  test('a member that starts late serves the current imposters, and the cycle goes on', async () => {
    await create([cycle('1', '2', '3')]);
    assert.equal((await get(at(0, '/cycle'))).body, '1');
    const late = await join(HOSTS[3]!);
    members.push(late);
    // Ready (its pidfile written) means caught up: its first answer is already the fleet's.
    assert.equal((await get(at(3, '/cycle'))).body, '2');
    assert.equal((await get(at(1, '/cycle'))).body, '3');
    const fleet = (await get(`${late.url}/`)).json().fleet;
    assert.equal(fleet.members.length, 4);
  });

  test('a member killed with -9: the others go on, admin changes answer once it is gone, and it comes back up to date', async () => {
    await create([cycle('1', '2', '3')]);
    const victim = members[2]!;
    process.kill(victim.pid, 'SIGKILL');
    await victim.stop();
    assert.equal((await get(at(0, '/cycle'))).body, '1');
    // Its heartbeat expires within seconds; the change waits for that, not for ever.
    const started = Date.now();
    const changed = await put(`${members[0]!.url}/imposters/${port}/stubs`, { stubs: [cycle('x', 'y')] });
    assert.equal(changed.status, 200, changed.body);
    assert.ok(Date.now() - started < 9_000);
    const back = await join(HOSTS[2]!);
    members[2] = back;
    assert.deepEqual([(await get(at(2, '/cycle'))).body, (await get(at(1, '/cycle'))).body, (await get(at(2, '/cycle'))).body], ['x', 'y', 'x']);
  });

  test('a change announced while the members reconnect to the bus still reaches every one of them', async () => {
    await create([{ responses: [{ is: { body: 'before' } }] }]);
    // Drops every member's subscriber connection again and again while the change is made: what is
    // announced while a member reconnects is lost to it.
    let dropping = true;
    const drops = (async () => {
      while (dropping) {
        await redis.command('CLIENT', 'KILL', 'TYPE', 'pubsub');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const changed = await put(`${members[0]!.url}/imposters/${port}/stubs`, { stubs: [{ responses: [{ is: { body: 'after' } }] }] }).finally(() => {
      dropping = false;
    });
    await drops;
    assert.equal(changed.status, 200, changed.body);
    for (let i = 0; i < 3; i++) assert.equal((await get(at(i, '/'))).body, 'after');
  });

  test('Redis killed mid-traffic: members keep serving, admin changes answer 503, and all resynchronize when it returns', async () => {
    await create([{ responses: [{ is: { body: 'steady' } }] }]);
    // A free port of its own for the imposter made after Redis returns (port + 1 may be the admin
    // port of the member restarted above).
    const second = await freePort();
    let stop = false;
    const failures: string[] = [];
    let served = 0;
    const traffic = (async () => {
      for (let n = 0; !stop; n++) {
        const res = await get(at(n % 3, '/')).catch((err: Error) => ({ status: 0, body: err.message }));
        if (res.status !== 200 || res.body !== 'steady') failures.push(`${res.status} ${res.body}`);
        served++;
      }
    })();
    await until('traffic', async () => (served > 5 ? true : undefined));
    await redis.stop();
    const refused = await until('a 503', async () => {
      const res = await post(`${members[1]!.url}/imposters`, { protocol: 'http', port: second });
      return res.status === 503 ? res : undefined;
    });
    assert.match(refused.json().errors[0].message, /the fleet's Redis \(redis:\/\/127\.0\.0\.1:\d+\/0\) cannot be reached: imposters cannot change/);
    const during = served;
    await until('traffic while Redis is away', async () => (served > during + 10 ? true : undefined));
    // Back, empty (no persistence): the members give it their imposters again.
    await redis.start();
    // Only a 503 (Redis not back yet) is worth another try: anything else is the answer.
    const created = await until('admin changes again', async () => {
      const res = await post(`${members[1]!.url}/imposters`, { protocol: 'http', port: second, stubs: [{ responses: [{ is: { body: 'new' } }] }] });
      return res.status === 503 ? undefined : res;
    });
    assert.equal(created.status, 201, created.body);
    stop = true;
    await traffic;
    assert.deepEqual(failures, []);
    for (let i = 0; i < 3; i++) {
      assert.equal((await get(`http://${HOSTS[i]}:${second}/`)).body, 'new');
      const ports = (await get(`${members[i]!.url}/imposters`)).json().imposters.map((imp: { port: number }) => imp.port);
      assert.deepEqual(
        ports,
        [port, second].sort((a, b) => a - b),
      );
    }
    await del(`${members[0]!.url}/imposters/${second}`);
    // Redis lost mid-command (here and with the bus connections dropped above) is handled where it happens: no stray rejection.
    for (const member of members) assert.doesNotMatch(member.output(), /MaxRetriesPerRequest|max retries per request|nothing (handled|could catch) it/i);
  });

  test('what a fleet cannot share is refused', async () => {
    await del(`${members[0]!.url}/imposters/${port}`);
    const script = await post(`${members[0]!.url}/imposters`, {
      protocol: 'http',
      port,
      stubs: [{ responses: [{ _rift: { script: { engine: 'lua', code: 'function should_inject(r, s) return { inject = false } end' } } }] }],
    });
    assert.equal(script.status, 400);
    assert.match(script.json().errors[0].message, /with --fleet, an imposter whose responses run _rift scripts must keep its flow state in Redis/);
  });
});

describe('--fleet refuses to start when it cannot keep its promises', () => {
  const refusal = async (args: string[]): Promise<{ code: number | null; output: string }> => {
    const port = String(await freePort());
    const { code, stdout, stderr } = await runCli(['start', '--nologfile', '--host', '127.0.0.1', '--port', port, ...args], tmpdir());
    return { code, output: stdout + stderr };
  };

  test('Redis unreachable at start', async () => {
    const { code, output } = await refusal(['--fleet', `redis://127.0.0.1:${await freePort()}/0`]);
    assert.equal(code, 1);
    assert.match(output, /the fleet's Redis at redis:\/\/127\.0\.0\.1:\d+\/0 does not answer/);
  });

  test('options a fleet cannot honour', async () => {
    for (const [args, message] of [
      [
        ['--workers', '2'],
        /--fleet and --workers cannot be combined: a fleet member is one process\. To use every core of a machine, start one member per core/,
      ],
      [['--allowInjection'], /--fleet cannot be combined with --allowInjection/],
      [['--debug'], /--fleet does not collect --debug matches across members \(each would show only its own\): leave out --debug/],
      [['--datadir', tmpdir()], /--fleet keeps the imposters in Redis: leave out --datadir/],
      [[], /--fleet must be a Redis URL/],
    ] as const) {
      const { code, output } = await refusal(args.length === 0 ? ['--fleet', 'localhost:6379'] : ['--fleet', 'redis://127.0.0.1:1/0', ...args]);
      assert.equal(code, 1, output);
      assert.match(output, message);
    }
  });
});
