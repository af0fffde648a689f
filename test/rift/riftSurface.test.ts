// The rest of Rift's surface its SDKs call, over the wire: `wait` as {min, max}, `defaultForward`,
// enabling and disabling an imposter, GET /config's Rift API level, clearing one space's recorded
// requests, and POST /admin/reload (diff-based: unchanged imposters keep their journal and state).
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { del, freePort, get, post, request } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let standin: StandinProcess;
before(async () => {
  standin = await startStandin(['--allowInjection']);
});
after(async () => {
  await standin?.stop();
});

async function create(config: Record<string, unknown>): Promise<{ url: string; admin: string; port: number }> {
  const port = await freePort();
  const res = await post(`${standin.url}/imposters`, { protocol: 'http', ...config, port });
  assert.equal(res.status, 201, res.body);
  return { url: `http://127.0.0.1:${port}`, admin: `${standin.url}/imposters/${port}`, port };
}

async function timed(url: string): Promise<{ ms: number; body: string }> {
  const started = performance.now();
  const res = await get(url);
  return { ms: performance.now() - started, body: res.body };
}

describe('wait as {min, max}', () => {
  it('waits a uniform time in the range, drawn again for every request', async () => {
    const { url } = await create({
      stubs: [{ responses: [{ is: { body: 'slow' }, _behaviors: { wait: { min: 150, max: 400 } } }] }],
    });
    const runs = [await timed(url), await timed(url), await timed(url)];
    for (const run of runs) {
      assert.equal(run.body, 'slow');
      assert.ok(run.ms >= 145, `answered after ${run.ms} ms, before the minimum`);
    }
  });

  it("takes Rift's {inject} spelling of a wait function", async () => {
    const { url } = await create({ stubs: [{ responses: [{ is: { body: 'x' }, _behaviors: { wait: { inject: 'function () { return 120; }' } } }] }] });
    assert.ok((await timed(url)).ms >= 115);
  });

  it('refuses a range that is not one, saying what it expects', async () => {
    const port = await freePort();
    const res = await post(`${standin.url}/imposters`, {
      protocol: 'http',
      port,
      stubs: [{ responses: [{ is: {}, _behaviors: { wait: { min: 500, max: 100 } } }] }],
    });
    assert.equal(res.status, 400);
    assert.match(res.json().errors[0].message, /\{"min": N, "max": M\}/);
  });
});

describe('defaultForward', () => {
  let origin: http.Server;
  let originUrl = '';
  before(async () => {
    origin = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        res.writeHead(207, { 'X-Origin': 'yes', 'Content-Type': 'text/plain' });
        res.end(`origin saw ${req.method} ${req.url} ${body}`);
      });
    });
    await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
    originUrl = `http://127.0.0.1:${(origin.address() as { port: number }).port}`;
  });
  after(() => new Promise<void>((resolve) => origin.close(() => resolve())));

  it('forwards a request no stub matched to the origin, and records nothing new', async () => {
    const { url, admin } = await create({
      defaultForward: originUrl,
      stubs: [{ predicates: [{ equals: { path: '/local' } }], responses: [{ is: { body: 'stubbed' } }] }],
    });
    assert.equal((await get(`${url}/local`)).body, 'stubbed');
    const forwarded = await request('POST', `${url}/elsewhere?x=1`, { body: 'hello' });
    assert.equal(forwarded.status, 207);
    assert.equal(forwarded.headers['x-origin'], 'yes');
    assert.equal(forwarded.body, 'origin saw POST /elsewhere?x=1 hello');
    const imposter = (await get(admin)).json();
    assert.equal(imposter.defaultForward, originUrl);
    assert.equal(imposter.stubs.length, 1, 'a forwarded answer is not saved as a stub');
  });

  it('refuses a defaultForward that is not a URL', async () => {
    const port = await freePort();
    const res = await post(`${standin.url}/imposters`, { protocol: 'http', port, defaultForward: 'localhost:1' });
    assert.equal(res.status, 400);
    assert.match(res.json().errors[0].message, /'defaultForward' must be the URL of an origin/);
  });
});

describe('enabling and disabling an imposter', () => {
  it('answers 503 while disabled, keeping its stubs, and serves again once enabled', async () => {
    const { url, admin } = await create({ recordRequests: true, stubs: [{ responses: [{ is: { body: 'up' } }] }] });
    assert.equal((await get(url)).body, 'up');
    const disabled = await post(`${admin}/disable`, '');
    assert.equal(disabled.status, 200);
    assert.equal(disabled.json().enabled, false);
    const refused = await get(`${url}/anything`);
    assert.equal(refused.status, 503);
    assert.equal(refused.headers['x-rift-imposter-disabled'], 'true');
    assert.deepEqual(refused.json(), { errors: [{ code: 'imposter disabled', message: 'Imposter is disabled' }] });
    assert.equal((await get(admin)).json().numberOfRequests, 1, 'a refused request is not counted');

    const enabled = await post(`${admin}/enable`, '');
    assert.equal(enabled.json().enabled, undefined, 'enabled is printed only when false');
    assert.equal((await get(url)).body, 'up');
  });

  it('starts disabled with "enabled": false, and refuses a value that is not a boolean', async () => {
    const { url, admin } = await create({ enabled: false, stubs: [{ responses: [{ is: { body: 'up' } }] }] });
    assert.equal((await get(url)).status, 503);
    assert.equal((await get(`${admin}?replayable=true`)).json().enabled, false);
    const port = await freePort();
    const bad = await post(`${standin.url}/imposters`, { protocol: 'http', port, enabled: 'no' });
    assert.equal(bad.status, 400);
    assert.match(bad.json().errors[0].message, /'enabled' must be true or false/);
  });
});

