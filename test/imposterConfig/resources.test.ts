// Imposter-style REST configs through the real executable: loading (files, basePath, env
// placeholders), matching and specificity, responses (content, file, headers, template, delay),
// interceptors, capture, /system/store and /system/status, and the config as an ordinary imposter.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { del, get, post, put, request } from '../support/http.js';
import { startImposter, type ImposterServer } from '../support/imposterHarness.js';

let server: ImposterServer;

const mainConfig = `
plugin: rest
basePath: \${env.STANDIN_TEST_BASE:-/api}
system:
  stores:
    seeded:
      preloadData:
        greeting: hello
        nested: { a: 1 }
interceptors:
  - path: /*
    requestHeaders:
      X-Block: "yes"
    response:
      statusCode: 418
      content: blocked by interceptor
  - path: /*
    continue: true
    capture:
      agent:
        requestHeader: User-Agent
    response:
      headers:
        X-Intercepted: "true"
resources:
  - path: /users/*
    method: GET
    response:
      content: wildcard
  - path: /users/{id}
    method: GET
    response:
      content: placeholder
  - path: /users/1
    method: GET
    response:
      content: exact
  - path: /pets/{id}
    method: GET
    response:
      template: true
      headers:
        Content-Type: text/plain
      content: "pet \${context.request.pathParams.id} for \${stores.request.agent}, page \${context.request.queryParams.page:-1}, \${context.request.headers.x-name}"
  - path: /search
    method: GET
    queryParams:
      q: cats
    response:
      content: found cats
  - path: /search
    method: GET
    queryParams:
      q:
        value: dog
        operator: Contains
    response:
      content: found dogs
  - path: /search
    method: GET
    response:
      content: search page
  - path: /secure
    method: GET
    requestHeaders:
      authorization:
        value: "^Bearer [a-z]+$"
        operator: Matches
    response:
      statusCode: 204
  - path: /secure
    method: GET
    response:
      statusCode: 401
  - path: /orders
    method: POST
    requestBody:
      jsonPath: $.type
      value: express
    capture:
      lastOrder:
        store: orders
        requestBody:
          jsonPath: $.id
      orderType:
        store: orders
        expression: "type=\${context.request.body:$.type}"
    response:
      statusCode: 201
      template: true
      content: '{"id": "\${stores.orders.lastOrder}", "kind": "express"}'
  - path: /orders
    method: POST
    requestBody:
      value: plain
    response:
      content: plain order
  - path: /soap
    method: POST
    requestBody:
      xPath: /env:Envelope/env:Body/getPet/id
      value: "3"
      xmlNamespaces:
        env: http://schemas.xmlsoap.org/soap/envelope/
    response:
      content: <pet id="3"/>
      headers:
        Content-Type: application/xml
  - path: /file
    method: GET
    response:
      file: data/pet.json
  - path: /page
    method: GET
    response:
      file: page.html
      headers:
        X-Extra: "1"
  - path: /slow
    method: GET
    response:
      content: late
      delay:
        exact: 300
  - path: /slowish
    method: GET
    response:
      content: late too
      delay:
        min: 200
        max: 300
  - path: /users
    method: PUT
    capture:
      name:
        store: people
        key:
          queryParam: id
        requestHeader: X-Name
    response:
      statusCode: 202
  - path: /hello
    response:
      content: Hello, World!
  - path: /greet
    method: GET
    response:
      template: true
      content: "\${stores.seeded.greeting} \${stores.seeded.nested:$.a} \${stores.seeded.missing:-nobody}"
`;

before(async () => {
  server = await startImposter({
    'main-config.yaml': mainConfig,
    'data/pet.json': '{"name":"rex"}',
    'page.html': '<h1>hi</h1>',
    'other-config.json': JSON.stringify({
      plugin: 'rest',
      resources: [{ path: '/from-json', method: 'GET', response: { content: 'json config', statusCode: 203 } }],
    }),
    'multi-config.yml':
      'plugin: rest\nresources:\n  - path: /doc1\n    response:\n      content: first document\n---\nplugin: rest\nresources:\n  - path: /doc2\n    response:\n      content: second document\n',
    'ignored.yaml': 'plugin: rest\nresources:\n  - path: /ignored\n    response:\n      content: should not load\n',
  });
});
after(async () => {
  await server?.stop();
});

const api = (path: string) => `${server.url}/api${path}`;

