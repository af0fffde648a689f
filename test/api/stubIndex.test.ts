// Over the wire, the stub index follows every stub edit: a request reaches the stub the edited
// list says it should, whichever stubs were added, replaced or deleted by position.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { del, freePort, get, post, put } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let mb: StandinProcess;
before(async () => {
  mb = await startStandin();
});
after(async () => {
  await mb.stop();
});

const pathStub = (path: string, body: string, extra: Record<string, unknown> = {}) => ({
  predicates: [{ equals: { method: 'GET', path }, ...extra }],
  responses: [{ is: { body } }],
});

describe('stub index over the wire', () => {
  it('answers from the first matching stub after adds, replaces and deletes among 50 path stubs', async () => {
    const port = await freePort();
    const base = `${mb.url}/imposters/${port}`;
    const stubs = Array.from({ length: 50 }, (_, i) => pathStub(`/items/${i}`, `item ${i}`));
    const created = await post(`${mb.url}/imposters`, { protocol: 'http', port, stubs, defaultResponse: { statusCode: 404, body: 'none' } });
    assert.equal(created.status, 201, created.body);
    const body = async (path: string) => (await get(`http://127.0.0.1:${port}${path}`)).body;

    assert.equal(await body('/items/49'), 'item 49');
    assert.equal(await body('/ITEMS/7'), 'item 7', 'equals is case-insensitive by default');
    assert.equal(await body('/items/50'), 'none');

    await post(`${base}/stubs`, { index: 3, stub: pathStub('/items/40', 'inserted before 40') });
    assert.equal(await body('/items/40'), 'inserted before 40');

    await put(`${base}/stubs/10`, pathStub('/moved', 'was item 9', { caseSensitive: true }));
    assert.equal(await body('/items/9'), 'none', 'the replaced stub no longer answers its old path');
    assert.equal(await body('/moved'), 'was item 9');
    assert.equal(await body('/MOVED'), 'none', 'caseSensitive');

    await del(`${base}/stubs/3`);
    assert.equal(await body('/items/40'), 'item 40');

    await post(`${base}/stubs`, { index: 0, stub: { responses: [{ is: { body: 'catch-all' } }] } });
    assert.equal(await body('/items/49'), 'catch-all', 'a stub without predicates first wins over every keyed stub');
    await del(base);
  });
});
