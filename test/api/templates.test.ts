// Response templates over the wire: EJS tags in `is` bodies and header values, rendered per
// request when standin runs with --allowInjection, served as written without it.
import assert from 'node:assert/strict';
import https from 'node:https';
import { after, before, describe, it } from 'node:test';
import { del, freePort, get, post, request } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let mb: StandinProcess;
let noInjection: StandinProcess;
before(async () => {
  [mb, noInjection] = await Promise.all([startStandin(['--allowInjection', '--injectionTimeout', '1000', '--stallLimit', '0']), startStandin()]);
});
after(async () => {
  await Promise.all([mb.stop(), noInjection.stop()]);
});

async function imposter(server: StandinProcess, stubs: unknown[]): Promise<string> {
  const port = await freePort();
  const res = await post(`${server.url}/imposters`, { protocol: 'http', port, stubs });
  assert.equal(res.status, 201, res.body);
  return `http://127.0.0.1:${port}`;
}

const answering = (is: Record<string, unknown>) => [{ responses: [{ is }] }];

async function logsMatching(server: StandinProcess, pattern: RegExp): Promise<string[]> {
  const logs = (await get(`${server.url}/logs`)).json().logs as { level: string; message: string }[];
  return logs.filter((l) => pattern.test(l.message)).map((l) => `${l.level}: ${l.message}`);
}

