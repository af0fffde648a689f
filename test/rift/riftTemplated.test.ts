// `_rift.templated` over the wire: Rift's documented examples ({{request.*}}, jsonpath, filters,
// now with offset and format, uuid, randomInt, state on both backends, the date tokens), the
// opt-in gate, header CR/LF stripping, request data never read as a template, and the 400s.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort, get, post, request } from '../support/http.js';
import { redisMissing, startRedis, type RedisServer } from '../support/redisServer.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';
import { createImposter, memoryBackend, redisBackend, type Backend, type Config } from './riftSupport.js';

let mb: StandinProcess;
let redis: RedisServer | undefined;
before(async () => {
  [mb, redis] = await Promise.all([startStandin(), redisMissing ? undefined : startRedis()]);
});
after(async () => {
  await Promise.all([mb?.stop(), redis?.stop()]);
});

const templated = (is: Config, extra: Config = {}): Config => ({ ...extra, responses: [{ is, _rift: { templated: true } }] });
const near = (text: string, expectedMs: number) => Math.abs(Date.parse(text) - expectedMs) < 60_000;

describe('_rift.templated', () => {
  it('renders request fields in the body and in headers', async () => {
    const url = await createImposter(mb.url, {
      protocol: 'http',
      stubs: [
        templated({
          statusCode: 200,
          headers: { 'X-Echo-Method': '{{request.method}}' },
          body: '{"method":"{{request.method}}","path":"{{request.path}}","q":"{{request.query.name}}","h":"{{request.header \'X-Trace\'}}"}',
        }),
      ],
    });
    const res = await get(`${url}/greet?name=Ada`, { headers: { 'X-Trace': 'abc-123' } });
    assert.deepEqual(res.json(), { method: 'GET', path: '/greet', q: 'Ada', h: 'abc-123' });
    assert.equal(res.headers['x-echo-method'], 'GET');
  });

  it('without templated, {{ }} is served as written (as mountebank does), date tokens included', async () => {
    const url = await createImposter(mb.url, { protocol: 'http', stubs: [{ responses: [{ is: { body: '{{request.method}} and {{NOW}}' } }] }] });
    assert.equal((await get(url)).body, '{{request.method}} and {{NOW}}');
  });

  it('a missing value renders as nothing and is logged; the request still succeeds', async () => {
    const url = await createImposter(mb.url, {
      protocol: 'http',
      stubs: [{ id: 'echo', ...templated({ body: "[{{request.query.missing}}][{{request.header 'Nope'}}]" }) }],
    });
    const res = await get(url);
    assert.equal(res.status, 200);
    assert.equal(res.body, '[][]');
    const deadline = Date.now() + 5000;
    while (!/templated in stub "echo": \{\{request\.query\.missing\}\} rendered as nothing/.test(mb.output()) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.match(
      mb.output(),
      /warn: \[http:\d+\] _rift\.templated in stub "echo": \{\{request\.query\.missing\}\} rendered as nothing: no query parameter 'missing'/,
    );
  });

  it('request.json with array indexes and | json; | last_segment; | regex; request.pathParams', async () => {
    const url = await createImposter(mb.url, {
      protocol: 'http',
      stubs: [
        {
          predicates: [{ equals: { method: 'POST' } }],
          ...templated({
            body: '{"first":"{{request.json \'$.items[0].id\'}}","note":"{{request.json \'$.note\' | json}}","missing":"[{{request.json \'$.nope\'}}]"}',
          }),
        },
        {
          routePattern: '/orders/:id/items',
          predicates: [{ startsWith: { path: '/orders' } }],
          ...templated({ body: "{{request.pathParams.id}} {{request.path | regex '^/orders/(\\d+)/items$' 1}}" }),
        },
        templated({ body: '{{request.path | last_segment}}' }),
      ],
    });
    const posted = await request('POST', `${url}/items`, { body: JSON.stringify({ items: [{ id: 42 }], note: 'he said "hi"\\bye' }) });
    assert.deepEqual(posted.json(), { first: '42', note: 'he said "hi"\\bye', missing: '[]' });
    assert.equal((await get(`${url}/orders/4711/items`)).body, '4711 4711');
    assert.equal((await get(`${url}/executions/11111111-2222-3333-4444-555555555555`)).body, '11111111-2222-3333-4444-555555555555');
  });

  it('now with offset and format, the date tokens, uuid and randomInt', async () => {
    const url = await createImposter(mb.url, {
      protocol: 'http',
      stubs: [
        templated({
          body: JSON.stringify({
            past: "{{now offset='-36h'}}",
            future: "{{now offset='+2d'}}",
            day: "{{now format='%Y-%m-%d'}}",
            issued: '{{NOW}}',
            expires: '{{DAYS+30}}',
            renews: '{{MONTHS+12}}',
            id: '{{uuid}}',
            n: '{{randomInt 10 20}}',
          }),
        }),
      ],
    });
    const body = (await get(url)).json();
    const now = Date.now();
    assert.ok(near(body.past, now - 36 * 3600_000), body.past);
    assert.ok(near(body.future, now + 2 * 86_400_000), body.future);
    assert.equal(body.day, new Date().toISOString().slice(0, 10));
    assert.match(body.issued, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
    assert.ok(near(body.issued, now));
    assert.ok(near(body.expires, now + 30 * 86_400_000));
    assert.equal(new Date(body.renews).getUTCFullYear(), new Date().getUTCFullYear() + 1);
    assert.match(body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(Number(body.n) >= 10 && Number(body.n) <= 20);
  });

  it('strips CR and LF from a templated header value; request data is never read as a template', async () => {
    const url = await createImposter(mb.url, {
      protocol: 'http',
      stubs: [
        { predicates: [{ equals: { path: '/h' } }], ...templated({ headers: { 'X-Echo': "{{request.json '$.evil'}}" }, body: 'ok' }) },
        templated({ body: "{{request.json '$.text'}}" }),
      ],
    });
    const res = await request('POST', `${url}/h`, { body: JSON.stringify({ evil: 'safe\r\nInjected: yes' }) });
    assert.equal(res.headers['x-echo'], 'safeInjected: yes');
    assert.equal(res.headers.injected, undefined);
    const echoed = await request('POST', `${url}/e`, { body: JSON.stringify({ text: 'leak={{state.secret}} id={{uuid}}' }) });
    assert.equal(echoed.body, 'leak={{state.secret}} id={{uuid}}');
  });

  it('runs before the behaviors', async () => {
    const url = await createImposter(mb.url, {
      protocol: 'http',
      stubs: [
        {
          responses: [
            {
              is: { body: '{{request.method}} ${x}' },
              _rift: { templated: true },
              behaviors: [{ copy: { from: 'path', into: '${x}', using: { method: 'regex', selector: '\\w+' } } }],
            },
          ],
        },
      ],
    });
    assert.equal((await get(`${url}/copied`)).body, 'GET copied');
  });

  it('refuses at creation an unknown function or filter, a bad argument, templated without is', async () => {
    const refuse = async (response: Config) => {
      const res = await post(`${mb.url}/imposters`, { protocol: 'http', port: await freePort(), stubs: [{ responses: [response] }] });
      assert.equal(res.status, 400, res.body);
      return res.json().errors[0].message as string;
    };
    assert.match(
      await refuse({ is: { body: '{{request.methd}}' }, _rift: { templated: true } }),
      /body: \{\{request\.methd\}\}: unknown template function 'request\.methd'.*did you mean "request\.method"/,
    );
    assert.match(await refuse({ is: { body: '{{uuid | upper}}' }, _rift: { templated: true } }), /unknown template filter 'upper'/);
    assert.match(await refuse({ is: { body: '{{randomInt 5}}' }, _rift: { templated: true } }), /expected an integer, got nothing/);
    assert.match(await refuse({ is: { body: "{{now format='%Q'}}" }, _rift: { templated: true } }), /'%Q', which standin does not know/);
    assert.match(await refuse({ proxy: { to: 'http://127.0.0.1:9' }, _rift: { templated: true } }), /renders an 'is' response/);
  });
});

const backends: Backend[] = [memoryBackend, redisBackend(() => redis!.url)];
for (const backend of backends) {
  describe(`_rift.templated state.KEY on ${backend.name}`, { skip: backend.name === 'redis' ? redisMissing : undefined }, () => {
    it('reads the flow state a script wrote; a missing key renders as nothing', async () => {
      const url = await createImposter(
        mb.url,
        backend.apply({
          protocol: 'http',
          _rift: { flowState: { backend: 'inmemory' } },
          stubs: [
            {
              predicates: [{ equals: { path: '/seed' } }],
              responses: [{ _rift: { script: { engine: 'rhai', code: 'fn respond(ctx) { ctx.state.set("attempts", 3); pass() }' } } }],
            },
            templated({ body: '{"attempts":"{{state.attempts}}","missing":"[{{state.nope}}]"}' }),
          ],
        }),
      );
      await get(`${url}/seed`);
      assert.deepEqual((await get(`${url}/read`)).json(), { attempts: '3', missing: '[]' });
    });
  });
}
