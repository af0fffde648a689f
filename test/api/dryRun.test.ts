// Why a request did not match: the dry run (POST /imposters/:id/test), Rift's X-Rift-Debug header
// and the info line logged for a request no stub matched, over the wire against the real server.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort, get, post } from '../support/http.js';
import { waitForOutput } from '../support/output.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let mb: StandinProcess;
before(async () => {
  mb = await startStandin(['--allowInjection']);
});
after(async () => {
  await mb.stop();
});

async function imposter(stubs: unknown[], extra: Record<string, unknown> = {}): Promise<number> {
  const port = await freePort();
  const created = await post(`${mb.url}/imposters`, { protocol: 'http', port, stubs, ...extra });
  assert.equal(created.status, 201, created.body);
  return port;
}

async function dryRun(port: number, request: Record<string, unknown>) {
  const reply = await post(`${mb.url}/imposters/${port}/test`, { request });
  assert.equal(reply.status, 200, reply.body);
  return reply.json();
}

const answer = (body: string) => ({ is: { statusCode: 200, body } });

describe('the dry run: which stub would answer, and why each did not', () => {
  it('reports the failed clause of each field operator with what the request had', async () => {
    const port = await imposter([
      { id: 'eq', predicates: [{ equals: { method: 'GET', path: '/orders' } }], responses: [answer('eq')] },
      { predicates: [{ deepEquals: { query: { page: '1' } } }], responses: [answer('deep')] },
      { predicates: [{ contains: { body: 'needle' } }], responses: [answer('contains')] },
      { predicates: [{ matches: { path: '^/items/\\d+$' } }], responses: [answer('matches')] },
      { predicates: [{ exists: { headers: { 'X-Token': true } } }], responses: [answer('exists')] },
    ]);
    const result = await dryRun(port, { method: 'POST', path: '/items/abc?page=2', headers: { 'Content-Type': 'text/plain' }, body: 'hay' });
    assert.equal(result.matched, false);
    assert.equal(result.stubIndex, null);
    assert.deepEqual(result.request.query, { page: '2' }, 'the query string in path is read as the query');
    const [eq, deep, contains, matches, exists] = result.stubs;

    assert.equal(eq.id, 'eq');
    assert.deepEqual(eq.failed, [
      { at: 'predicates[0].equals.method', operator: 'equals', held: false, field: 'method', expected: 'GET', actual: 'post' },
      { at: 'predicates[0].equals.path', operator: 'equals', held: false, field: 'path', expected: '/orders', actual: '/items/abc' },
    ]);
    assert.deepEqual([eq.held, eq.total], [0, 2]);
    assert.deepEqual(deep.failed, [
      { at: 'predicates[0].deepEquals.query', operator: 'deepEquals', held: false, field: 'query', expected: { page: '1' }, actual: { page: '2' } },
    ]);
    assert.deepEqual(contains.failed, [
      { at: 'predicates[0].contains.body', operator: 'contains', held: false, field: 'body', expected: 'needle', actual: 'hay' },
    ]);
    assert.deepEqual(matches.failed, [
      { at: 'predicates[0].matches.path', operator: 'matches', held: false, field: 'path', expected: '^/items/\\d+$', actual: '/items/abc' },
    ]);
    assert.deepEqual(exists.failed, [
      { at: 'predicates[0].exists.headers', operator: 'exists', held: false, field: 'headers', expected: { 'X-Token': true }, actual: {} },
    ]);
    assert.equal(result.nearMiss.index, 1, 'the closest stub is the first with the fewest failed clauses');
  });

  it('reports not, and and or with their clauses, after caseSensitive and except', async () => {
    const port = await imposter([
      { predicates: [{ not: { equals: { path: '/blocked' } } }], responses: [answer('not')] },
      {
        predicates: [{ and: [{ equals: { method: 'GET' } }, { startsWith: { path: '/API' }, caseSensitive: true }] }],
        responses: [answer('and')],
      },
      { predicates: [{ or: [{ equals: { path: '/a' } }, { equals: { query: { v: 'x2' } }, except: '\\d' }] }], responses: [answer('or')] },
    ]);
    const result = await dryRun(port, { method: 'GET', path: '/blocked', query: { v: '2' } });
    const [not, and, or] = result.stubs;
    assert.deepEqual(not.failed, [
      {
        at: 'predicates[0].not',
        operator: 'not',
        held: false,
        clauses: [{ at: 'predicates[0].not.equals.path', operator: 'equals', held: true, field: 'path', expected: '/blocked', actual: '/blocked' }],
      },
    ]);
    assert.deepEqual(and.failed, [
      {
        at: 'predicates[0].and',
        operator: 'and',
        held: false,
        clauses: [
          { at: 'predicates[0].and[0].equals.method', operator: 'equals', held: true, field: 'method', expected: 'GET', actual: 'get' },
          {
            at: 'predicates[0].and[1].startsWith.path',
            operator: 'startsWith',
            held: false,
            field: 'path',
            expected: '/API',
            actual: '/blocked',
            caseSensitive: true,
          },
        ],
      },
    ]);
    assert.equal(or.failed[0].operator, 'or');
    assert.deepEqual(or.failed[0].clauses[1], {
      at: 'predicates[0].or[1].equals.query',
      operator: 'equals',
      held: false,
      field: 'query',
      expected: { v: 'x2' },
      actual: { v: '' },
      except: '\\d',
    });
  });

  it('reports what jsonpath and xpath selected from the body', async () => {
    const port = await imposter([
      { predicates: [{ equals: { body: 'alice' }, jsonpath: { selector: '$.user.name' } }], responses: [answer('json')] },
      { predicates: [{ equals: { body: 'ok' }, xpath: { selector: '//status' } }], responses: [answer('xml')] },
    ]);
    const json = await dryRun(port, { method: 'POST', path: '/', body: { user: { name: 'Bob' } } });
    assert.deepEqual(json.stubs[0].failed, [
      { at: 'predicates[0].equals.body', operator: 'equals', held: false, field: 'body', expected: 'alice', actual: 'bob', jsonpath: '$.user.name' },
    ]);
    const xml = await dryRun(port, { method: 'POST', path: '/', body: '<reply><status>FAILED</status></reply>' });
    assert.deepEqual(xml.stubs[1].failed, [
      { at: 'predicates[0].equals.body', operator: 'equals', held: false, field: 'body', expected: 'ok', actual: 'failed', xpath: '//status' },
    ]);
  });

  it('names the stub that would answer and its next response, and changes nothing', async () => {
    const port = await imposter(
      [
        { predicates: [{ equals: { path: '/never' } }], responses: [answer('never')] },
        { id: 'cycle', predicates: [{ equals: { path: '/cycle' } }], responses: [answer('first'), answer('second')] },
        {
          predicates: [{ equals: { path: '/count' } }],
          responses: [{ inject: 'function (config) { config.state.n = (config.state.n || 0) + 1; return { body: String(config.state.n) }; }' }],
        },
      ],
      { recordRequests: true },
    );
    for (let i = 0; i < 3; i++) {
      const result = await dryRun(port, { path: '/cycle' });
      assert.equal(result.matched, true);
      assert.equal(result.stubIndex, 1);
      assert.equal(result.stubId, 'cycle');
      assert.deepEqual(result.response, answer('first'), 'the cycle does not move');
      assert.deepEqual(
        result.stubs.map((s: { matched: boolean }) => s.matched),
        [false, true, false],
      );
      await dryRun(port, { path: '/count' });
    }
    assert.equal((await get(`http://127.0.0.1:${port}/cycle`)).body, 'first');
    assert.equal((await get(`http://127.0.0.1:${port}/count`)).body, '1', 'the response never ran, so state is untouched');
    const printed = (await get(`${mb.url}/imposters/${port}`)).json();
    assert.equal(printed.numberOfRequests, 2, 'dry runs are not counted');
    assert.deepEqual(
      printed.requests.map((r: { path: string }) => r.path),
      ['/cycle', '/count'],
      'nor recorded',
    );
  });

  it('refuses a body without a request, and an unknown imposter', async () => {
    const port = await imposter([]);
    const bad = await post(`${mb.url}/imposters/${port}/test`, { path: '/x' });
    assert.equal(bad.status, 400);
    assert.match(bad.json().errors[0].message, /\{"request": \{"method": "GET", "path": "\/orders"\}\}/);
    assert.equal((await post(`${mb.url}/imposters/1/test`, { request: {} })).status, 404);
  });
});

