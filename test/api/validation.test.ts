// Bad input gets mountebank's error envelope and status, and changes nothing that runs.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { del, freePort, get, post } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let mb: StandinProcess;
let sentinelPort: number;
before(async () => {
  mb = await startStandin();
  sentinelPort = await freePort();
  await post(`${mb.url}/imposters`, { protocol: 'http', port: sentinelPort, stubs: [{ responses: [{ is: { body: 'still here' } }] }] });
});
after(async () => {
  await mb.stop();
});

async function refused(body: unknown): Promise<{ code: string; message: string; source?: unknown }[]> {
  const before = (await get(`${mb.url}/imposters`)).json();
  const res = await post(`${mb.url}/imposters`, body);
  assert.equal(res.status, 400, `expected 400, got ${res.status}: ${res.body}`);
  const { errors } = res.json();
  assert.ok(Array.isArray(errors) && errors.length > 0);
  for (const e of errors) {
    assert.equal(typeof e.code, 'string');
    assert.equal(typeof e.message, 'string');
  }
  assert.deepEqual((await get(`${mb.url}/imposters`)).json(), before, 'a refused request changes nothing');
  assert.equal((await get(`http://127.0.0.1:${sentinelPort}/`)).body, 'still here');
  return errors;
}

const withStub = (stub: unknown) => ({ protocol: 'http', stubs: [stub] });
const answering = (predicates: unknown[]) => withStub({ predicates, responses: [{ is: { body: 'x' } }] });

describe('imposter validation', () => {
  it('requires a protocol', async () => {
    const [e] = await refused({ port: await freePort() });
    assert.equal(e!.code, 'bad data');
    assert.equal(e!.message, "'protocol' is a required field");
  });

  it("refuses an unknown protocol with mountebank's message, then the protocols there are", async () => {
    const [e] = await refused({ protocol: 'gopher' });
    assert.equal(e!.message, 'the gopher protocol is not yet supported; the protocols are http, https, tcp, smtp');
  });

  it('suggests the protocol a typo meant', async () => {
    const [e] = await refused({ protocol: 'htp' });
    assert.equal(e!.message, 'the htp protocol is not yet supported (did you mean "http"?); the protocols are http, https, tcp, smtp');
  });

  for (const port of [-1, 0.5, 70000, 'abc', '12.5']) {
    it(`refuses port ${JSON.stringify(port)}`, async () => {
      const [e] = await refused({ protocol: 'http', port });
      assert.equal(e!.code, 'bad data');
      assert.equal(e!.message, `invalid value for 'port': ${JSON.stringify(port)}; a port is an integer from 1 to 65535, or leave it out to get a free one`);
    });
  }

  it('refuses a defaultResponse that cannot be sent', async () => {
    const [e] = await refused({ protocol: 'http', defaultResponse: { statusCode: 'abc' } });
    assert.equal(e!.code, 'bad data');
    assert.match(e!.message, /statusCode/);
  });

  it('reports every error at once', async () => {
    const errors = await refused({ protocol: 'http', stubs: [{ responses: [] }, { responses: [{ is: {}, fault: 'X' }] }] });
    assert.deepEqual(
      errors.map((e) => e.message),
      ["'responses' must be a non-empty array", 'each response object must have only one response type'],
    );
  });
});

describe('predicate validation', () => {
  it('refuses an unknown predicate operator', async () => {
    const [e] = await refused(answering([{ equalz: { path: '/' } }]));
    assert.equal(e!.code, 'bad data');
    assert.equal(
      e!.message,
      'missing predicate: "equalz" is not a predicate operator (did you mean "equals"?); use one of equals, deepEquals, contains, startsWith, endsWith, matches, exists, not, or, and, inject',
    );
    assert.deepEqual(e!.source, { equalz: { path: '/' } });
  });

  it('says what a predicate without an operator needs', async () => {
    const [e] = await refused(answering([{ caseSensitive: true }]));
    assert.match(e!.message, /^missing predicate: a predicate needs an operator; use one of equals, deepEquals, /);
  });

  it('refuses a predicate with two operators', async () => {
    const [e] = await refused(answering([{ equals: { path: '/' }, contains: { path: '/' } }]));
    assert.equal(e!.code, 'bad data');
  });

  it('refuses an unknown operator nested in and/or/not', async () => {
    await refused(answering([{ and: [{ equals: { path: '/' } }, { or: [{ nope: {} }] }] }]));
    await refused(answering([{ not: { nope: {} } }]));
  });

  it('refuses a bad regex', async () => {
    const [e] = await refused(answering([{ matches: { path: '([a-z' } }]));
    assert.equal(e!.code, 'bad data');
  });

  it('refuses a malformed xpath', async () => {
    const [e] = await refused(answering([{ equals: { body: 'x' }, xpath: { selector: '//book[' } }]));
    assert.equal(e!.message, 'malformed xpath predicate selector');
  });

  it('refuses an invalid jsonpath', async () => {
    const [e] = await refused(answering([{ equals: { body: 'x' }, jsonpath: { selector: '' } }]));
    assert.equal(e!.code, 'bad data');
  });

  it('refuses inject predicates without --allowInjection', async () => {
    const [e] = await refused(answering([{ inject: 'function (config) { return true; }' }]));
    assert.equal(e!.code, 'invalid injection');
  });
});