describe('GET /config', () => {
  it("reports the Rift API level as options.version, which Rift's SDKs check against their minimum (0.12.0 for rift-node 0.15)", async () => {
    const body = (await get(`${standin.url}/config`)).json();
    const level = /^(\d+)\.(\d+)\.(\d+)$/.exec(body.options.version);
    assert.ok(level, `options.version ${body.options.version}`);
    const [major, minor] = [Number(level[1]), Number(level[2])];
    assert.ok(major > 0 || minor >= 12, "at or above rift-node's minEngineVersion 0.12.0");
    // mountebank's top-level version is standin's own, unchanged.
    assert.match(body.version, /^\d+\.\d+\.\d+/);
    assert.equal(body.options.allowInjection, true);
  });
});

describe('DELETE savedRequests with match=', () => {
  it("clears one space's recorded requests and leaves the others", async () => {
    const { url, port } = await create({
      recordRequests: true,
      _rift: { flowState: { flowIdSource: 'header:X-Mock-Space' } },
      stubs: [{ responses: [{ is: { body: 'ok' } }] }],
    });
    for (const who of ['alice', 'bob', 'alice']) await get(url, { headers: { 'X-Mock-Space': who } });
    const saved = `${standin.url}/imposters/${port}/savedRequests`;
    assert.equal((await del(`${saved}?match=flow_id=alice`)).status, 200);
    assert.equal((await get(`${saved}?match=flow_id=alice`)).json().length, 0);
    assert.equal((await get(`${saved}?match=flow_id=bob`)).json().length, 1);
    assert.equal((await get(saved)).json().length, 1);
  });
});

describe('POST /admin/reload', () => {
  it('without --configfile changes nothing and says so', async () => {
    const res = await post(`${standin.url}/admin/reload`, '');
    assert.equal(res.status, 200);
    assert.deepEqual(res.json(), {
      message: 'standin was started without --configfile: there is nothing to reload',
      created: [],
      replaced: [],
      stubPatched: [],
      deleted: [],
    });
  });

  it('applies only what changed in --configfile: unchanged imposters keep their journal and scenario state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'standin-reload-'));
    const file = join(dir, 'imposters.json');
    const [kept, patched, replaced, removed, added] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
    const scenario = {
      port: kept,
      protocol: 'http',
      recordRequests: true,
      stubs: [
        { scenarioName: 's', requiredScenarioState: 'Started', newScenarioState: 'next', responses: [{ is: { body: 'first' } }] },
        { scenarioName: 's', requiredScenarioState: 'next', responses: [{ is: { body: 'second' } }] },
      ],
    };
    const simple = (port: number, body: string, extra: Record<string, unknown> = {}) => ({
      port,
      protocol: 'http',
      ...extra,
      stubs: [{ responses: [{ is: { body } }] }],
    });
    writeFileSync(file, JSON.stringify({ imposters: [scenario, simple(patched, 'old'), simple(replaced, 'r'), simple(removed, 'gone')] }));
    const server = await startStandin(['--configfile', file]);
    try {
      assert.equal((await get(`http://127.0.0.1:${kept}/`)).body, 'first');
      writeFileSync(
        file,
        JSON.stringify({
          imposters: [scenario, simple(patched, 'new'), simple(replaced, 'r', { recordRequests: true }), simple(added, 'added')],
        }),
      );
      const res = await post(`${server.url}/admin/reload`, '');
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(res.json(), {
        message: 'Reloaded 4 imposter(s)',
        created: [added],
        replaced: [replaced],
        stubPatched: [patched],
        deleted: [removed],
      });
      assert.equal((await get(`http://127.0.0.1:${kept}/`)).body, 'second', 'the unchanged imposter kept its scenario state');
      assert.equal((await get(`${server.url}/imposters/${kept}`)).json().requests.length, 2, 'and its journal');
      assert.equal((await get(`http://127.0.0.1:${patched}/`)).body, 'new');
      assert.equal((await get(`http://127.0.0.1:${added}/`)).body, 'added');
      assert.equal((await get(`${server.url}/imposters/${removed}`)).status, 404);

      // A file that cannot be used changes nothing.
      writeFileSync(file, JSON.stringify({ imposters: [{ port: kept, protocol: 'nope' }] }));
      const refused = await post(`${server.url}/admin/reload`, '');
      assert.equal(refused.status, 400);
      assert.match(refused.json().errors[0].message, /nope protocol is not yet supported/);
      assert.equal((await get(`http://127.0.0.1:${patched}/`)).body, 'new');
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
