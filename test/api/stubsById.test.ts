// Stable stub ids: Rift's /imposters/:id/stubs/by-id/:stubId routes, kept through every edit, and
// two clients adding and removing their own stubs at the same time without stepping on each other.
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

const stub = (id: string | undefined, path: string, body: string) => ({
  ...(id === undefined ? {} : { id }),
  predicates: [{ equals: { path } }],
  responses: [{ is: { body } }],
});

async function imposter(stubs: unknown[]): Promise<number> {
  const port = await freePort();
  const created = await post(`${mb.url}/imposters`, { protocol: 'http', port, stubs });
  assert.equal(created.status, 201, created.body);
  return port;
}

describe('stubs by id', () => {
  it('gets, replaces in place and deletes a stub by its id', async () => {
    const port = await imposter([stub(undefined, '/first', 'first'), stub('greeting', '/hi', 'hi'), stub('last', '/last', 'last')]);
    const byId = `${mb.url}/imposters/${port}/stubs/by-id/greeting`;
    assert.deepEqual((await get(byId)).json(), stub('greeting', '/hi', 'hi'));

    const replaced = await put(byId, { predicates: [{ equals: { path: '/hi' } }], responses: [{ is: { body: 'hello' } }] });
    assert.equal(replaced.status, 200);
    const ids = replaced.json().stubs.map((s: { id?: string }) => s.id);
    assert.deepEqual(ids, [undefined, 'greeting', 'last'], 'same position, id kept though the body left it out');
    assert.equal((await get(`http://127.0.0.1:${port}/hi`)).body, 'hello');

    // Edits by index keep the id too.
    await put(`${mb.url}/imposters/${port}/stubs/1`, stub(undefined, '/hi', 'hey'));
    assert.equal((await get(byId)).json().id, 'greeting');

    const deleted = await del(byId);
    assert.deepEqual(
      deleted.json().stubs.map((s: { id?: string }) => s.id),
      [undefined, 'last'],
    );
    const gone = await get(byId);
    assert.equal(gone.status, 404);
    assert.equal(gone.json().errors[0].code, 'no such resource');
    assert.match(gone.json().errors[0].message, /no stub has the id "greeting"/);
  });

  it('refuses a duplicate id, an id that is not a string, and a body naming another id', async () => {
    const port = await imposter([stub('a', '/a', 'a')]);
    const duplicate = await post(`${mb.url}/imposters/${port}/stubs`, { stub: stub('a', '/b', 'b') });
    assert.equal(duplicate.status, 400);
    assert.match(duplicate.json().errors[0].message, /two stubs have the id "a"/);
    assert.equal((await post(`${mb.url}/imposters/${port}/stubs`, { stub: stub(42 as unknown as string, '/b', 'b') })).status, 400);
    const renamed = await put(`${mb.url}/imposters/${port}/stubs/by-id/a`, stub('z', '/a', 'z'));
    assert.equal(renamed.status, 400);
    assert.equal((await get(`${mb.url}/imposters/${port}/stubs/by-id/a`)).json().responses[0].is.body, 'a', 'nothing changed');
    const port2 = await freePort();
    const twice = await post(`${mb.url}/imposters`, { protocol: 'http', port: port2, stubs: [stub('x', '/1', '1'), stub('x', '/2', '2')] });
    assert.equal(twice.status, 400);
  });

  it('lets two clients add and remove their own stubs at the same time', async () => {
    const port = await imposter([stub('shared', '/shared', 'shared')]);
    const stubsUrl = `${mb.url}/imposters/${port}/stubs`;
    const ids = (client: string) => Array.from({ length: 12 }, (_, i) => `${client}-${i}`);
    // Both clients insert at the front while the other does, so every index shifts under them.
    await Promise.all(
      ['a', 'b'].map(async (client) => {
        for (const id of ids(client)) {
          const added = await post(stubsUrl, { index: 0, stub: stub(id, `/${id}`, `v1 ${id}`) });
          assert.equal(added.status, 200);
        }
      }),
    );
    await Promise.all(['a', 'b'].map((client) => Promise.all(ids(client).map((id) => put(`${stubsUrl}/by-id/${id}`, stub(id, `/${id}`, `v2 ${id}`))))));
    for (const id of [...ids('a'), ...ids('b')]) assert.equal((await get(`http://127.0.0.1:${port}/${id}`)).body, `v2 ${id}`);
    // Each removes every other stub of its own, concurrently.
    await Promise.all(
      ['a', 'b'].map((client) =>
        Promise.all(
          ids(client)
            .filter((_, i) => i % 2 === 0)
            .map((id) => del(`${stubsUrl}/by-id/${id}`)),
        ),
      ),
    );
    const remaining = (await get(`${mb.url}/imposters/${port}`))
      .json()
      .stubs.map((s: { id: string }) => s.id)
      .sort();
    const expected = [...ids('a'), ...ids('b')]
      .filter((id) => Number(id.split('-')[1]) % 2 === 1)
      .concat('shared')
      .sort();
    assert.deepEqual(remaining, expected);
    assert.equal((await get(`http://127.0.0.1:${port}/shared`)).body, 'shared');
  });
});
