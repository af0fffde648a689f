// Warnings for fields that will never do anything: logged at creation, listed by
// GET /imposters/:id?warnings=true, and refused with --strict.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort, get, post, put } from '../support/http.js';
import { waitForOutput } from '../support/output.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let mb: StandinProcess;
let strict: StandinProcess;
before(async () => {
  [mb, strict] = await Promise.all([startStandin(), startStandin(['--strict'])]);
});
after(async () => {
  await Promise.all([mb.stop(), strict.stop()]);
});

const typos = (port: number) => ({
  protocol: 'http',
  port,
  recordRequest: true,
  stubs: [
    {
      predicates: [{ equals: { pth: '/x' }, caseSensitve: true }, { not: { contains: { header: { a: 'b' } } } }],
      responses: [{ is: { statuscode: 201, bdy: 'x' } }],
    },
  ],
});

describe('unknown fields', () => {
  it('are accepted as mountebank accepts them, each with a warning naming the nearest known field', async () => {
    const port = await freePort();
    const created = await post(`${mb.url}/imposters`, typos(port));
    assert.equal(created.status, 201);
    assert.equal(created.json().warnings, undefined, "mountebank's shape unless asked");
    await waitForOutput(
      mb,
      new RegExp(
        `warn: \\[http:${port}\\] stubs\\[0\\]\\.predicates\\[0\\]\\.equals\\.pth: "pth" is not a field of http requests, so no request has it \\(did you mean "path"\\?\\)`,
      ),
    );
    const printed = (await get(`${mb.url}/imposters/${port}?warnings=true`)).json();
    assert.deepEqual(
      printed.warnings,
      [
        {
          at: 'recordRequest',
          field: 'recordRequest',
          suggestion: 'recordRequests',
          message: 'recordRequest: "recordRequest" is not a field of http imposters, so it is ignored (did you mean "recordRequests"?)',
        },
        {
          at: 'stubs[0].predicates[0].caseSensitve',
          field: 'caseSensitve',
          suggestion: 'caseSensitive',
          message:
            'stubs[0].predicates[0].caseSensitve: "caseSensitve" is not a predicate operator or parameter, so it is ignored (did you mean "caseSensitive"?)',
        },
        {
          at: 'stubs[0].predicates[0].equals.pth',
          field: 'pth',
          suggestion: 'path',
          message: 'stubs[0].predicates[0].equals.pth: "pth" is not a field of http requests, so no request has it (did you mean "path"?)',
        },
        {
          at: 'stubs[0].predicates[1].not.contains.header',
          field: 'header',
          suggestion: 'headers',
          message: 'stubs[0].predicates[1].not.contains.header: "header" is not a field of http requests, so no request has it (did you mean "headers"?)',
        },
        {
          at: 'stubs[0].responses[0].is.bdy',
          field: 'bdy',
          suggestion: 'body',
          message: 'stubs[0].responses[0].is.bdy: "bdy" is not a field of http responses, so it is not sent (did you mean "body"?)',
        },
      ],
      'statuscode is mountebank-legal',
    );
    const clean = await freePort();
    await post(`${mb.url}/imposters`, {
      protocol: 'http',
      port: clean,
      stubs: [{ predicates: [{ equals: { path: '/x' } }], responses: [{ is: { statusCode: 200 } }] }],
    });
    assert.deepEqual((await get(`${mb.url}/imposters/${clean}?warnings=true`)).json().warnings, []);
  });

  it('in a stub added later, and a misplaced "stub" field, are warned about too', async () => {
    const port = await freePort();
    await post(`${mb.url}/imposters`, { protocol: 'http', port });
    await post(`${mb.url}/imposters/${port}/stubs`, { stub: { stub: {}, responses: [{ is: {} }] } });
    await waitForOutput(mb, new RegExp(`warn: \\[http:${port}\\] stubs\\[0\\]\\.stub: "stub" is not a stub field, so it is ignored`));
  });

  it('are refused with --strict, and nothing changes', async () => {
    const port = await freePort();
    const refused = await post(`${strict.url}/imposters`, typos(port));
    assert.equal(refused.status, 400);
    const errors = refused.json().errors;
    assert.equal(errors.length, 5);
    assert.equal(errors[2].code, 'bad data');
    assert.equal(
      errors[2].message,
      'stubs[0].predicates[0].equals.pth: "pth" is not a field of http requests, so no request has it (did you mean "path"?) (--strict refuses unknown fields)',
    );
    assert.equal((await get(`${strict.url}/imposters/${port}`)).status, 404);

    const good = { predicates: [{ equals: { path: '/x' } }], responses: [{ is: { body: 'x' } }] };
    assert.equal((await post(`${strict.url}/imposters`, { protocol: 'http', port, stubs: [good] })).status, 201);
    assert.equal((await put(`${strict.url}/imposters/${port}/stubs/0`, { ...good, predicates: [{ equals: { pth: '/y' } }] })).status, 400);
    assert.equal((await get(`http://127.0.0.1:${port}/x`)).body, 'x', 'the running stub is untouched');
  });
});