describe('response templates', () => {
  it('renders the seed example: the request path and a timestamp', async () => {
    const url = await imposter(
      mb,
      answering({
        statusCode: 200,
        headers: { 'Content-Type': 'application/json' },
        body: '{ "path": "<%- request.path %>", "timestamp": "<%- new Date().toISOString() %>" }',
      }),
    );
    const before = Date.now();
    const res = await get(`${url}/api/users/123`);
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/json');
    const body = res.json();
    assert.equal(body.path, '/api/users/123');
    assert.match(body.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const at = Date.parse(body.timestamp);
    assert.ok(at >= before - 1_000 && at <= Date.now() + 1_000, body.timestamp);
    // Rendered per request, not once.
    assert.equal((await get(`${url}/other`)).json().path, '/other');
  });

  it('renders the seed example with its _behaviors decorate, which sees the rendered response', async () => {
    const url = await imposter(mb, [
      {
        predicates: [{ equals: { path: '/seed' } }],
        responses: [
          {
            is: {
              statusCode: 200,
              headers: { 'Content-Type': 'application/json' },
              body: '{ "path": "<%- request.path %>", "timestamp": "<%- new Date().toISOString() %>" }',
            },
            _behaviors: { decorate: 'function(request, response) { return response; }' },
          },
        ],
      },
      {
        responses: [
          {
            is: { headers: { 'X-Id': '<%- request.query.id %>' }, body: { path: '<%- request.path %>' } },
            behaviors: [
              {
                decorate:
                  "function (config) { config.response.body.seen = config.response.body.path; config.response.headers['X-Seen'] = config.response.headers['X-Id']; }",
              },
            ],
          },
        ],
      },
    ]);
    const seed = await get(`${url}/seed`);
    assert.equal(seed.status, 200, seed.body);
    assert.equal(seed.json().path, '/seed');
    assert.match(seed.json().timestamp, /^\d{4}-\d\d-\d\dT/);
    const decorated = await get(`${url}/other?id=9`);
    assert.equal(decorated.status, 200, decorated.body);
    assert.deepEqual(decorated.json(), { path: '/other', seen: '/other' }, 'an object body stays an object for decorate');
    assert.equal(decorated.headers['x-seen'], '9');
  });

  it('reads the query, headers in any case, and fields of a JSON body', async () => {
    const url = await imposter(
      mb,
      answering({
        body:
          'page=<%- request.query.page %> tags=<%- request.query.tag.join("+") %> ' +
          'ua=<%- request.headers["x-client"] %>/<%- request.headers["X-CLIENT"] %> ' +
          'user=<%- request.body.user.name %> first=<%- request.body.items[0].sku %> method=<%- request.method %>',
      }),
    );
    const res = await request('POST', `${url}/orders?page=2&tag=a&tag=b`, {
      headers: { 'X-Client': 'tests', 'Content-Type': 'application/json' },
      body: { user: { name: 'ada' }, items: [{ sku: 'x1' }] },
    });
    assert.equal(res.status, 200, res.body);
    assert.equal(res.body, 'page=2 tags=a+b ua=tests/tests user=ada first=x1 method=POST');
  });

  it('escapes with <%= and writes as is with <%-, as EJS does', async () => {
    const url = await imposter(mb, answering({ body: '<%= request.query.q %>|<%- request.query.q %>' }));
    const res = await get(`${url}/?q=${encodeURIComponent('<b>"x" & \'y\'</b>')}`);
    assert.equal(res.body, '&lt;b&gt;&#34;x&#34; &amp; &#39;y&#39;&lt;/b&gt;|<b>"x" & \'y\'</b>');
  });

  it('runs scriptlets: conditions and loops over the request', async () => {
    const url = await imposter(
      mb,
      answering({
        body:
          '<% const ids = [].concat(request.query.id || []); if (ids.length === 0) { %>none<% } else { -%>\n' +
          '<% for (const id of ids) { %>[<%= id %>]<% } %><% } %>',
      }),
    );
    assert.equal((await get(`${url}/`)).body, 'none');
    assert.equal((await get(`${url}/?id=1&id=22`)).body, '[1][22]');
  });

  it('renders templates inside an object body and in header values, and recomputes Content-Length', async () => {
    const url = await imposter(
      mb,
      answering({
        statusCode: 201,
        headers: { Location: '/items/<%- request.query.id %>', 'Set-Cookie': ['id=<%- request.query.id %>', 'static=1'], 'Content-Length': 1 },
        body: { id: '<%- request.query.id %>', note: 'é' },
      }),
    );
    const res = await get(`${url}/items?id=42`);
    assert.equal(res.status, 201);
    assert.equal(res.headers.location, '/items/42');
    assert.deepEqual(res.headers['set-cookie'], ['id=42', 'static=1']);
    assert.equal(res.body, JSON.stringify({ id: '42', note: 'é' }, null, 4));
    assert.equal(res.headers['content-length'], String(res.bodyBytes.length));
    assert.equal(res.headers.connection, 'close');
  });

  it('serves a body without tags exactly as a static response', async () => {
    const is = { headers: { 'X-Kind': 'static' }, body: 'no tags here, 100% static %>' };
    const [templated, plain] = await Promise.all([imposter(mb, answering(is)), imposter(noInjection, answering(is))]);
    const [a, b] = await Promise.all([get(`${templated}/`), get(`${plain}/`)]);
    assert.equal(a.body, 'no tags here, 100% static %>');
    assert.deepEqual(a.bodyBytes, b.bodyBytes);
    const names = (raw: string[]) => raw.filter((_, i) => i % 2 === 0);
    assert.deepEqual(names(a.rawHeaders), names(b.rawHeaders));
  });

  it('sends a large templated body intact, with and without Content-Length', async () => {
    const filler = 'é-0123456789'.repeat(50_000);
    const body = `<%- request.path %>|${filler}|<%= request.query.id %>|${filler}|end`;
    const [framed, chunked] = await Promise.all([imposter(mb, answering({ headers: { 'Content-Length': 0 }, body })), imposter(mb, answering({ body }))]);
    const expected = `/big|${filler}|7|${filler}|end`;
    for (const url of [framed, chunked]) {
      const res = await get(`${url}/big?id=7`);
      assert.equal(res.bodyBytes.length, Buffer.byteLength(expected));
      assert.ok(res.body === expected, 'the body is the rendered template');
    }
    const res = await get(`${framed}/big?id=7`);
    assert.equal(res.headers['content-length'], String(Buffer.byteLength(expected)));
  });

  it('writes <%% for a literal <%', async () => {
    const url = await imposter(mb, answering({ body: '<%% keep %> <%- 1 + 1 %>' }));
    assert.equal((await get(url)).body, '<% keep %> 2');
  });

  it('answers a template that throws with a 500 JSON error and a log line, and keeps serving', async () => {
    const url = await imposter(mb, [
      { predicates: [{ equals: { path: '/broken' } }], responses: [{ is: { body: 'name=<%- request.body.user.name %>' } }] },
      { responses: [{ is: { body: 'fine <%- request.path %>' } }] },
    ]);
    const res = await get(`${url}/broken`);
    assert.equal(res.status, 500);
    assert.equal(res.headers['content-type'], 'application/json');
    const error = res.json().errors[0];
    assert.equal(error.code, 'invalid injection');
    assert.match(error.message, /^invalid response template in body: TypeError: Cannot read properties of undefined \(reading 'name'\)/);
    const logged = await logsMatching(mb, /invalid response template in body: TypeError/);
    assert.ok(logged.length > 0 && logged.every((l) => l.startsWith('error: ')), logged.join('\n'));
    assert.equal((await get(`${url}/ok`)).body, 'fine /ok');
    // The same stub answers when its template has what it needs.
    const fixed = await request('POST', `${url}/broken`, { body: { user: { name: 'ada' } } });
    assert.equal(fixed.body, 'name=ada');
  });

  it('stops a template that loops forever with a 500, and keeps serving', async () => {
    const url = await imposter(mb, [
      { predicates: [{ equals: { path: '/loop' } }], responses: [{ is: { body: '<% while (true) {} %>never' } }] },
      { responses: [{ is: { body: 'still here' } }] },
    ]);
    const started = Date.now();
    const res = await get(`${url}/loop`);
    assert.equal(res.status, 500);
    assert.match(res.json().errors[0].message, /^invalid response template in body: ScriptTimeoutError: did not return within 1000 ms/);
    assert.ok(Date.now() - started >= 900, 'the limit is --injectionTimeout');
    assert.equal((await get(`${url}/`)).body, 'still here');
  });

  it('refuses a template that does not compile with a 400, and the running imposters keep running', async () => {
    const running = await imposter(mb, answering({ body: 'up' }));
    const port = await freePort();
    const res = await post(`${mb.url}/imposters`, {
      protocol: 'http',
      port,
      stubs: [{ responses: [{ is: { body: 'a <% if ( %> b' } }] }, { responses: [{ is: { headers: { X: '<%= x' } } }] }],
    });
    assert.equal(res.status, 400);
    const errors = res.json().errors;
    assert.equal(errors.length, 2);
    assert.equal(errors[0].code, 'bad data');
    assert.match(errors[0].message, /^the body template does not compile: .*write <%% for a literal <%/);
    assert.match(errors[1].message, /^the headers\.X template does not compile: could not find the matching close tag for "<%="/);
    assert.equal((await get(running)).body, 'up');
    assert.equal((await get(`${mb.url}/imposters/${port}`)).status, 404);
  });

  it('echoes the template as written in the imposter JSON', async () => {
    const url = await imposter(mb, answering({ body: 'at <%- request.path %>' }));
    const port = new URL(url).port;
    const echoed = (await get(`${mb.url}/imposters/${port}`)).json();
    assert.deepEqual(echoed.stubs[0].responses, [{ is: { body: 'at <%- request.path %>' } }]);
    await del(`${mb.url}/imposters/${port}`);
  });
});

describe('response templates on other protocols', () => {
  it('renders on https imposters, which share the http adapter', async () => {
    const port = await freePort();
    const created = await post(`${mb.url}/imposters`, { protocol: 'https', port, stubs: answering({ body: 'tls <%- request.path %>' }) });
    assert.equal(created.status, 201, created.body);
    const body = await new Promise<string>((resolve, reject) => {
      // The generated certificate is not what this test is about.
      const req = https.get({ host: '127.0.0.1', port, path: '/secure', rejectUnauthorized: false, agent: false }, (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
    });
    assert.equal(body, 'tls /secure');
  });
});

describe('response templates without --allowInjection', () => {
  it('serves the tags as written, as mountebank does, and logs a warning', async () => {
    const url = await imposter(noInjection, answering({ headers: { X: '<%- request.path %>' }, body: '<%- request.path %>' }));
    const res = await get(`${url}/here`);
    assert.equal(res.status, 200);
    assert.equal(res.body, '<%- request.path %>');
    assert.equal(res.headers.x, '<%- request.path %>');
    const warned = await logsMatching(
      noInjection,
      /EJS tags \(<% %>\): it is served as written, tags included; start standin with --allowInjection to render them as templates$/,
    );
    assert.ok(warned.length > 0 && warned[0]!.startsWith('warn: '), warned.join('\n'));
  });
});
