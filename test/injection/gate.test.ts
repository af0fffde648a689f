// Without --allowInjection every injection point is refused with 400 `invalid injection` (nested
// inside and/or/not too, and in the old `_behaviors` form), nothing is created, and what was
// running keeps running. With the flag the same definitions are accepted.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort, get, post } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let plain: StandinProcess;
let injecting: StandinProcess;
before(async () => {
  [plain, injecting] = await Promise.all([startStandin(), startStandin(['--allowInjection'])]);
});
after(async () => {
  await Promise.all([plain.stop(), injecting.stop()]);
});

const fn = 'function (config) { return true; }';
const JS = 'JavaScript injection is not allowed unless mb is run with the --allowInjection flag';
const SHELL = 'Shell execution is not allowed unless mb is run with the --allowInjection flag';

const points: { name: string; stub: Record<string, unknown>; message: string }[] = [
  { name: 'response inject', stub: { responses: [{ inject: fn }] }, message: JS },
  { name: 'predicate inject', stub: { predicates: [{ inject: fn }], responses: [{ is: {} }] }, message: JS },
  { name: 'predicate inject inside and', stub: { predicates: [{ and: [{ equals: { path: '/' } }, { inject: fn }] }], responses: [{ is: {} }] }, message: JS },
  { name: 'predicate inject inside or', stub: { predicates: [{ or: [{ equals: { path: '/' } }, { inject: fn }] }], responses: [{ is: {} }] }, message: JS },
  { name: 'predicate inject inside not', stub: { predicates: [{ not: { inject: fn } }], responses: [{ is: {} }] }, message: JS },
  {
    name: 'predicate inject deep inside not/or/and',
    stub: { predicates: [{ not: { or: [{ and: [{ inject: fn }] }] } }], responses: [{ is: {} }] },
    message: JS,
  },
  { name: 'decorate', stub: { responses: [{ is: {}, behaviors: [{ decorate: 'function (config) {}' }] }] }, message: JS },
  { name: 'decorate in the old _behaviors', stub: { responses: [{ is: {}, _behaviors: { decorate: 'function (config) {}' } }] }, message: JS },
  { name: 'wait as a function', stub: { responses: [{ is: {}, behaviors: [{ wait: 'function () { return 10; }' }] }] }, message: JS },
  { name: 'shellTransform', stub: { responses: [{ is: {}, behaviors: [{ shellTransform: 'echo {}' }] }] }, message: SHELL },
  { name: 'shellTransform in the old _behaviors (array)', stub: { responses: [{ is: {}, _behaviors: { shellTransform: ['echo {}'] } }] }, message: SHELL },
  {
    name: 'proxy addDecorateBehavior',
    stub: { responses: [{ proxy: { to: 'http://127.0.0.1:1', addDecorateBehavior: 'function (config) {}' } }] },
    message: JS,
  },
  {
    name: 'predicateGenerator inject',
    stub: { responses: [{ proxy: { to: 'http://127.0.0.1:1', predicateGenerators: [{ inject: 'function (config) { return []; }' }] } }] },
    message: JS,
  },
];

describe('the --allowInjection gate', () => {
  it('keeps a running imposter untouched while refusing', async () => {
    const port = await freePort();
    const res = await post(`${plain.url}/imposters`, { protocol: 'http', port, stubs: [{ responses: [{ is: { body: 'running' } }] }] });
    assert.equal(res.status, 201, res.body);
    for (const point of points) {
      const refused = await post(`${plain.url}/imposters/${port}/stubs`, { stub: point.stub });
      assert.equal(refused.status, 400, `${point.name}: ${refused.body}`);
      assert.equal(refused.json().errors[0].code, 'invalid injection', point.name);
    }
    assert.equal((await get(`${plain.url}/imposters/${port}`)).json().stubs.length, 1, 'no stub was added');
    assert.equal((await get(`http://127.0.0.1:${port}/`)).body, 'running');
    await fetch(`${plain.url}/imposters/${port}`, { method: 'DELETE' });
  });

  for (const point of points) {
    it(`refuses ${point.name} without the flag, accepts it with the flag`, async () => {
      const port = await freePort();
      const refused = await post(`${plain.url}/imposters`, { protocol: 'http', port, stubs: [point.stub] });
      assert.equal(refused.status, 400, refused.body);
      const error = refused.json().errors[0];
      assert.equal(error.code, 'invalid injection');
      assert.equal(error.message, point.message);
      assert.ok(error.source, 'the error names its source');
      assert.deepEqual((await get(`${plain.url}/imposters`)).json().imposters, [], 'nothing was created');

      const accepted = await post(`${injecting.url}/imposters`, { protocol: 'http', port, stubs: [point.stub] });
      assert.equal(accepted.status, 201, accepted.body);
      await fetch(`${injecting.url}/imposters/${port}`, { method: 'DELETE' });
    });
  }

  it('refuses injection in imposters loaded by PUT /imposters too', async () => {
    const res = await fetch(`${plain.url}/imposters`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ imposters: [{ protocol: 'http', port: await freePort(), stubs: [points[0]!.stub] }] }),
    });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { errors: { code: string }[] }).errors[0]!.code, 'invalid injection');
  });
});