describe('response validation', () => {
  it('refuses a response with two types', async () => {
    const [e] = await refused(withStub({ responses: [{ is: {}, proxy: { to: 'http://localhost:1' } }] }));
    assert.equal(e!.message, 'each response object must have only one response type');
  });

  it('refuses an unrecognized response type, naming the types there are', async () => {
    const [e] = await refused(withStub({ responses: [{ sometimes: {} }] }));
    assert.equal(e!.message, 'unrecognized response type: "sometimes" is not one; a response has one of is, proxy, inject, fault');
  });

  it('suggests the response type a typo meant', async () => {
    const [e] = await refused(withStub({ responses: [{ iss: { body: 'x' } }] }));
    assert.equal(e!.message, 'unrecognized response type: "iss" is not one (did you mean "is"?); a response has one of is, proxy, inject, fault');
    const [empty] = await refused(withStub({ responses: [{ repeat: 2 }] }));
    assert.equal(empty!.message, 'unrecognized response type: a response has one of is, proxy, inject, fault');
  });

  it('refuses a bad repeat and a bad wait', async () => {
    let [e] = await refused(withStub({ responses: [{ is: {}, repeat: 0 }] }));
    assert.equal(e!.message, '"repeat" field must be an integer greater than 0');
    [e] = await refused(withStub({ responses: [{ is: {}, behaviors: [{ wait: -5 }] }] }));
    assert.equal(e!.message, 'wait behavior "wait" field must be an integer greater than or equal to 0');
  });

  it('refuses an unknown behavior', async () => {
    const [e] = await refused(withStub({ responses: [{ is: {}, behaviors: [{ sleep: 5 }] }] }));
    assert.equal(e!.message, 'Unrecognized behavior: "sleep"');
    assert.deepEqual(e!.source, { sleep: 5 });
  });

  it('refuses inject responses and decorate without --allowInjection', async () => {
    let [e] = await refused(withStub({ responses: [{ inject: 'function () { return {}; }' }] }));
    assert.equal(e!.code, 'invalid injection');
    assert.equal(e!.message, 'JavaScript injection is not allowed unless mb is run with the --allowInjection flag');
    assert.deepEqual(e!.source, { responses: [{ inject: 'function () { return {}; }' }] }, 'the stub is the source, as mountebank');
    [e] = await refused(withStub({ responses: [{ is: {}, behaviors: [{ decorate: 'function () {}' }] }] }));
    assert.equal(e!.code, 'invalid injection');
  });

  it('refuses an invalid status code', async () => {
    const [e] = await refused(withStub({ responses: [{ is: { statusCode: 'teapot' } }] }));
    assert.equal(e!.code, 'bad data');
  });
});

describe('port conflicts', () => {
  it('answers "resource conflict" for a port held by another imposter, and keeps serving', async () => {
    const [e] = await refused({ protocol: 'http', port: sentinelPort });
    assert.equal(e!.code, 'resource conflict');
  });

  it('answers "resource conflict" for a port held by another process', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const [e] = await refused({ protocol: 'http', port });
      assert.equal(e!.code, 'resource conflict');
      assert.match(e!.message, new RegExp(String(port)));
    } finally {
      blocker.close();
    }
  });

  it('restores the running set when PUT /imposters hits a taken port', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const taken = (blocker.address() as net.AddressInfo).port;
    try {
      const res = await (
        await import('../support/http.js')
      ).put(`${mb.url}/imposters`, {
        imposters: [
          { protocol: 'http', port: await freePort() },
          { protocol: 'http', port: taken },
        ],
      });
      assert.equal(res.status, 400);
      assert.equal(res.json().errors[0].code, 'resource conflict');
      assert.equal((await get(`http://127.0.0.1:${sentinelPort}/`)).body, 'still here');
      assert.deepEqual(
        (await get(`${mb.url}/imposters`)).json().imposters.map((i: { port: number }) => i.port),
        [sentinelPort],
      );
    } finally {
      blocker.close();
    }
  });
});

describe('after all that', () => {
  it('the sentinel imposter still counts its requests', async () => {
    const res = await get(`${mb.url}/imposters/${sentinelPort}`);
    assert.ok(res.json().numberOfRequests > 10);
    await del(`${mb.url}/imposters/${sentinelPort}?replayable=true`);
  });
});