describe('loading', () => {
  it('prefixes basePath (from ${env.NAME:-default}) to every resource', async () => {
    assert.equal((await get(api('/hello'))).body, 'Hello, World!');
    assert.equal((await get(`${server.url}/hello`)).status, 404);
  });

  it('loads *-config.json and every document of a multi-document *-config.yml, and nothing else', async () => {
    const json = await get(`${server.url}/from-json`);
    assert.equal(json.status, 203);
    assert.equal(json.body, 'json config');
    assert.equal((await get(`${server.url}/doc1`)).body, 'first document');
    assert.equal((await get(`${server.url}/doc2`)).body, 'second document');
    assert.equal((await get(`${server.url}/ignored`)).status, 404);
  });

  it('shows the config as an ordinary imposter on the admin API', async () => {
    const list = (await get(`${server.adminUrl}/imposters`)).json();
    assert.deepEqual(
      list.imposters.map((i: { port: number }) => i.port),
      [server.port],
    );
    const imposter = (await get(`${server.adminUrl}/imposters/${server.port}`)).json();
    assert.equal(imposter.protocol, 'http');
    const first = imposter.stubs[0];
    assert.deepEqual(first.predicates, [{ matches: { path: '^/system(?:/.*)?$' }, caseSensitive: true }]);
    const exact = imposter.stubs.find((s: { responses: { _imposter: { source: string } }[] }) => s.responses[0]!._imposter.source.endsWith('path "/users/1")'));
    assert.deepEqual(exact.predicates, [{ equals: { method: 'GET' } }, { matches: { path: '^/api/users/1/?$' }, caseSensitive: true }]);
  });
});

describe('matching', () => {
  it('orders by specificity: exact, then placeholder, then wildcard', async () => {
    assert.equal((await get(api('/users/1'))).body, 'exact');
    assert.equal((await get(api('/users/2'))).body, 'placeholder');
    assert.equal((await get(api('/users/2/orders'))).body, 'wildcard');
  });

  it('matches method case-insensitively and paths case-sensitively', async () => {
    assert.equal((await request('get', api('/users/1'))).body, 'exact');
    assert.equal((await get(api('/USERS/1'))).status, 404);
  });

  it('matches queryParams (EqualTo, Contains) before the bare path', async () => {
    assert.equal((await get(api('/search?q=cats'))).body, 'found cats');
    assert.equal((await get(api('/search?q=hotdogs'))).body, 'found dogs');
    assert.equal((await get(api('/search?q=Cats'))).body, 'search page', 'values are case-sensitive');
    assert.equal((await get(api('/search'))).body, 'search page');
  });

  it('matches requestHeaders by name case-insensitively, with Matches', async () => {
    assert.equal((await get(api('/secure'), { headers: { Authorization: 'Bearer abc' } })).status, 204);
    assert.equal((await get(api('/secure'), { headers: { Authorization: 'Basic abc' } })).status, 401);
  });

  it('matches requestBody by value, jsonPath and xPath', async () => {
    assert.equal((await post(api('/orders'), 'plain')).body, 'plain order');
    const express = await post(api('/orders'), { id: 'o-7', type: 'express' });
    assert.equal(express.status, 201);
    assert.deepEqual(express.json(), { id: 'o-7', kind: 'express' });
    assert.equal((await post(api('/orders'), { id: 'o-8', type: 'slow' })).status, 404);
    const soap = `<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/"><env:Body><getPet><id>3</id></getPet></env:Body></env:Envelope>`;
    const pet = await post(api('/soap'), soap);
    assert.equal(pet.body, '<pet id="3"/>');
    assert.equal(pet.headers['content-type'], 'application/xml');
    assert.equal((await post(api('/soap'), soap.replace('<id>3', '<id>4'))).status, 404);
  });

  it("answers Imposter's 404 page when nothing matches", async () => {
    const res = await get(`${server.url}/nothing/here`);
    assert.equal(res.status, 404);
    assert.equal(res.headers['content-type'], 'text/html');
    assert.match(res.body, /GET \/nothing\/here/);
    assert.match(res.body, /GET \/api\/users\/1/);
  });
});

