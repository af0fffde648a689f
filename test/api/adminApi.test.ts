// Every admin endpoint, driven over HTTP as a mountebank client library would.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { del, freePort, get, post, put, request } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let mb: StandinProcess;
before(async () => {
  mb = await startStandin();
});
after(async () => {
  await mb.stop();
});

const stub = (body: string, path?: string) => ({
  ...(path ? { predicates: [{ equals: { path } }] } : {}),
  responses: [{ is: { body } }],
});

describe('GET /', () => {
  it('links to imposters, config and logs with absolute URLs from the Host header', async () => {
    const res = await get(`${mb.url}/`);
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^application\/json/);
    assert.deepEqual(res.json()._links, {
      imposters: { href: `http://127.0.0.1:${mb.port}/imposters` },
      config: { href: `http://127.0.0.1:${mb.port}/config` },
      logs: { href: `http://127.0.0.1:${mb.port}/logs` },
    });
  });

  it('builds links from whatever Host the client used', async () => {
    const res = await get(`${mb.url}/`, { headers: { Host: 'mb.example.test:9999' } });
    assert.equal(res.json()._links.imposters.href, 'http://mb.example.test:9999/imposters');
  });
});

describe('POST /imposters', () => {
  it('creates an imposter: 201, Location, full JSON, and it answers on its port', async () => {
    const port = await freePort();
    const res = await post(`${mb.url}/imposters`, { protocol: 'http', port, name: 'first', stubs: [stub('hello')] });
    assert.equal(res.status, 201);
    assert.equal(res.headers.location, `http://127.0.0.1:${mb.port}/imposters/${port}`);
    const body = res.json();
    assert.deepEqual(Object.keys(body), ['protocol', 'port', 'name', 'numberOfRequests', 'recordRequests', 'requests', 'stubs', '_links']);
    assert.equal(body.port, port);
    assert.equal(body.numberOfRequests, 0);
    assert.equal(body.recordRequests, false);
    assert.deepEqual(body.requests, []);
    assert.deepEqual(body.stubs, [
      { responses: [{ is: { body: 'hello' } }], _links: { self: { href: `http://127.0.0.1:${mb.port}/imposters/${port}/stubs/0` } } },
    ]);
    assert.deepEqual(body._links, {
      self: { href: `http://127.0.0.1:${mb.port}/imposters/${port}` },
      stubs: { href: `http://127.0.0.1:${mb.port}/imposters/${port}/stubs` },
    });
    const answer = await get(`http://127.0.0.1:${port}/anything`);
    assert.equal(answer.body, 'hello');
    await del(`${mb.url}/imposters/${port}`);
  });

  it('assigns a port when none is given', async () => {
    const res = await post(`${mb.url}/imposters`, { protocol: 'http', stubs: [stub('assigned')] });
    assert.equal(res.status, 201);
    const port = res.json().port;
    assert.ok(Number.isInteger(port) && port > 0);
    assert.equal(res.headers.location, `http://127.0.0.1:${mb.port}/imposters/${port}`);
    assert.equal((await get(`http://127.0.0.1:${port}/`)).body, 'assigned');
    await del(`${mb.url}/imposters/${port}`);
  });

  it('accepts the port as a numeric string', async () => {
    const port = await freePort();
    const res = await post(`${mb.url}/imposters`, { protocol: 'http', port: String(port) });
    assert.equal(res.status, 201);
    assert.equal(res.json().port, port);
    await del(`${mb.url}/imposters/${port}`);
  });
});

describe('GET /imposters', () => {
  it('lists imposters ordered by port, in the short format', async () => {
    const [a, b] = [await freePort(), await freePort()].sort((x, y) => y - x);
    await post(`${mb.url}/imposters`, { protocol: 'http', port: a!, stubs: [stub('a')] });
    await post(`${mb.url}/imposters`, { protocol: 'http', port: b!, name: 'bee', stubs: [stub('b')] });
    const res = await get(`${mb.url}/imposters`);
    assert.equal(res.status, 200);
    const list = res.json().imposters;
    assert.deepEqual(
      list.map((i: { port: number }) => i.port),
      [Math.min(a!, b!), Math.max(a!, b!)],
    );
    const bee = list.find((i: { port: number }) => i.port === b);
    assert.deepEqual(bee, {
      protocol: 'http',
      port: b,
      name: 'bee',
      numberOfRequests: 0,
      _links: { self: { href: `http://127.0.0.1:${mb.port}/imposters/${b}` }, stubs: { href: `http://127.0.0.1:${mb.port}/imposters/${b}/stubs` } },
    });
    const replayable = (await get(`${mb.url}/imposters?replayable=TRUE`)).json().imposters;
    assert.deepEqual(
      replayable.find((i: { port: number }) => i.port === b),
      {
        protocol: 'http',
        port: b,
        name: 'bee',
        recordRequests: false,
        stubs: [{ responses: [{ is: { body: 'b' } }] }],
      },
    );
    await del(`${mb.url}/imposters`);
  });
});

