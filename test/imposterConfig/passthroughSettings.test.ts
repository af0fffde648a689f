// The seed's partial-mocking example, its environment variables (timeout, forwarded headers),
// unreachable upstreams and every startup validation error, through the real executable.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { get } from '../support/http.js';
import { waitFor } from '../support/cliHarness.js';
import { repoRoot } from '../support/standinProcess.js';
import { refusedImposter, startImposter, startUpstream, type Upstream } from '../support/imposterHarness.js';

let upstream: Upstream;
let hanging: http.Server;
let hangingUrl: string;
let slow: Upstream;

before(async () => {
  upstream = await startUpstream();
  slow = await startUpstream({
    '/slow': (_req, res) => {
      setTimeout(() => res.end('slow but fine'), 1_200);
    },
  });
  hanging = http.createServer(() => undefined);
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
  hangingUrl = `http://127.0.0.1:${(hanging.address() as { port: number }).port}`;
});

after(async () => {
  await upstream?.close();
  await slow?.close();
  hanging?.closeAllConnections();
  hanging?.close();
});

const partialMocking = (url: string, reversed: boolean) => {
  const mocked = `
  # Locally mocked - overrides the upstream for /users/1.
  - path: /users/1
    method: GET
    response:
      statusCode: 200
      content: |
        {"id": 1, "name": "Locally Mocked User"}
`;
  const proxied = `
  # Everything else under /users is proxied verbatim.
  - path: /users/*
    method: GET
    passthrough: jsonplaceholder
`;
  return `upstreams:
  jsonplaceholder:
    url: "${url}"
plugin: rest
resources:${reversed ? proxied + mocked : mocked + proxied}`;
};

describe('the partial mocking example', () => {
  for (const reversed of [false, true]) {
    it(`mocks /users/1 locally and forwards /users/2 (${reversed ? 'wildcard declared first' : 'as in the seed'})`, async () => {
      const upstream = await startUpstream();
      const server = await startImposter({ 'partial-config.yaml': partialMocking(upstream.url, reversed) });
      try {
        const count = upstream.received.length;
        const local = await get(`${server.url}/users/1`);
        assert.equal(local.status, 200);
        assert.deepEqual(local.json(), { id: 1, name: 'Locally Mocked User' });
        assert.equal(upstream.received.length, count, '/users/1 never reached the upstream');
        const forwarded = await get(`${server.url}/users/2`);
        assert.deepEqual(forwarded.json(), { method: 'GET', url: '/users/2', body: '' });
        assert.equal((await get(`${server.url}/users`)).json().url, '/users', 'the wildcard also matches its bare prefix');
        // The config is an ordinary imposter: its stubs, in Imposter's order, on the admin API.
        const admin = (await get(`${server.adminUrl}/imposters/${server.port}`)).json();
        const sources = admin.stubs.map((s: { responses: { _imposter: { source: string } }[] }) => s.responses[0]!._imposter.source);
        assert.match(sources[1], /path "\/users\/1"/);
        assert.match(sources[2], /path "\/users\/\*"/);
        assert.equal(admin.stubs[2].responses[0]._imposter.passthrough.url, upstream.url);
      } finally {
        await server.stop();
        await upstream.close();
      }
    });
  }
});

describe('https upstreams', () => {
  const certDir = join(repoRoot, 'node_modules', 'mountebank', 'src', 'models', 'https', 'cert');
  const config = (url: string) =>
    `plugin: rest\nupstreams:\n  secure:\n    url: ${url}\nresources:\n  - path: /secure\n    method: GET\n    passthrough: secure\n`;

  it('checks the certificate (a self-signed one is a 502), unless IMPOSTER_PASSTHROUGH_TLS_VERIFY=false', async () => {
    const origin = https.createServer({ key: readFileSync(join(certDir, 'mb-key.pem')), cert: readFileSync(join(certDir, 'mb-cert.pem')) }, (_req, res) =>
      res.end('secret'),
    );
    await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
    const url = `https://127.0.0.1:${(origin.address() as { port: number }).port}`;
    try {
      const checked = await startImposter({ 'secure-config.yaml': config(url) });
      try {
        const res = await get(`${checked.url}/secure`);
        assert.equal(res.status, 502);
        assert.equal(res.body, 'Upstream request failed');
        await waitFor(() => /\[ERROR\] passthrough to "secure" failed: .*certificate/i.test(checked.output()), 5_000, 'the error line naming the certificate');
      } finally {
        await checked.stop();
      }
      const unchecked = await startImposter({ 'secure-config.yaml': config(url) }, { IMPOSTER_PASSTHROUGH_TLS_VERIFY: 'false' });
      try {
        const res = await get(`${unchecked.url}/secure`);
        assert.equal(res.status, 200);
        assert.equal(res.body, 'secret');
        const admin = (await get(`${unchecked.adminUrl}/imposters/${unchecked.port}`)).json();
        assert.equal(admin.stubs[1].responses[0]._imposter.passthrough.verifyTls, false);
      } finally {
        await unchecked.stop();
      }
    } finally {
      origin.close();
    }
  });
});

