// Recorded requests you can query: Rift's savedRequests cursor and filters, and server-side verify.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { del, freePort, get, post } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let mb: StandinProcess;
before(async () => {
  mb = await startStandin(['--journalCap', '4']);
});
after(async () => {
  await mb.stop();
});

async function recordingImposter(extra: Record<string, unknown> = {}): Promise<number> {
  const port = await freePort();
  const created = await post(`${mb.url}/imposters`, {
    protocol: 'http',
    port,
    recordRequests: true,
    stubs: [{ id: 'orders', predicates: [{ equals: { path: '/orders' } }], responses: [{ is: { body: 'ok' } }] }],
    ...extra,
  });
  assert.equal(created.status, 201, created.body);
  return port;
}

const paths = (requests: { path: string }[]) => requests.map((r) => r.path);

describe('GET /imposters/:id/savedRequests', () => {
  it('answers the journal with a cursor, and since= gives only what came after it', async () => {
    const port = await recordingImposter();
    const empty = await get(`${mb.url}/imposters/${port}/savedRequests`);
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.json(), []);
    assert.equal(empty.headers['x-rift-next-index'], '0');

    await get(`http://127.0.0.1:${port}/orders`);
    await get(`http://127.0.0.1:${port}/a`);
    const baseline = await get(`${mb.url}/imposters/${port}/savedRequests`);
    assert.deepEqual(paths(baseline.json()), ['/orders', '/a']);
    assert.equal(baseline.headers['x-rift-next-index'], '2');
    const printed = (await get(`${mb.url}/imposters/${port}`)).json();
    assert.deepEqual(baseline.json(), printed.requests, "each element is mountebank's recorded request");

    await get(`http://127.0.0.1:${port}/b`);
    const tail = await get(`${mb.url}/imposters/${port}/savedRequests?since=2`);
    assert.deepEqual(paths(tail.json()), ['/b']);
    assert.equal(tail.headers['x-rift-next-index'], '3');
    assert.equal(tail.headers['x-rift-truncated'], undefined);
    assert.deepEqual((await get(`${mb.url}/imposters/${port}/savedRequests?since=3`)).json(), []);

    // Clearing keeps the numbering; the cap's evictions are reported to a cursor that missed them.
    await del(`${mb.url}/imposters/${port}/savedRequests`);
    for (const p of ['/c', '/d', '/e', '/f', '/g']) await get(`http://127.0.0.1:${port}${p}`);
    const after = await get(`${mb.url}/imposters/${port}/savedRequests?since=3`);
    assert.deepEqual(paths(after.json()), ['/d', '/e', '/f', '/g'], 'the journal keeps 4');
    assert.equal(after.headers['x-rift-next-index'], '8');
    assert.equal(after.headers['x-rift-truncated'], 'true', '/c was evicted before the reader saw it');
    assert.equal((await get(`${mb.url}/imposters/${port}/savedRequests?since=4`)).headers['x-rift-truncated'], undefined);
  });

  it('keeps only requests passing every match= clause, and explains them when asked', async () => {
    const port = await recordingImposter({ _rift: { flowState: { flowIdSource: 'header:X-Tenant' } } });
    await get(`http://127.0.0.1:${port}/orders`, { headers: { 'X-Tenant': 'a' } });
    await post(`http://127.0.0.1:${port}/orders`, 'x', { headers: { 'X-Tenant': 'b' } });
    await get(`http://127.0.0.1:${port}/other`, { headers: { 'X-Tenant': 'a' } });
    const q = (query: string) => get(`${mb.url}/imposters/${port}/savedRequests?${query}`);
    assert.deepEqual(paths((await q('match=method=GET')).json()), ['/orders', '/other']);
    assert.deepEqual(paths((await q('match=path=/orders&match=method=POST')).json()), ['/orders']);
    assert.deepEqual(paths((await q('match=header:x-tenant=a')).json()), ['/orders', '/other']);
    assert.deepEqual(paths((await q('match=flow_id=b')).json()), ['/orders']);
    assert.deepEqual(paths((await q('since=1&match=flow_id=a')).json()), ['/other']);
    const bad = await q('match=body=x');
    assert.equal(bad.status, 400);
    assert.match(bad.json().errors[0].message, /^unsupported match clause 'body=x'/);
    assert.equal((await q('since=-1')).json().errors[0].message, "invalid since cursor '-1' (expected a non-negative integer)");

    const explained = (await q('explain=true')).json();
    assert.deepEqual(explained[0].stub, { index: 0, id: 'orders' });
    assert.equal(explained[0].index, 1);
    assert.equal(explained[0].request.path, '/orders');
    assert.equal(explained[2].stub, null);
    assert.equal(explained[2].nearMiss.failed[0].actual, '/other');
  });
});