describe('GET /imposters/:id', () => {
  it("answers 404 with mountebank's error for an unknown imposter", async () => {
    const res = await get(`${mb.url}/imposters/1`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.json(), { errors: [{ code: 'no such resource', message: 'Try POSTing to /imposters first?' }] });
  });

  it('counts requests and prints replayable and removeProxies forms', async () => {
    const port = await freePort();
    await post(`${mb.url}/imposters`, { protocol: 'http', port, stubs: [stub('x')] });
    await get(`http://127.0.0.1:${port}/`);
    await get(`http://127.0.0.1:${port}/`);
    const full = (await get(`${mb.url}/imposters/${port}`)).json();
    assert.equal(full.numberOfRequests, 2);
    assert.deepEqual(full.requests, [], 'requests are not recorded without recordRequests');
    const replayable = (await get(`${mb.url}/imposters/${port}?replayable=true`)).json();
    assert.deepEqual(replayable, { protocol: 'http', port, recordRequests: false, stubs: [{ responses: [{ is: { body: 'x' } }] }] });
    await del(`${mb.url}/imposters/${port}`);
  });
});

describe('DELETE /imposters/:id', () => {
  it('returns the deleted imposter, frees its port, and answers {} when there is none', async () => {
    const port = await freePort();
    await post(`${mb.url}/imposters`, { protocol: 'http', port, stubs: [stub('gone soon')] });
    const res = await del(`${mb.url}/imposters/${port}`);
    assert.equal(res.status, 200);
    assert.equal(res.json().port, port);
    assert.ok('numberOfRequests' in res.json(), 'not replayable by default');
    await assert.rejects(get(`http://127.0.0.1:${port}/`), /ECONNREFUSED/);
    const again = await del(`${mb.url}/imposters/${port}`);
    assert.equal(again.status, 200);
    assert.deepEqual(again.json(), {});
    // The port is free at once: the same port can be used again.
    assert.equal((await post(`${mb.url}/imposters`, { protocol: 'http', port })).status, 201);
    const replayable = await del(`${mb.url}/imposters/${port}?replayable=true`);
    assert.deepEqual(replayable.json(), { protocol: 'http', port, recordRequests: false, stubs: [] });
  });
});

describe('PUT /imposters and DELETE /imposters', () => {
  it('replaces every imposter and deletes all, returning the replayable config', async () => {
    const [p1, p2, p3] = [await freePort(), await freePort(), await freePort()];
    await post(`${mb.url}/imposters`, { protocol: 'http', port: p1, stubs: [stub('old')] });
    const res = await put(`${mb.url}/imposters`, {
      imposters: [
        { protocol: 'http', port: p2, stubs: [stub('two')] },
        { protocol: 'http', port: p3, stubs: [stub('three')] },
      ],
    });
    assert.equal(res.status, 200);
    assert.deepEqual(
      res
        .json()
        .imposters.map((i: { port: number }) => i.port)
        .sort(),
      [p2, p3].sort(),
    );
    assert.ok(!('stubs' in res.json().imposters[0]), 'PUT answers in the list format');
    await assert.rejects(get(`http://127.0.0.1:${p1}/`), /ECONNREFUSED/);
    assert.equal((await get(`http://127.0.0.1:${p2}/`)).body, 'two');

    const deleted = await del(`${mb.url}/imposters`);
    assert.equal(deleted.status, 200);
    const imposters = deleted.json().imposters;
    assert.equal(imposters.length, 2);
    assert.deepEqual(
      imposters.find((i: { port: number }) => i.port === p3),
      { protocol: 'http', port: p3, recordRequests: false, stubs: [stub('three')] },
    );
    assert.deepEqual((await get(`${mb.url}/imposters`)).json(), { imposters: [] });
    assert.deepEqual((await del(`${mb.url}/imposters`)).json(), { imposters: [] });
  });

  it('refuses a PUT without imposters and keeps what runs', async () => {
    const port = await freePort();
    await post(`${mb.url}/imposters`, { protocol: 'http', port, stubs: [stub('kept')] });
    const res = await put(`${mb.url}/imposters`, { nothing: true });
    assert.equal(res.status, 400);
    assert.deepEqual(res.json().errors[0].message, "'imposters' is a required field");
    const bad = await put(`${mb.url}/imposters`, { imposters: [{ protocol: 'http', port: await freePort() }, { protocol: 'gopher' }] });
    assert.equal(bad.status, 400);
    assert.match(bad.json().errors[0].message, /^the gopher protocol is not yet supported/);
    assert.equal((await get(`http://127.0.0.1:${port}/`)).body, 'kept');
    await del(`${mb.url}/imposters`);
  });
});

