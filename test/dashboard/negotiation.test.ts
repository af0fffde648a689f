// Content negotiation on the admin port: a browser asking for HTML gets a page; every JSON client
// (no Accept, */*, application/json, what HTTP libraries send) gets exactly the JSON it got before.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort, get, post } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const FIREFOX = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
const JSON_CLIENTS: Array<[string, Record<string, string>]> = [
  ['no Accept header', {}],
  ['application/json', { Accept: 'application/json' }],
  ['*/*', { Accept: '*/*' }],
  ['axios', { Accept: 'application/json, text/plain, */*' }],
  ['json before html', { Accept: 'application/json, text/html' }],
];

let server: StandinProcess;
let imposterPort = 0;

before(async () => {
  server = await startStandin();
  imposterPort = await freePort();
  const created = await post(`${server.url}/imposters`, { protocol: 'http', port: imposterPort, name: 'orders', stubs: [] });
  assert.equal(created.status, 201, created.body);
});
after(() => server?.stop());

/** The JSON as standin (and mountebank) printed it before there were pages: two-space indented. */
function expectedHome(base: string): string {
  return JSON.stringify({ _links: { imposters: { href: `${base}/imposters` }, config: { href: `${base}/config` }, logs: { href: `${base}/logs` } } }, null, 2);
}

function expectedList(base: string): string {
  const self = `${base}/imposters/${imposterPort}`;
  return JSON.stringify(
    {
      imposters: [
        { protocol: 'http', port: imposterPort, name: 'orders', numberOfRequests: 0, _links: { self: { href: self }, stubs: { href: `${self}/stubs` } } },
      ],
    },
    null,
    2,
  );
}

describe('JSON clients get the JSON they always got', () => {
  for (const [name, headers] of JSON_CLIENTS) {
    it(`GET / and GET /imposters with ${name}: the same bytes and Content-Type`, async () => {
      const home = await get(`${server.url}/`, { headers });
      assert.equal(home.status, 200);
      assert.equal(home.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(home.body, expectedHome(`http://127.0.0.1:${server.port}`));
      const list = await get(`${server.url}/imposters`, { headers });
      assert.equal(list.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(list.body, expectedList(`http://127.0.0.1:${server.port}`));
      const logs = await get(`${server.url}/logs`, { headers });
      assert.ok(Array.isArray(logs.json().logs));
      const one = await get(`${server.url}/imposters/${imposterPort}`, { headers });
      assert.equal(one.json().port, imposterPort);
    });
  }
});

describe('a browser gets pages', () => {
  for (const [name, accept] of [
    ['Chromium', BROWSER],
    ['Firefox', FIREFOX],
    ['text/html alone', 'text/html'],
  ]) {
    it(`${name}: /, /imposters and /logs are HTML pages that load the bundled script`, async () => {
      for (const path of ['/', '/imposters', '/logs']) {
        const page = await get(`${server.url}${path}`, { headers: { Accept: accept! } });
        assert.equal(page.status, 200, path);
        assert.equal(page.headers['content-type'], 'text/html; charset=utf-8', path);
        assert.match(page.body, /^<!doctype html>/);
        assert.match(page.body, /<script type="module" src="\/dashboard\/app\.js"><\/script>/);
        assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
      }
    });
  }

  it('text/html named before application/json at the same quality gets the page, as in mountebank', async () => {
    const page = await get(`${server.url}/`, { headers: { Accept: 'text/html, application/json' } });
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
  });

  it('routes that have no page stay JSON or text for a browser too', async () => {
    const config = await get(`${server.url}/config`, { headers: { Accept: BROWSER } });
    assert.equal(config.headers['content-type'], 'application/json; charset=utf-8');
    const metrics = await get(`${server.url}/metrics`, { headers: { Accept: BROWSER } });
    assert.match(String(metrics.headers['content-type']), /^text\/plain/);
    const missing = await get(`${server.url}/nothing`, { headers: { Accept: BROWSER } });
    assert.equal(missing.status, 404);
    assert.equal(missing.json().errors[0].code, 'no such resource');
  });

  it('the bundle, its style and the icon are served from the package, gzipped when asked', async () => {
    const script = await get(`${server.url}/dashboard/app.js`);
    assert.equal(script.status, 200);
    assert.equal(script.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.ok(script.bodyBytes.length > 1000);
    const gzipped = await get(`${server.url}/dashboard/app.js`, { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(gzipped.headers['content-encoding'], 'gzip');
    assert.ok(gzipped.bodyBytes.length < script.bodyBytes.length);
    const unchanged = await get(`${server.url}/dashboard/app.js`, { headers: { 'If-None-Match': String(script.headers.etag) } });
    assert.equal(unchanged.status, 304);
    assert.equal((await get(`${server.url}/dashboard/app.css`)).headers['content-type'], 'text/css; charset=utf-8');
    assert.equal((await get(`${server.url}/dashboard/favicon.svg`)).status, 200);
    assert.equal((await get(`${server.url}/dashboard/..%2Fpackage.json`)).status, 404);
    assert.equal((await get(`${server.url}/dashboard/nothing.js`)).status, 404);
  });

  it('/docs lists the pages of docs/, and /docs/<page> renders one', async () => {
    const index = await get(`${server.url}/docs`);
    assert.equal(index.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(index.body, /<a href="\/docs\/debugging">Debugging stubs<\/a>/);
    const page = await get(`${server.url}/docs/debugging`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1 id="debugging-stubs">Debugging stubs<\/h1>/);
    assert.match(page.body, /<h2 id="the-dry-run-post-impostersporttest">/);
    assert.equal((await get(`${server.url}/docs/README`)).status, 200);
    const missing = await get(`${server.url}/docs/nothing`);
    assert.equal(missing.status, 404);
    assert.match(missing.body, /Debugging stubs/, 'a missing page answers with the list of pages');
  });
});

describe('--apikey', () => {
  let secured: StandinProcess;
  before(async () => {
    secured = await startStandin(['--apikey', 'sesame']);
  });
  after(() => secured?.stop());

  it('pages and files are served without the key (they hold no data); the API still refuses without it', async () => {
    const page = await get(`${secured.url}/imposters`, { headers: { Accept: BROWSER } });
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.body, /sesame/);
    assert.equal((await get(`${secured.url}/dashboard/app.js`)).status, 200);
    assert.equal((await get(`${secured.url}/imposters`)).status, 401);
    assert.equal((await get(`${secured.url}/imposters`, { headers: { Accept: 'application/json' } })).status, 401);
    assert.equal((await get(`${secured.url}/imposters`, { headers: { 'x-api-key': 'sesame' } })).status, 200);
  });
});