describe('IMPOSTER_PASSTHROUGH_TIMEOUT', () => {
  it('answers 502 after the timeout (Go duration syntax) and keeps serving', async () => {
    const server = await startImposter(
      {
        'timeout-config.yaml': `plugin: rest
upstreams:
  stuck:
    url: ${hangingUrl}
resources:
  - path: /stuck
    method: GET
    passthrough: stuck
  - path: /alive
    method: GET
    response:
      content: still here
`,
      },
      { IMPOSTER_PASSTHROUGH_TIMEOUT: '500ms' },
    );
    try {
      const started = Date.now();
      const res = await get(`${server.url}/stuck`);
      const elapsed = Date.now() - started;
      assert.equal(res.status, 502);
      assert.ok(elapsed >= 480, `answered after ${elapsed} ms`);
      assert.equal((await get(`${server.url}/alive`)).body, 'still here');
      await waitFor(() => /\[ERROR\] passthrough to "stuck" failed: no response within 500ms/.test(server.output()), 5_000, 'the error line');
      const admin = (await get(`${server.adminUrl}/imposters/${server.port}`)).json();
      assert.equal(admin.stubs[1].responses[0]._imposter.passthrough.timeoutMs, 500);
    } finally {
      await server.stop();
    }
  });

  it('bounds the whole exchange: an upstream that answers at once but trickles its body gets a 502 on time', async () => {
    // Headers at once, then a byte every 150 ms for 3 s: each chunk is well within the timeout.
    const trickle = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      let sent = 0;
      const timer = setInterval(() => {
        if (res.destroyed || ++sent > 20) {
          clearInterval(timer);
          res.end();
          return;
        }
        res.write('x');
      }, 150);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((r) => trickle.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(trickle.address() as { port: number }).port}`;
    const server = await startImposter(
      {
        'trickle-config.yaml': `plugin: rest\nupstreams:\n  trickle:\n    url: ${url}\n  stuck:\n    url: ${hangingUrl}\nresources:\n  - path: /trickle\n    method: GET\n    passthrough: trickle\n  - path: /stuck\n    method: GET\n    passthrough: stuck\n`,
      },
      { IMPOSTER_PASSTHROUGH_TIMEOUT: '500ms' },
    );
    try {
      // The first upstream call compiles undici's HTTP parser, which holds the event loop a while on a busy machine.
      assert.equal((await get(`${server.url}/stuck`)).status, 502);
      for (const path of ['/trickle', '/stuck']) {
        const started = performance.now();
        const res = await get(`${server.url}${path}`);
        const elapsed = performance.now() - started;
        assert.equal(res.status, 502, path);
        // On time: 500 ms plus the machine's scheduling (undici's own timers answered after 1 s, or 3 s when trickled).
        assert.ok(elapsed >= 490 && elapsed < 750, `${path} answered after ${Math.round(elapsed)} ms`);
      }
    } finally {
      await server.stop();
      trickle.closeAllConnections();
      trickle.close();
    }
  });

  it('defaults to 30s: a 1.2 s upstream answers, and the compiled stub says 30000 ms', async () => {
    const server = await startImposter({
      'default-config.yaml': `plugin: rest\nupstreams:\n  slow:\n    url: ${slow.url}\nresources:\n  - path: /slow\n    method: GET\n    passthrough: slow\n`,
    });
    try {
      const res = await get(`${server.url}/slow`);
      assert.equal(res.status, 200);
      assert.equal(res.body, 'slow but fine');
      const admin = (await get(`${server.adminUrl}/imposters/${server.port}`)).json();
      assert.equal(admin.stubs[1].responses[0]._imposter.passthrough.timeoutMs, 30_000);
    } finally {
      await server.stop();
    }
  });

  // The other spellings are unit-tested (goDuration.test.ts); one goes through the executable.
  for (const [text, ms] of [['1m30s', 90_000]] as const) {
    it(`reads ${text} as ${ms} ms`, async () => {
      const server = await startImposter(
        { 'd-config.yaml': `plugin: rest\nupstreams:\n  u:\n    url: ${upstream.url}\nresources:\n  - path: /x\n    method: GET\n    passthrough: u\n` },
        { IMPOSTER_PASSTHROUGH_TIMEOUT: text },
      );
      try {
        const admin = (await get(`${server.adminUrl}/imposters/${server.port}`)).json();
        assert.equal(admin.stubs[1].responses[0]._imposter.passthrough.timeoutMs, ms);
      } finally {
        await server.stop();
      }
    });
  }

  it('refuses a value that is not a Go duration', async () => {
    const result = await refusedImposter({ 'x-config.yaml': 'plugin: rest\nresources: []\n' }, { IMPOSTER_PASSTHROUGH_TIMEOUT: '30 seconds' });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /IMPOSTER_PASSTHROUGH_TIMEOUT must be a Go duration .*"30 seconds"/);
  });
});

describe('IMPOSTER_PASSTHROUGH_FORWARDED_HEADERS', () => {
  for (const value of ['true', 'TRUE']) {
    it(`=${value} injects X-Forwarded-For (appended), X-Forwarded-Host, X-Forwarded-Proto and Via`, async () => {
      const server = await startImposter(
        { 'fwd-config.yaml': `plugin: rest\nupstreams:\n  u:\n    url: ${upstream.url}/base\nresources:\n  - path: /*\n    method: GET\n    passthrough: u\n` },
        { IMPOSTER_PASSTHROUGH_FORWARDED_HEADERS: value },
      );
      try {
        await get(`${server.url}/who`, { headers: { 'X-Forwarded-For': '203.0.113.7', Via: '1.0 edge' } });
        const received = upstream.last();
        assert.equal(received.url, '/base/who');
        assert.equal(received.headers['x-forwarded-for'], '203.0.113.7, 127.0.0.1');
        assert.equal(received.headers['x-forwarded-host'], `127.0.0.1:${server.port}`);
        assert.equal(received.headers['x-forwarded-proto'], 'http');
        assert.equal(received.headers.via, '1.1 imposter');
        await get(`${server.url}/who`);
        assert.equal(upstream.last().headers['x-forwarded-for'], '127.0.0.1', 'the client IP alone when none came in');
      } finally {
        await server.stop();
      }
    });
  }

  it('=false (the default) adds none of them', async () => {
    const server = await startImposter(
      { 'fwd-config.yaml': `plugin: rest\nupstreams:\n  u:\n    url: ${upstream.url}\nresources:\n  - path: /*\n    method: GET\n    passthrough: u\n` },
      { IMPOSTER_PASSTHROUGH_FORWARDED_HEADERS: 'false' },
    );
    try {
      await get(`${server.url}/who`);
      const headers = upstream.last().headers;
      for (const name of ['x-forwarded-for', 'x-forwarded-host', 'x-forwarded-proto', 'via']) assert.equal(headers[name], undefined, name);
    } finally {
      await server.stop();
    }
  });
});

describe('unreachable upstreams', () => {
  it('answers 502 when the upstream host cannot be resolved', async () => {
    const server = await startImposter({
      'dns-config.yaml':
        'plugin: rest\nupstreams:\n  nowhere:\n    url: http://standin-no-such-host.invalid:8080\nresources:\n  - path: /x\n    method: GET\n    passthrough: nowhere\n',
    });
    try {
      const res = await get(`${server.url}/x`);
      assert.equal(res.status, 502);
      assert.equal(res.body, 'Upstream request failed');
    } finally {
      await server.stop();
    }
  });
});

describe('startup validation', () => {
  it('fails when a resource references an upstream that is not defined, naming both', async () => {
    const result = await refusedImposter({
      'bad-config.yaml': `plugin: rest\nupstreams:\n  known:\n    url: ${upstream.url}\nresources:\n  - path: /orders\n    method: GET\n    passthrough: missing\n`,
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /bad-config\.yaml: resource \(method GET, path "\/orders"\) references unknown upstream "missing"/);
  });

  for (const [url, why] of [
    ['api.example.com/v1', /is not a URL with a scheme and a host/],
    ['ftp://files.example.com', /must be http or https/],
    ['', /'url' is required/],
  ] as const) {
    it(`fails on an upstream url ${JSON.stringify(url)}`, async () => {
      const result = await refusedImposter({
        'url-config.yaml': `plugin: rest\nupstreams:\n  broken:\n    url: "${url}"\nresources:\n  - path: /x\n    method: GET\n    passthrough: broken\n`,
      });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /url-config\.yaml: upstream "broken"/);
      assert.match(result.stderr, why);
    });
  }

  it('refuses any plugin but rest, naming the plugin and the file', async () => {
    const result = await refusedImposter({ 'petstore-config.yaml': 'plugin: openapi\nspecFile: petstore.yaml\n' });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /petstore-config\.yaml: plugin "openapi" is not supported by standin \(only plugin: rest\)/);
  });

  it('ignores passthrough on an interceptor with a warning at startup', async () => {
    const server = await startImposter({
      'icpt-config.yaml': `plugin: rest
upstreams:
  u:
    url: ${upstream.url}
interceptors:
  - path: /guarded
    method: GET
    passthrough: u
    response:
      statusCode: 403
      content: intercepted
`,
    });
    try {
      await waitFor(() => server.output().includes('[WARN]'), 5_000, 'the warning');
      assert.match(
        server.output(),
        /\[WARN\] .*icpt-config\.yaml: interceptor \(method GET, path "\/guarded"\) declares passthrough, which is not supported on interceptors and will be ignored/,
      );
      const count = upstream.received.length;
      const res = await get(`${server.url}/guarded`);
      assert.equal(res.status, 403);
      assert.equal(res.body, 'intercepted');
      assert.equal(upstream.received.length, count);
    } finally {
      await server.stop();
    }
  });
});