describe('responses', () => {
  it('defaults inline content to application/json, and sets nothing for an empty body', async () => {
    const hello = await get(api('/hello'));
    assert.equal(hello.headers['content-type'], 'application/json');
    const empty = await get(api('/secure'), { headers: { Authorization: 'Bearer x' } });
    assert.equal(empty.status, 204);
    assert.equal(empty.headers['content-type'], undefined);
  });

  it('serves files relative to the config file, typed by extension', async () => {
    const file = await get(api('/file'));
    assert.equal(file.body, '{"name":"rex"}');
    assert.equal(file.headers['content-type'], 'application/json');
    const page = await get(api('/page'));
    assert.equal(page.body, '<h1>hi</h1>');
    assert.equal(page.headers['content-type'], 'text/html');
    assert.equal(page.headers['x-extra'], '1');
  });

  it('renders templates: path params, query with default, headers, the request store', async () => {
    const res = await get(api('/pets/42?page=3'), { headers: { 'User-Agent': 'tester/1', 'X-Name': 'Ada' } });
    assert.equal(res.body, 'pet 42 for tester/1, page 3, Ada');
    assert.equal(res.headers['content-type'], 'text/plain');
    const defaulted = await get(api('/pets/7'), { headers: { 'User-Agent': 'other' } });
    assert.equal(defaulted.body, 'pet 7 for other, page 1, ');
  });

  it('waits for delay.exact and within delay.min/max', async () => {
    let started = Date.now();
    assert.equal((await get(api('/slow'))).body, 'late');
    assert.ok(Date.now() - started >= 280, `exact delay took ${Date.now() - started} ms`);
    started = Date.now();
    assert.equal((await get(api('/slowish'))).body, 'late too');
    assert.ok(Date.now() - started >= 180, `ranged delay took ${Date.now() - started} ms`);
  });
});

describe('interceptors', () => {
  it('short-circuits with an interceptor without continue', async () => {
    const res = await get(api('/users/1'), { headers: { 'X-Block': 'yes' } });
    assert.equal(res.status, 418);
    assert.equal(res.body, 'blocked by interceptor');
  });

  it('runs continue interceptors before the resource: their capture and headers apply', async () => {
    const res = await get(api('/users/1'));
    assert.equal(res.headers['x-intercepted'], 'true');
    assert.equal(res.body, 'exact');
  });
});

describe('capture and /system/store', () => {
  it('captures into named stores, readable through /system/store', async () => {
    await post(api('/orders'), { id: 'o-9', type: 'express' });
    const all = await get(`${server.url}/system/store/orders`);
    assert.equal(all.status, 200);
    assert.deepEqual(all.json(), { lastOrder: 'o-9', orderType: 'type=express' });
    const item = await get(`${server.url}/system/store/orders/lastOrder`);
    assert.equal(item.body, 'o-9');
    assert.equal(item.headers['content-type'], 'text/plain');
  });

  it('captures with a dynamic key', async () => {
    await put(api('/users?id=u1'), '', { headers: { 'X-Name': 'Grace' } });
    assert.deepEqual((await get(`${server.url}/system/store/people`)).json(), { u1: 'Grace' });
  });

  it('preloads system.stores data', async () => {
    assert.equal((await get(`${server.url}/system/store/seeded/greeting`)).body, 'hello');
    const nested = await get(`${server.url}/system/store/seeded/nested`);
    assert.deepEqual(nested.json(), { a: 1 });
  });

  it("writes, lists, filters and deletes items in Imposter's shapes", async () => {
    const base = `${server.url}/system/store/test`;
    assert.equal((await put(`${base}/foo`, 'ada')).status, 201);
    assert.equal((await put(`${base}/foo`, 'ada2')).status, 200);
    assert.equal((await put(`${base}/path/with/slash`, 'deep')).status, 201);
    assert.equal((await get(`${base}/path/with/slash`)).body, 'deep');
    assert.equal((await post(base, { bar: 'baz', num: 5 })).status, 200);
    assert.deepEqual((await get(base)).json(), { foo: 'ada2', 'path/with/slash': 'deep', bar: 'baz', num: 5 });
    assert.deepEqual((await get(`${base}?keyPrefix=ba`)).json(), { bar: 'baz' });
    assert.equal((await get(`${base}/num`)).body, '5');
    assert.equal((await post(base, 'not json')).status, 400);
    assert.equal((await del(`${base}/foo`)).status, 204);
    assert.equal((await get(`${base}/foo`)).status, 404);
    assert.equal((await del(base)).status, 204);
    assert.deepEqual((await get(base)).json(), {});
    assert.equal((await get(`${server.url}/system/store`)).status, 400);
    assert.equal((await request('PATCH', `${base}/x`)).status, 405);
  });

  it('reads stored items in templates, with JSONPath and default trailers', async () => {
    assert.equal((await get(api('/greet'))).body, 'hello 1 nobody');
    await put(`${server.url}/system/store/seeded/greeting`, 'set by the API');
    assert.equal((await get(api('/greet'))).body, 'set by the API 1 nobody');
  });
});

describe('/system/status', () => {
  it('answers GET with ok and the version, and 405 otherwise', async () => {
    const res = await get(`${server.url}/system/status`);
    assert.equal(res.status, 200);
    assert.equal(res.json().status, 'ok');
    assert.equal(typeof res.json().version, 'string');
    assert.equal((await post(`${server.url}/system/status`, '')).status, 405);
  });
});