describe('POST /imposters/:id/verify', () => {
  it('counts the recorded requests that satisfy the predicates, and returns them when asked', async () => {
    const port = await recordingImposter();
    await get(`http://127.0.0.1:${port}/orders`);
    await post(`http://127.0.0.1:${port}/orders`, { item: 'book' });
    await get(`http://127.0.0.1:${port}/other`);
    const url = `${mb.url}/imposters/${port}/verify`;
    assert.deepEqual((await post(url, { predicates: [{ equals: { path: '/orders' } }] })).json(), { matched: 2, total: 3 });
    const withRequests = (await post(url, { predicates: [{ equals: { method: 'POST' } }], includeRequests: true })).json();
    assert.equal(withRequests.matched, 1);
    assert.equal(withRequests.requests[0].body, '{"item":"book"}');
    assert.deepEqual((await post(url, { predicates: [] })).json(), { matched: 3, total: 3 });
  });

  it('returns the closest non-match with the predicates it failed, and checks an expected count', async () => {
    const port = await recordingImposter();
    await get(`http://127.0.0.1:${port}/orders/1`);
    await post(`http://127.0.0.1:${port}/orders/2`, { qty: 1 });
    await get(`http://127.0.0.1:${port}/nothing`);
    const url = `${mb.url}/imposters/${port}/verify`;
    const predicates = [{ equals: { method: 'POST' } }, { startsWith: { path: '/orders' } }, { equals: { body: { qty: 2 } } }];
    const closest = (await post(url, { predicates, includeClosest: true })).json();
    assert.equal(closest.matched, 0);
    assert.equal(closest.total, 3);
    assert.equal(closest.closest.request.path, '/orders/2');
    assert.deepEqual(closest.closest.failedPredicates, [
      {
        predicate: { equals: { body: { qty: 2 } } },
        actual: { body: '{"qty":1}' },
        clauses: [{ at: 'predicates[2].equals.body', operator: 'equals', held: false, field: 'body', expected: { qty: 2 }, actual: { qty: 1 } }],
      },
    ]);

    const failed = (await post(url, { predicates: [{ startsWith: { path: '/orders' } }], times: 1 })).json();
    assert.equal(failed.verified, false);
    assert.equal(failed.message, 'expected exactly 1 matching request, found 2 of 3');
    assert.equal(failed.closest, undefined, 'too many matched: no closest non-match is needed');
    const tooFew = (await post(url, { predicates: [{ equals: { path: '/orders/3' } }], times: { atLeast: 1 } })).json();
    assert.equal(tooFew.verified, false);
    assert.equal(tooFew.message, 'expected at least 1 matching request, found 0 of 3');
    assert.equal(tooFew.closest.request.path, '/nothing', 'of equally close requests, the most recent');
    const held = (await post(url, { predicates: [{ startsWith: { path: '/orders' } }], times: { atLeast: 1, atMost: 2 } })).json();
    assert.deepEqual(held, { matched: 2, total: 3, verified: true });

    assert.equal((await post(url, { predicates: {} })).status, 400);
    assert.equal((await post(url, { predicates: [], times: { atLeast: 2, atMost: 1 } })).status, 400);
    const inject = await post(url, { predicates: [{ inject: 'function () { return true; }' }] });
    assert.equal(inject.status, 400);
    assert.equal(inject.json().errors[0].code, 'invalid injection');
  });
});