describe('X-Rift-Debug: true answers what matching made of the request', () => {
  it('shows the matching stub and a preview of its response, without answering or recording', async () => {
    const port = await imposter(
      [
        {
          id: 'users',
          predicates: [{ equals: { path: '/users' } }],
          responses: [{ is: { statusCode: 201, headers: { 'Content-Type': 'application/json' }, body: { id: 1 } } }],
        },
      ],
      { name: 'users service', recordRequests: true },
    );
    const reply = await get(`http://127.0.0.1:${port}/users?page=1`, { headers: { 'X-Rift-Debug': 'TRUE', Accept: '*/*' } });
    assert.equal(reply.status, 200);
    assert.equal(reply.headers['x-rift-debug-response'], 'true');
    assert.match(reply.headers['content-type'] ?? '', /application\/json/);
    const body = reply.json();
    assert.equal(body.debug, true);
    assert.equal(body.request.method, 'GET');
    assert.equal(body.request.path, '/users');
    assert.equal(body.request.query, 'page=1');
    assert.equal(body.request.body, null);
    assert.equal(body.request.headers.Accept, '*/*');
    assert.equal(body.request.headers['X-Rift-Debug'], undefined, 'the debug header itself is left out');
    assert.deepEqual(body.imposter, { port, name: 'users service', protocol: 'http', stubCount: 1 });
    assert.deepEqual(body.matchResult, {
      matched: true,
      stubIndex: 0,
      stubId: 'users',
      predicates: [{ equals: { path: '/users' } }],
      responsePreview: { responseType: 'is', statusCode: 201, headers: { 'Content-Type': 'application/json' }, bodyPreview: '{"id":1}' },
    });
    const printed = (await get(`${mb.url}/imposters/${port}`)).json();
    assert.equal(printed.numberOfRequests, 0);
    assert.deepEqual(printed.requests, []);
  });

  it('lists every stub with the clauses it failed when none matches; other values answer normally', async () => {
    const port = await imposter([{ predicates: [{ equals: { path: '/users' } }], responses: [answer('users')] }]);
    const body = (await get(`http://127.0.0.1:${port}/orders`, { headers: { 'x-rift-debug': '1' } })).json();
    assert.equal(body.matchResult.matched, false);
    assert.equal(body.matchResult.reason, 'No stub predicates matched the request');
    assert.deepEqual(body.matchResult.allStubs, [
      {
        index: 0,
        predicates: [{ equals: { path: '/users' } }],
        responseCount: 1,
        failed: [{ at: 'predicates[0].equals.path', operator: 'equals', held: false, field: 'path', expected: '/users', actual: '/orders' }],
      },
    ]);
    const normal = await get(`http://127.0.0.1:${port}/users`, { headers: { 'X-Rift-Debug': 'false' } });
    assert.equal(normal.body, 'users');
    assert.equal(normal.headers['x-rift-debug-response'], undefined);
  });
});

