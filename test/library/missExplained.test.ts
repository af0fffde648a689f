// A miss's explanation (the closest stub) is worked out only when something reads it: in the
// library without a log option or file, GET /logs is the only reader of the info line, and the
// recorded request's nearMiss is built when savedRequests asks. What a user reads is the same as
// when it was built at once: the stubs in force at the miss, whatever changed since.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { start } from '../../src/library/index.js';
import { get, put } from '../support/http.js';

test('a miss explained on reading names the stubs in force when it missed', async () => {
  const standin = await start();
  try {
    const imposter = await standin.createImposter({
      protocol: 'http',
      recordRequests: true,
      stubs: [
        { id: 'users', predicates: [{ equals: { method: 'GET', path: '/users' } }], responses: [{ is: { body: 'users' } }] },
        { id: 'orders', predicates: [{ equals: { method: 'POST', path: '/orders' } }], responses: [{ is: { body: 'orders' } }] },
      ],
    });
    assert.equal((await get(`${imposter.url}/user`)).status, 200);
    // Then the stubs change: the miss was against the old ones.
    const replaced = await put(`${standin.url}/imposters/${imposter.port}/stubs`, {
      stubs: [{ id: 'other', predicates: [{ equals: { path: '/elsewhere' } }], responses: [{ is: {} }] }],
    });
    assert.equal(replaced.status, 200);

    const logs = (await get(`${standin.url}/logs`)).json().logs as { level: string; message: string }[];
    const line = logs.find((entry) => entry.message.includes('no stub matched'));
    assert.deepEqual(
      { level: line?.level, message: line?.message },
      {
        level: 'info',
        message: `[http:${imposter.port}] no stub matched GET /user; closest is stub 0 "users" (1 of 2 clauses held): predicates[0].equals.path: expected "/users", got "/user"`,
      },
    );

    const saved = (await get(`${standin.url}/imposters/${imposter.port}/savedRequests?explain=true`)).json();
    const record = (Array.isArray(saved) ? saved : saved.requests)[0];
    assert.equal(record.stub, null);
    assert.equal(record.nearMiss.id, 'users');
    assert.deepEqual(record.nearMiss.failed, [
      { at: 'predicates[0].equals.path', operator: 'equals', held: false, field: 'path', expected: '/users', actual: '/user' },
    ]);
  } finally {
    await standin.close();
  }
});