describe('stub endpoints', () => {
  it('adds, replaces and deletes stubs in place, without restarting the imposter', async () => {
    const port = await freePort();
    const base = `${mb.url}/imposters/${port}`;
    await post(`${mb.url}/imposters`, { protocol: 'http', port, stubs: [stub('first', '/first')] });

    let res = await post(`${base}/stubs`, { stub: stub('second', '/second') });
    assert.equal(res.status, 200);
    assert.equal(res.json().stubs.length, 2);
    res = await post(`${base}/stubs`, { index: 0, stub: stub('zeroth', '/first') });
    assert.equal(res.json().stubs[0].responses[0].is.body, 'zeroth');
    assert.equal((await get(`http://127.0.0.1:${port}/first`)).body, 'zeroth', 'inserted stub comes first');

    res = await put(`${base}/stubs/1`, stub('replaced', '/first'));
    assert.equal(res.status, 200);
    assert.equal(res.json().stubs[1].responses[0].is.body, 'replaced');

    res = await del(`${base}/stubs/0`);
    assert.equal(res.status, 200);
    assert.equal((await get(`http://127.0.0.1:${port}/first`)).body, 'replaced');

    res = await put(`${base}/stubs`, { stubs: [stub('only')] });
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.json().stubs.map((s: { responses: { is: { body: string } }[] }) => s.responses[0]!.is.body),
      ['only'],
    );
    assert.equal((await get(`http://127.0.0.1:${port}/second`)).body, 'only');
    await del(base);
  });

  it("refuses bad stub requests with mountebank's messages and statuses", async () => {
    const port = await freePort();
    const base = `${mb.url}/imposters/${port}`;
    await post(`${mb.url}/imposters`, { protocol: 'http', port, stubs: [stub('one')] });

    let res = await post(`${base}/stubs`, { nostub: {} });
    assert.equal(res.status, 400);
    assert.deepEqual(
      res.json().errors.map((e: { code: string; message: string }) => [e.code, e.message]),
      [['bad data', "must contain 'stub' field"]],
    );

    res = await post(`${base}/stubs`, { index: 5, stub: stub('x') });
    assert.equal(res.status, 400);
    assert.equal(res.json().errors[0].message, "'index' must be between 0 and the length of the stubs array");

    res = await put(`${base}/stubs/7`, stub('x'));
    assert.equal(res.status, 404);
    assert.equal(res.json().errors[0].code, 'bad data');
    assert.equal(res.json().errors[0].message, "'stubIndex' must be a valid integer, representing the array index position of the stub to replace");
    assert.equal((await del(`${base}/stubs/abc`)).status, 404);

    res = await put(`${base}/stubs`, {});
    assert.equal(res.json().errors[0].message, "'stubs' is a required field");
    res = await put(`${base}/stubs`, { stubs: 'nope' });
    assert.equal(res.json().errors[0].message, "'stubs' must be an array");
    res = await put(`${base}/stubs`, { stubs: [stub('fine'), { responses: [] }] });
    assert.equal(res.status, 400);
    assert.equal(res.json().errors[0].message, "'responses' must be a non-empty array");

    assert.equal((await get(`http://127.0.0.1:${port}/`)).body, 'one', 'refused edits changed nothing');
    assert.equal((await post(`${mb.url}/imposters/1/stubs`, { stub: stub('x') })).status, 404);
    await del(base);
  });
});

