// Predicates over the wire, with the examples of mountebank's predicate documentation.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort, post, request } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let mb: StandinProcess;
before(async () => {
  mb = await startStandin();
});
after(async () => {
  await mb.stop();
});

/** An imposter whose stub answers 'matched' for these predicates (and an empty 200 otherwise). */
async function matcher(
  predicates: unknown[],
): Promise<(method: string, path: string, options?: { headers?: Record<string, string>; body?: string }) => Promise<boolean>> {
  const port = await freePort();
  const res = await post(`${mb.url}/imposters`, { protocol: 'http', port, stubs: [{ predicates, responses: [{ is: { body: 'matched' } }] }] });
  assert.equal(res.status, 201, res.body);
  return async (method, path, options = {}) => (await request(method, `http://127.0.0.1:${port}${path}`, options)).body === 'matched';
}

describe('equals', () => {
  it('matches method, path, query and headers, case-insensitively by default', async () => {
    const hits = await matcher([{ equals: { method: 'POST', path: '/test', query: { first: '1', second: '2' }, headers: { Accept: 'text/plain' } } }]);
    assert.equal(await hits('POST', '/test?First=1&second=2', { headers: { accept: 'TEXT/PLAIN' } }), true);
    assert.equal(await hits('POST', '/test?first=1', { headers: { accept: 'text/plain' } }), false);
    assert.equal(await hits('GET', '/test?first=1&second=2', { headers: { accept: 'text/plain' } }), false);
  });

  it('honours caseSensitive and except', async () => {
    const exact = await matcher([{ equals: { path: '/Test' }, caseSensitive: true }]);
    assert.equal(await exact('GET', '/Test'), true);
    assert.equal(await exact('GET', '/test'), false);
    const except = await matcher([{ equals: { body: 'hello' }, except: '\\d+' }]);
    assert.equal(await except('POST', '/', { body: 'hel123lo' }), true);
  });

  it('reaches into JSON bodies, and treats a missing field as ""', async () => {
    const json = await matcher([{ equals: { body: { user: { name: 'Alice' } } } }]);
    assert.equal(await json('POST', '/', { body: '{"user": {"name": "alice", "id": 1}}' }), true);
    assert.equal(await json('POST', '/', { body: '{"user": {"name": "bob"}}' }), false);
    const missing = await matcher([{ equals: { query: { absent: '' } } }]);
    assert.equal(await missing('GET', '/'), true);
  });

  it('compares numbers with their string forms', async () => {
    const numeric = await matcher([{ equals: { query: { id: 1 }, body: { count: 5 } } }]);
    assert.equal(await numeric('POST', '/?id=1', { body: '{"count": 5}' }), true);
  });
});

describe('deepEquals', () => {
  it('needs the whole object, with repeated query values as a set', async () => {
    const hits = await matcher([{ deepEquals: { query: { tag: ['b', 'a'] } } }]);
    assert.equal(await hits('GET', '/?tag=a&tag=b'), true);
    assert.equal(await hits('GET', '/?tag=a&tag=b&extra=1'), false);
    const none = await matcher([{ deepEquals: { query: {} } }]);
    assert.equal(await none('GET', '/'), true);
    assert.equal(await none('GET', '/?q=1'), false);
  });
});

describe('contains, startsWith, endsWith, matches', () => {
  it('work on strings', async () => {
    const hits = await matcher([{ contains: { body: 'middle' } }, { startsWith: { path: '/api' } }, { endsWith: { path: '.json' } }]);
    assert.equal(await hits('POST', '/api/data.json', { body: 'the MIDDLE part' }), true);
    assert.equal(await hits('POST', '/web/data.json', { body: 'middle' }), false);
  });

  it('matches takes a regex, case-insensitive unless caseSensitive', async () => {
    const hits = await matcher([{ matches: { path: '^/orders/\\d+$', body: '\\W+id' } }]);
    assert.equal(await hits('PUT', '/ORDERS/42', { body: '{"id": 1}' }), true);
    assert.equal(await hits('PUT', '/orders/abc', { body: '{"id": 1}' }), false);
  });
});

describe('exists', () => {
  it('checks presence of query keys, headers and JSON fields', async () => {
    const hits = await matcher([{ exists: { query: { q: true, nope: false }, headers: { 'X-Token': true }, body: { id: true } } }]);
    assert.equal(await hits('POST', '/?q=1', { headers: { 'x-token': 'abc' }, body: '{"id": 7}' }), true);
    assert.equal(await hits('POST', '/?q=1&nope=2', { headers: { 'x-token': 'abc' }, body: '{"id": 7}' }), false);
    assert.equal(await hits('POST', '/?q=1', { body: '{"id": 7}' }), false);
  });
});

describe('not, or, and', () => {
  it('combine predicates', async () => {
    const hits = await matcher([
      {
        and: [{ or: [{ equals: { method: 'GET' } }, { equals: { method: 'HEAD' } }] }, { not: { contains: { path: 'admin' } } }],
      },
    ]);
    assert.equal(await hits('GET', '/public'), true);
    assert.equal(await hits('GET', '/admin/users'), false);
    assert.equal(await hits('POST', '/public'), false);
  });
});

describe('jsonpath and xpath', () => {
  it('select from JSON bodies', async () => {
    const hits = await matcher([{ equals: { body: 'Harry Potter' }, jsonpath: { selector: '$.books[1].title' } }]);
    assert.equal(await hits('POST', '/', { body: '{"books": [{"title": "Dune"}, {"title": "Harry Potter"}]}' }), true);
    assert.equal(await hits('POST', '/', { body: '{"books": [{"title": "Harry Potter"}, {"title": "Dune"}]}' }), false);
  });

  it('select from XML bodies, with namespaces', async () => {
    const hits = await matcher([{ equals: { body: 'Mountebank' }, xpath: { selector: '//b:title', ns: { b: 'http://example.com/book' } } }]);
    const xml = '<books xmlns:b="http://example.com/book"><b:title>Mountebank</b:title></books>';
    assert.equal(await hits('POST', '/', { body: xml }), true);
    assert.equal(await hits('POST', '/', { body: xml.replace('Mountebank', 'Other') }), false);
  });
});
