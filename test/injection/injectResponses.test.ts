// `inject` responses and `inject` predicates over real sockets: both signatures, synchronous and
// asynchronous, one shared state per imposter, the logger, and scripts that throw or never
// finish (a 500 naming the problem, a log line naming the stub, and standin keeps serving).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort, get, post, put, request } from '../support/http.js';
import { waitForOutput } from '../support/output.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';
import { tcpExchange } from '../support/tcp.js';

let mb: StandinProcess;
before(async () => {
  // No stall limit: these tests are about --injectionTimeout (eventLoopStalls.test.ts covers --stallLimit).
  mb = await startStandin(['--allowInjection', '--injectionTimeout', '500', '--stallLimit', '0']);
});
after(async () => {
  await mb.stop();
});

async function imposter(stubs: unknown[], extra: Record<string, unknown> = {}): Promise<string> {
  const port = await freePort();
  const res = await post(`${mb.url}/imposters`, { protocol: 'http', port, stubs, ...extra });
  assert.equal(res.status, 201, res.body);
  return `http://127.0.0.1:${port}`;
}

const waitForLog = (pattern: RegExp) => waitForOutput(mb, pattern);

describe('inject responses', () => {
  it("runs seed 002's example: the old signature, synchronous", async () => {
    const url = await imposter([
      { responses: [{ inject: "function(request, state, logger) { return { statusCode: 200, body: 'Request path: ' + request.path }; }" }] },
    ]);
    const res = await get(`${url}/users/42`);
    assert.equal(res.status, 200);
    assert.equal(res.body, 'Request path: /users/42');
  });

  it('gives function (config) the request, its fields copied onto config, state and logger', async () => {
    const url = await imposter([
      {
        responses: [
          {
            inject: `function (config) {
              config.state.calls = (config.state.calls || 0) + 1;
              return {
                statusCode: 201,
                headers: { 'Content-Type': 'application/json', 'X-Method': config.method },
                body: { path: config.request.path, copied: config.path, q: config.request.query.q, body: config.request.body, calls: config.state.calls,
                        hasLogger: typeof config.logger.info, hasCallback: typeof config.callback }
              };
            }`,
          },
        ],
      },
    ]);
    const first = await request('POST', `${url}/orders?q=1`, { body: 'hello' });
    assert.equal(first.status, 201);
    assert.equal(first.headers['x-method'], 'POST');
    assert.deepEqual(first.json(), { path: '/orders', copied: '/orders', q: '1', body: 'hello', calls: 1, hasLogger: 'function', hasCallback: 'function' });
    assert.match(first.body, /^\{\n {4}"path"/, 'an object body is JSON with 4 spaces, as for is');
    assert.equal((await get(`${url}/orders`)).json().calls, 2);
  });

  it('answers asynchronously through the old callback argument and through config.callback', async () => {
    const url = await imposter([
      {
        predicates: [{ equals: { path: '/old' } }],
        responses: [
          { inject: "function (request, state, logger, callback) { setTimeout(function () { callback({ body: 'later ' + request.method }); }, 50); }" },
        ],
      },
      {
        predicates: [{ equals: { path: '/new' } }],
        responses: [{ inject: "function (config) { setTimeout(() => config.callback({ statusCode: 202, body: 'new ' + config.request.path }), 50); }" }],
      },
      {
        predicates: [{ equals: { path: '/promise' } }],
        responses: [{ inject: "async function (config) { await new Promise((r) => setTimeout(r, 20)); return { body: 'awaited' }; }" }],
      },
    ]);
    assert.equal((await get(`${url}/old`)).body, 'later GET');
    const created = await get(`${url}/new`);
    assert.deepEqual([created.status, created.body], [202, 'new /new']);
    assert.equal((await get(`${url}/promise`)).body, 'awaited');
  });

  it('answers a tcp request with the data the function returns', async () => {
    const port = await freePort();
    const res = await post(`${mb.url}/imposters`, {
      protocol: 'tcp',
      port,
      stubs: [{ responses: [{ inject: "function (config) { return { data: 'echo ' + config.request.data + ' ' + config.data }; }" }] }],
    });
    assert.equal(res.status, 201, res.body);
    assert.equal((await tcpExchange(port, 'ping', 'echo ping ping'.length)).toString(), 'echo ping ping');
  });

  it('applies the imposter defaultResponse to fields the function leaves out', async () => {
    const url = await imposter([{ responses: [{ inject: "function () { return { body: 'from inject' }; }" }] }], {
      defaultResponse: { statusCode: 404, headers: { 'X-Default': 'yes' } },
    });
    const res = await get(`${url}/`);
    assert.deepEqual([res.status, res.headers['x-default'], res.body], [404, 'yes', 'from inject']);
  });

  it('writes logger calls to the standin log under the imposter scope', async () => {
    const port = await freePort();
    const res = await post(`${mb.url}/imposters`, {
      protocol: 'http',
      port,
      name: 'logging',
      stubs: [{ responses: [{ inject: "function (config) { config.logger.warn('saw %s', config.request.path); return {}; }" }] }],
    });
    assert.equal(res.status, 201);
    await get(`http://127.0.0.1:${port}/logged`);
    await waitForLog(new RegExp(`warn: \\[http:${port} logging\\] saw /logged`));
  });

  it("runs mountebank's stub resolver example: an origin counting in state, and a caching proxy written as inject", async () => {
    const originPort = await freePort();
    const origin = await post(`${mb.url}/imposters`, {
      port: originPort,
      protocol: 'http',
      name: 'origin',
      stubs: [
        {
          responses: [
            {
              inject:
                "function (request, state, logger) {\n    logger.info('origin called');\n    state.requests = state.requests || 0;\n    state.requests += 1;\n    return {\n      headers: {\n        'Content-Type': 'application/json'\n      },\n      body: JSON.stringify({ count: state.requests })\n    };\n}",
            },
          ],
        },
      ],
    });
    assert.equal(origin.status, 201);
    const proxy = await imposter([
      {
        responses: [
          {
            inject:
              "function (request, state) {\n    var count = state.requests ? Object.keys(state.requests).length : 0,\n        util = require('util');\n\n    return {\n        body: util.format('There have been %s proxied calls', count)\n    };\n}",
          },
        ],
        predicates: [{ equals: { method: 'GET', path: '/counter' } }],
      },
      {
        responses: [
          {
            inject: `function (request, state, logger, callback) {\n    var cacheKey = request.method + ' ' + request.path;\n\n    if (typeof state.requests === 'undefined') {\n        state.requests = {};\n    }\n\n    if (state.requests[cacheKey]) {\n        logger.info('Using previous response');\n        callback(state.requests[cacheKey]);\n    }\n\n    var http = require('http'),\n        options = {\n            method: request.method,\n            hostname: 'localhost',\n            port: ${originPort},\n            path: request.path,\n            headers: request.headers\n        },\n        httpRequest = http.request(options, function (response) {\n            var body = '';\n            response.setEncoding('utf8');\n            response.on('data', function (chunk) {\n                body += chunk;\n            });\n            response.on('end', function () {\n                var stubResponse = {\n                        statusCode: response.statusCode,\n                        headers: response.headers,\n                        body: body\n                    };\n                logger.info('Successfully proxied: ' + JSON.stringify(stubResponse));\n                state.requests[cacheKey] = stubResponse;\n                callback(stubResponse);\n            });\n        });\n    httpRequest.end();\n}`,
          },
        ],
      },
    ]);
    // mountebank's page shows 2, 3, 2 because its dry run at creation already called the origin
    // once; standin has no dry run, so the origin's first real call is its first.
    assert.deepEqual(JSON.parse((await get(`${proxy}/first`)).body), { count: 1 });
    assert.deepEqual(JSON.parse((await get(`${proxy}/second`)).body), { count: 2 });
    assert.deepEqual(JSON.parse((await get(`${proxy}/first`)).body), { count: 1 }, 'served from the cache in state');
    assert.equal((await get(`${proxy}/counter`)).body, 'There have been 2 proxied calls');
  });
});

describe('inject predicates', () => {
  it("runs mountebank's predicate injection example (function (request, logger))", async () => {
    const url = await imposter([
      {
        responses: [{ is: { statusCode: 400 } }],
        predicates: [
          {
            inject:
              "function (request, logger) {\n\n    function hasXMLProlog () {\n        return request.body.indexOf('<?xml') === 0;\n    }\n\n    if (request.headers['content-type'] === 'application/xml') {\n        return !hasXMLProlog();\n    }\n    else {\n        return hasXMLProlog();\n    }\n}",
          },
        ],
      },
    ]);
    const xml = '<customer>\n  <name>Test</name>\n</customer>\n';
    assert.equal((await request('POST', `${url}/test`, { headers: { 'content-type': 'application/xml' }, body: xml })).status, 400);
    assert.equal((await request('POST', `${url}/test`, { headers: { 'content-type': 'application/json' }, body: `<?xml>\n${xml}` })).status, 400);
    assert.equal(
      (await request('POST', `${url}/test`, { headers: { 'content-type': 'application/json' }, body: xml })).status,
      200,
      'no match: the default response',
    );
  });

  it('matches inside and/or/not with function (config)', async () => {
    const url = await imposter([
      {
        predicates: [{ and: [{ equals: { method: 'GET' } }, { not: { inject: "function (config) { return config.request.query.skip === 'yes'; }" } }] }],
        responses: [{ is: { body: 'matched' } }],
      },
    ]);
    assert.equal((await get(`${url}/x`)).body, 'matched');
    assert.equal((await get(`${url}/x?skip=yes`)).body, '');
  });

  it("finds request.headers in any case, while their names stay the client's", async () => {
    const url = await imposter([
      {
        predicates: [{ inject: "function (config) { return config.request.headers['x-tenant'] === 'acme' && 'X-TENANT' in config.headers; }" }],
        responses: [
          {
            inject:
              "function (config) { var h = config.request.headers; return { body: JSON.stringify({ lower: h['content-type'], upper: h['CONTENT-TYPE'], exact: h['Content-Type'], missing: h['x-none'], keys: Object.keys(h).filter(function (k) { return k !== 'Host' && k !== 'Connection'; }), json: JSON.parse(JSON.stringify(h))['X-Tenant'] }) }; }",
          },
        ],
      },
    ]);
    const answer = await request('POST', `${url}/x`, { headers: { 'Content-Type': 'text/plain', 'X-Tenant': 'acme' }, body: 'hi' });
    assert.deepEqual(JSON.parse(answer.body), {
      lower: 'text/plain',
      upper: 'text/plain',
      exact: 'text/plain',
      keys: ['Content-Type', 'X-Tenant', 'Content-Length'],
      json: 'acme',
    });
    assert.equal((await get(`${url}/x`, { headers: { 'X-Tenant': 'other' } })).body, '', 'no match for another tenant');
  });
});

describe('one state per imposter', () => {
  it('is shared by predicate injects, inject responses and decorate, across stubs, and kept across stub edits', async () => {
    const stubs = [
      {
        predicates: [{ inject: "function (config) { config.state.seen = (config.state.seen || 0) + 1; return config.request.path === '/count'; }" }],
        responses: [
          {
            inject: "function (config) { config.state.answered = (config.state.answered || 0) + 1; return { body: 'seen ' + config.state.seen }; }",
            behaviors: [{ decorate: "function (config) { config.response.body += ', answered ' + config.state.answered; }" }],
          },
        ],
      },
      { responses: [{ inject: "function (config) { return { body: 'other stub sees ' + config.state.seen }; }" }] },
    ];
    const port = await freePort();
    assert.equal((await post(`${mb.url}/imposters`, { protocol: 'http', port, stubs })).status, 201);
    const url = `http://127.0.0.1:${port}`;
    assert.equal((await get(`${url}/count`)).body, 'seen 1, answered 1');
    assert.equal((await get(`${url}/else`)).body, 'other stub sees 2');
    assert.equal((await get(`${url}/count`)).body, 'seen 3, answered 2');

    assert.equal((await put(`${mb.url}/imposters/${port}/stubs`, { stubs })).status, 200);
    assert.equal((await get(`${url}/count`)).body, 'seen 4, answered 3', 'replacing stubs keeps the imposter state');

    const other = await imposter([stubs[1]]);
    assert.equal((await get(`${other}/`)).body, 'other stub sees undefined', 'another imposter has its own state');

    await fetch(`${mb.url}/imposters/${port}`, { method: 'DELETE' });
    assert.equal((await post(`${mb.url}/imposters`, { protocol: 'http', port, stubs })).status, 201);
    assert.equal((await get(`${url}/count`)).body, 'seen 1, answered 1', 'a recreated imposter starts empty');
  });
});

describe('scripts that fail', () => {
  it('answers 500 with the error for a throwing response, logs the stub, and keeps serving', async () => {
    const port = await freePort();
    await post(`${mb.url}/imposters`, {
      protocol: 'http',
      port,
      stubs: [
        { predicates: [{ equals: { path: '/ok' } }], responses: [{ is: { body: 'fine' } }] },
        { responses: [{ inject: "function () { throw new Error('boom'); }" }] },
      ],
    });
    const res = await get(`http://127.0.0.1:${port}/throw`);
    assert.equal(res.status, 500);
    assert.equal(res.headers['content-type'], 'application/json');
    const error = res.json().errors[0];
    assert.deepEqual([error.code, error.message, error.data], ['invalid injection', 'invalid response injection', 'Error: boom']);
    assert.match(error.source, /throw new Error/);
    await waitForLog(new RegExp(`error: \\[http:${port}\\] stub 1: invalid response injection: Error: boom`));
    assert.equal((await get(`http://127.0.0.1:${port}/ok`)).body, 'fine');
  });

  it('stops a synchronous infinite loop after --injectionTimeout, and keeps serving', async () => {
    const port = await freePort();
    await post(`${mb.url}/imposters`, {
      protocol: 'http',
      port,
      stubs: [
        { predicates: [{ equals: { path: '/ok' } }], responses: [{ is: { body: 'fine' } }] },
        { predicates: [{ equals: { path: '/loop' } }], responses: [{ inject: 'function () { while (true) {} }' }] },
        { predicates: [{ inject: 'function () { for (;;) {} }' }], responses: [{ is: {} }] },
      ],
    });
    const started = Date.now();
    const res = await get(`http://127.0.0.1:${port}/loop`);
    assert.ok(Date.now() - started >= 450, `stopped after ${Date.now() - started} ms`);
    assert.equal(res.status, 500);
    assert.deepEqual(res.json().errors[0].data, 'response injection did not return within 500 ms');
    await waitForLog(new RegExp(`stub 1: invalid response injection: response injection did not return within 500 ms`));
    assert.equal((await get(`http://127.0.0.1:${port}/ok`)).body, 'fine');

    const looping = await get(`http://127.0.0.1:${port}/predicate-loop`);
    assert.equal(looping.status, 500);
    assert.deepEqual(
      [looping.json().errors[0].message, looping.json().errors[0].data],
      ['invalid predicate injection', 'predicate injection did not return within 500 ms'],
    );
    await waitForLog(new RegExp(`stub 2: invalid predicate injection`));
    assert.equal((await get(`http://127.0.0.1:${port}/ok`)).body, 'fine');
  });

  it('stops a function that never calls back, and one whose timer callback throws', async () => {
    const url = await imposter([
      { predicates: [{ equals: { path: '/never' } }], responses: [{ inject: 'function (config) { }' }] },
      {
        predicates: [{ equals: { path: '/late-throw' } }],
        responses: [{ inject: "function (config) { setTimeout(function () { throw new Error('late'); }, 10); }" }],
      },
      { responses: [{ is: { body: 'fine' } }] },
    ]);
    const started = Date.now();
    const never = await get(`${url}/never`);
    assert.ok(Date.now() - started >= 450);
    assert.equal(never.status, 500);
    assert.equal(never.json().errors[0].data, 'response injection did not call back within 500 ms');
    const late = await get(`${url}/late-throw`);
    assert.equal(late.status, 500);
    assert.equal(late.json().errors[0].data, 'Error: late');
    assert.equal((await get(`${url}/ok`)).body, 'fine');
  });

  it('accepts a function that does not compile, or is not a function, and fails the requests that reach it', async () => {
    const port = await freePort();
    const res = await post(`${mb.url}/imposters`, {
      protocol: 'http',
      port,
      stubs: [
        { predicates: [{ equals: { path: '/syntax' } }], responses: [{ inject: 'function ( {' }] },
        { predicates: [{ inject: '42' }], responses: [{ is: {} }] },
      ],
    });
    assert.equal(res.status, 201, res.body);
    const syntax = await get(`http://127.0.0.1:${port}/syntax`);
    assert.equal(syntax.status, 500);
    assert.deepEqual([syntax.json().errors[0].code, syntax.json().errors[0].message], ['invalid injection', 'invalid response injection']);
    const notFunction = await get(`http://127.0.0.1:${port}/other`);
    assert.equal(notFunction.status, 500);
    assert.equal(notFunction.json().errors[0].message, 'invalid predicate injection');
    assert.equal(notFunction.json().errors[0].data, 'SyntaxError: expected a JavaScript function, got number');
  });
});