describe('DELETE /imposters/:id/savedRequests', () => {
  it('clears recorded requests and resets numberOfRequests', async () => {
    const port = await freePort();
    await post(`${mb.url}/imposters`, { protocol: 'http', port, recordRequests: true });
    await get(`http://127.0.0.1:${port}/one`);
    assert.equal((await get(`${mb.url}/imposters/${port}`)).json().requests.length, 1);
    const res = await del(`${mb.url}/imposters/${port}/savedRequests`);
    assert.equal(res.status, 200);
    assert.equal(res.json().numberOfRequests, 0);
    assert.deepEqual(res.json().requests, []);
    await del(`${mb.url}/imposters/${port}`);
  });
});

describe('DELETE /imposters/:id/savedProxyResponses', () => {
  it('drops responses a proxy recorded (is._proxyResponseTime) and stubs left empty; /requests is its deprecated alias', async () => {
    for (const route of ['savedProxyResponses', 'requests']) {
      const port = await freePort();
      await post(`${mb.url}/imposters`, {
        protocol: 'http',
        port,
        stubs: [
          { predicates: [{ equals: { path: '/recorded' } }], responses: [{ is: { body: 'saved', _proxyResponseTime: 12 } }] },
          { predicates: [{ equals: { path: '/mixed' } }], responses: [{ is: { body: 'mine' } }, { is: { body: 'saved', _proxyResponseTime: 3 } }] },
        ],
      });
      const res = await del(`${mb.url}/imposters/${port}/${route}`);
      assert.equal(res.status, 200);
      assert.deepEqual(
        res.json().stubs.map((s: { responses: unknown[] }) => s.responses),
        [[{ is: { body: 'mine' } }]],
      );
      assert.equal((await get(`http://127.0.0.1:${port}/recorded`)).body, '');
      assert.equal((await get(`http://127.0.0.1:${port}/mixed`)).body, 'mine');
      await del(`${mb.url}/imposters/${port}`);
    }
  });

  it('prints replayable stubs without _proxyResponseTime', async () => {
    const port = await freePort();
    await post(`${mb.url}/imposters`, { protocol: 'http', port, stubs: [{ responses: [{ is: { body: 'saved', _proxyResponseTime: 12 } }] }] });
    const replayable = (await get(`${mb.url}/imposters/${port}?replayable=true`)).json();
    assert.deepEqual(replayable.stubs, [{ responses: [{ is: { body: 'saved' } }] }]);
    await del(`${mb.url}/imposters/${port}`);
  });
});

describe('GET /config and GET /logs', () => {
  it('reports version, options and process facts', async () => {
    const res = await get(`${mb.url}/config`);
    assert.equal(res.status, 200);
    const body = res.json();
    assert.match(body.version, /^\d+\.\d+\.\d+/);
    assert.equal(body.options.port, mb.port);
    assert.equal(body.process.nodeVersion, process.version);
    assert.ok(body.process.rss > 0);
  });

  it('returns log entries, with index bounds', async () => {
    const all = (await get(`${mb.url}/logs`)).json().logs;
    assert.ok(all.length > 0);
    assert.match(all[0].message, /now taking orders/);
    assert.deepEqual(Object.keys(all[0]).sort(), ['level', 'message', 'timestamp']);
    const one = (await get(`${mb.url}/logs?startIndex=0&endIndex=0`)).json().logs;
    assert.equal(one.length, 1);
  });
});

describe('admin API errors', () => {
  it('answers malformed JSON with 400 invalid JSON and the raw body', async () => {
    const res = await request('POST', `${mb.url}/imposters`, { body: '{"protocol": "http",' });
    assert.equal(res.status, 400);
    assert.deepEqual(res.json(), { errors: [{ code: 'invalid JSON', message: 'Unable to parse body as JSON', source: '{"protocol": "http",' }] });
  });

  it('answers an unknown route with 404', async () => {
    assert.equal((await get(`${mb.url}/nothing-here`)).status, 404);
  });
});