describe('a request no stub matched', () => {
  it('is explained without running inject predicates a second time', async () => {
    const port = await imposter([
      { predicates: [{ equals: { path: '/calls' } }], responses: [{ inject: 'function (config) { return { body: String(config.state.calls) }; }' }] },
      {
        predicates: [{ inject: 'function (config) { config.state.calls = (config.state.calls || 0) + 1; return false; }' }],
        responses: [answer('never')],
      },
    ]);
    await get(`http://127.0.0.1:${port}/miss`);
    await waitForOutput(mb, new RegExp(`\\[http:${port}\\] no stub matched GET /miss; closest is stub 0 \\(0 of 1 clauses held\\)`));
    assert.equal((await get(`http://127.0.0.1:${port}/calls`)).body, '1', 'the predicate ran once, for matching');
    const recorded = (await post(`${mb.url}/imposters/${port}/test`, { request: { path: '/miss' } })).json();
    assert.deepEqual(recorded.stubs[1].failed, [{ at: 'predicates[0].inject', operator: 'inject', held: false }], 'a dry run does run it');
  });

  it('is logged at info with the closest stub and its first failing clause', async () => {
    const port = await imposter([
      { predicates: [{ equals: { method: 'POST', path: '/orders' } }], responses: [answer('post')] },
      { id: 'get-order', predicates: [{ equals: { method: 'GET' } }, { equals: { path: '/orders/1' } }], responses: [answer('get')] },
    ]);
    assert.equal((await get(`http://127.0.0.1:${port}/orders/2`)).body, '');
    await waitForOutput(
      mb,
      new RegExp(
        `info: \\[http:${port}\\] no stub matched GET /orders/2; closest is stub 1 "get-order" \\(1 of 2 clauses held\\): ` +
          'predicates\\[1\\]\\.equals\\.path: expected "/orders/1", got "/orders/2"',
      ),
    );
  });
});
