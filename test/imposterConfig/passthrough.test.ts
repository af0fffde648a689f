// The seed's upstreams + passthrough, through the real executable, against two real upstream
// servers on 127.0.0.1: path joining, headers both ways, bytes verbatim, errors, the log lines.
import assert from 'node:assert/strict';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { gzipSync, gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { get, request } from '../support/http.js';
import { waitFor } from '../support/cliHarness.js';
import { headerNames, startImposter, startUpstream, type ImposterServer, type Upstream } from '../support/imposterHarness.js';

let first: Upstream;
let second: Upstream;
let imposter: ImposterServer;
const binary = randomBytes(4096);
const gzipped = gzipSync(Buffer.from('{"compressed": true}'));

before(async () => {
  first = await startUpstream({
    '/redirect': (_req, res) => {
      res.writeHead(302, { Location: '/elsewhere' });
      res.end();
    },
    '/cookies': (_req, res) => {
      res.writeHead(
        200,
        [
          ['Set-Cookie', 'a=1; Path=/'],
          ['Set-Cookie', 'b=2; HttpOnly'],
          ['Content-Length', '0'],
        ].flat(),
      );
      res.end();
    },
    '/gzip': (_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Type': 'application/json', 'Content-Length': gzipped.length });
      res.end(gzipped);
    },
    '/binary': (req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.end(req.body.length > 0 ? req.body : binary);
    },
    '/status/': (req, res) => {
      const status = Number(req.url.split('/status/')[1]!.split('?')[0]);
      res.writeHead(status, { 'Content-Type': 'text/plain', 'X-From-Upstream': 'yes' });
      res.end(`upstream said ${status}`);
    },
    '/hop': (_req, res) => {
      res.writeHead(200, [
        'Keep-Alive',
        'timeout=99, max=7',
        'Proxy-Authenticate',
        'Basic realm="up"',
        'Trailers',
        'X-T',
        'Upgrade',
        'h2c',
        'TE',
        'trailers',
        'X-Kept',
        'kept',
        'Content-Length',
        '2',
      ]);
      res.end('ok');
    },
  });
  second = await startUpstream();
  imposter = await startImposter({
    'passthrough-config.yaml': `
plugin: rest
upstreams:
  withBase:
    url: "${first.url}/v1"
  withBaseSlash:
    url: "${first.url}/v1/"
  bare:
    url: "${second.url}"
  first:
    url: "${first.url}"
  refused:
    url: "http://127.0.0.1:1"
resources:
  - path: /users
    method: GET
    requestHeaders:
      X-Row: "1"
    passthrough: withBase
  - path: /users
    method: GET
    requestHeaders:
      X-Row: "2"
    passthrough: withBaseSlash
  - path: /v1/users
    method: GET
    passthrough: bare
  - path: /root
    method: GET
    passthrough: bare
  - path: /
    method: GET
    passthrough: withBase
  - path: /any/*
    passthrough: first
  - path: /down
    method: GET
    passthrough: refused
  - path: /mocked
    method: GET
    response:
      content: mocked here
  - path: /*
    method: GET
    passthrough: first
`,
  });
});

after(async () => {
  await imposter?.stop();
  await first?.close();
  await second?.close();
});

/** Sends exact bytes (so hop-by-hop and framing headers are as written) and reads the answer until close. */
function rawExchange(port: number, text: string | Buffer): Promise<{ head: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      resolve({ head: all.subarray(0, split).toString('latin1'), body: all.subarray(split + 4) });
    });
    socket.setTimeout(10_000, () => socket.destroy(new Error('raw exchange timed out')));
  });
}

describe('path joining (the seed table)', () => {
  it('http://api/v1 + /users -> http://api/v1/users', async () => {
    const res = await get(`${imposter.url}/users`, { headers: { 'X-Row': '1' } });
    assert.equal(res.status, 200);
    assert.equal(first.last().url, '/v1/users');
  });

  it('http://api/v1/ + /users -> http://api/v1/users (no doubled slash)', async () => {
    const res = await get(`${imposter.url}/users`, { headers: { 'X-Row': '2' } });
    assert.equal(res.status, 200);
    assert.equal(first.last().url, '/v1/users');
  });

  it('http://api + /v1/users -> http://api/v1/users, on the second upstream', async () => {
    const before = first.received.length;
    const res = await get(`${imposter.url}/v1/users`);
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-upstream'], String(second.port));
    assert.equal(second.last().url, '/v1/users');
    assert.equal(first.received.length, before, 'the first upstream was not called');
  });

  it('forwards the query string unchanged, not re-encoded', async () => {
    await get(`${imposter.url}/root?q=a+b%20c&x=1&x=2&empty=`);
    assert.equal(second.last().url, '/root?q=a+b%20c&x=1&x=2&empty=');
  });

  it('keeps a trailing slash for the root path: http://api/v1 + / -> /v1/', async () => {
    await get(`${imposter.url}/`);
    assert.equal(first.last().url, '/v1/');
  });

  it('sends an encoded path (%2F) to the upstream as the client sent it', async () => {
    await get(`${imposter.url}/any/a%2Fb/c%20d`);
    assert.equal(first.last().url, '/any/a%2Fb/c%20d');
  });
});

describe('verbatim forwarding', () => {
  it('forwards method, headers and body, and returns status, headers and body', async () => {
    const res = await request('PATCH', `${imposter.url}/any/thing?x=1`, {
      headers: { 'X-Trace-Id': 'abc', Authorization: 'Bearer t', 'Content-Type': 'application/json' },
      body: '{"name":"x"}',
    });
    assert.equal(res.status, 200);
    const received = first.last();
    assert.equal(received.method, 'PATCH');
    assert.equal(received.url, '/any/thing?x=1');
    assert.equal(received.headers['x-trace-id'], 'abc');
    assert.equal(received.headers.authorization, 'Bearer t');
    assert.equal(received.headers['content-type'], 'application/json');
    assert.equal(received.body.toString(), '{"name":"x"}');
    assert.deepEqual(res.json(), { method: 'PATCH', url: '/any/thing?x=1', body: '{"name":"x"}' });
  });

  for (const status of [400, 404, 500, 503]) {
    it(`returns an upstream ${status} verbatim`, async () => {
      const res = await get(`${imposter.url}/any/status/${status}`);
      assert.equal(res.status, status);
      assert.equal(res.headers['x-from-upstream'], 'yes');
      assert.equal(res.headers['content-type'], 'text/plain');
      assert.equal(res.body, `upstream said ${status}`);
    });
  }

  it('returns a redirect instead of following it', async () => {
    const before = first.received.length;
    const res = await get(`${imposter.url}/any/redirect`);
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, '/elsewhere');
    assert.equal(first.received.length, before + 1, 'the Location was not requested');
  });

  it('keeps repeated Set-Cookie headers separate', async () => {
    const res = await get(`${imposter.url}/any/cookies`);
    assert.deepEqual(res.headers['set-cookie'], ['a=1; Path=/', 'b=2; HttpOnly']);
    const raw = res.rawHeaders.filter((_, i) => i % 2 === 0 && res.rawHeaders[i]!.toLowerCase() === 'set-cookie');
    assert.equal(raw.length, 2);
  });

  it('returns gzip bytes exactly as the upstream sent them, with their Content-Encoding', async () => {
    const res = await get(`${imposter.url}/any/gzip`, { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(res.headers['content-encoding'], 'gzip');
    assert.deepEqual(res.bodyBytes, gzipped);
    assert.equal(gunzipSync(res.bodyBytes).toString(), '{"compressed": true}');
  });

  it('forwards a gzip request body as bytes, with its Content-Encoding', async () => {
    const body = gzipSync(Buffer.from('request payload'));
    await request('POST', `${imposter.url}/any/upload`, { headers: { 'Content-Encoding': 'gzip' }, body });
    assert.deepEqual(first.last().body, body);
    assert.equal(first.last().headers['content-encoding'], 'gzip');
  });

  it('passes binary bodies byte for byte, both ways', async () => {
    const res = await get(`${imposter.url}/any/binary`);
    assert.deepEqual(res.bodyBytes, binary);
    const sent = randomBytes(10_000);
    const echoed = await request('POST', `${imposter.url}/any/binary`, { body: sent, headers: { 'Content-Type': 'application/octet-stream' } });
    assert.deepEqual(first.last().body, sent);
    assert.deepEqual(echoed.bodyBytes, sent);
  });

  it('still serves mocked resources next to passthrough ones', async () => {
    const res = await get(`${imposter.url}/mocked`);
    assert.equal(res.body, 'mocked here');
  });
});

describe('header handling (the seed list)', () => {
  it('drops every hop-by-hop request header and derives Host from the upstream URL', async () => {
    const body = 'hello';
    const { head } = await rawExchange(
      imposter.port,
      [
        'POST /any/hop-request HTTP/1.1',
        `Host: mock.example:${imposter.port}`,
        'Accept-Encoding: gzip, br',
        'Connection: close, X-Named-In-Connection',
        'X-Named-In-Connection: dropped too',
        'Keep-Alive: timeout=5',
        'Proxy-Authenticate: Basic realm="x"',
        'Proxy-Authorization: Basic Zm9vOmJhcg==',
        'TE: trailers',
        'Trailers: X-Checksum',
        'Transfer-Encoding: chunked',
        'Upgrade: h2c',
        'X-Kept: yes',
        '',
        `${body.length.toString(16)}`,
        body,
        '0',
        '',
        '',
      ].join('\r\n'),
    );
    assert.match(head, /^HTTP\/1\.1 200/);
    const received = first.last();
    const names = headerNames(received.rawHeaders);
    for (const hop of [
      'accept-encoding',
      'connection',
      'keep-alive',
      'proxy-authenticate',
      'proxy-authorization',
      'te',
      'trailers',
      'transfer-encoding',
      'upgrade',
      'x-named-in-connection',
    ]) {
      // undici opens keep-alive connections itself; what must not arrive is the client's value.
      if (hop === 'connection') assert.notEqual(received.headers.connection, 'close, X-Named-In-Connection');
      else assert.ok(!names.includes(hop), `${hop} was forwarded`);
    }
    assert.equal(received.headers.host, `127.0.0.1:${first.port}`);
    assert.equal(received.headers['x-kept'], 'yes');
    assert.equal(received.body.toString(), body, 'the chunked body arrived whole');
    assert.equal(received.headers['content-length'], String(body.length));
  });

  it('drops hop-by-hop response headers and keeps the others', async () => {
    const res = await get(`${imposter.url}/any/hop`);
    assert.equal(res.status, 200);
    assert.equal(res.body, 'ok');
    assert.equal(res.headers['x-kept'], 'kept');
    for (const hop of ['proxy-authenticate', 'trailers', 'upgrade', 'te']) assert.equal(res.headers[hop], undefined, `${hop} came back`);
    assert.notEqual(res.headers['keep-alive'], 'timeout=99, max=7');
  });

  it('adds no X-Forwarded-* or Via headers by default', async () => {
    await get(`${imposter.url}/any/plain`, { headers: { 'X-Forwarded-For': '10.1.1.1' } });
    const received = first.last();
    assert.equal(received.headers['x-forwarded-for'], '10.1.1.1', 'an inbound value is forwarded untouched');
    assert.equal(received.headers['x-forwarded-host'], undefined);
    assert.equal(received.headers['x-forwarded-proto'], undefined);
    assert.equal(received.headers.via, undefined);
  });
});

describe('errors', () => {
  it('answers 502 Bad Gateway when the upstream refuses the connection, and keeps serving', async () => {
    const res = await get(`${imposter.url}/down`);
    assert.equal(res.status, 502);
    assert.equal(res.body, 'Upstream request failed');
    await waitFor(() => /\[ERROR\] passthrough to "refused" failed: /.test(imposter.output()), 5_000, 'the error line');
    assert.equal((await get(`${imposter.url}/mocked`)).body, 'mocked here');
  });

  it('answers 502 when the upstream drops the connection without answering', async () => {
    const dropping = net.createServer((socket) => socket.once('data', () => socket.destroy()));
    await new Promise<void>((r) => dropping.listen(0, '127.0.0.1', r));
    const port = (dropping.address() as net.AddressInfo).port;
    const server = await startImposter({
      'drop-config.yaml': `plugin: rest\nupstreams:\n  dropper:\n    url: http://127.0.0.1:${port}\nresources:\n  - path: /x\n    method: GET\n    passthrough: dropper\n`,
    });
    try {
      assert.equal((await get(`${server.url}/x`)).status, 502);
    } finally {
      await server.stop();
      dropping.close();
    }
  });
});

describe('system endpoints', () => {
  it('answers /system/status itself, even with a catch-all passthrough', async () => {
    const before = first.received.length;
    const res = await get(`${imposter.url}/system/status`);
    assert.equal(res.status, 200);
    assert.equal(res.json().status, 'ok');
    assert.equal(first.received.length, before);
  });

  it('never forwards any other /system path, while the catch-all forwards the rest', async () => {
    const before = first.received.length;
    assert.equal((await get(`${imposter.url}/system/anything/else`)).status, 404);
    assert.equal((await get(`${imposter.url}/system/store/s/k`)).status, 404);
    assert.equal(first.received.length, before);
    await get(`${imposter.url}/systems/status`);
    assert.equal(first.last().url, '/systems/status');
  });
});

describe('logging', () => {
  it('logs the two INFO lines in the seed format, then the handled request line', async () => {
    const res = await get(`${imposter.url}/v1/users`);
    const length = res.bodyBytes.length;
    const target = `${second.url}/v1/users`;
    const forwarding = `[INFO] forwarding to upstream "bare" - method:GET, url:${target}`;
    const responded = new RegExp(`^\\[INFO\\] upstream "bare" responded - status:200, length:${length}, took:(\\d+ms|0s|\\d+(\\.\\d+)?s)$`);
    const handled = `[INFO] handled request - method:GET, path:/v1/users, status:200, length:${length}`;
    await waitFor(() => imposter.output().split('\n').lastIndexOf(handled) > imposter.output().split('\n').lastIndexOf(forwarding), 5_000, 'the handled line');
    const lines = imposter.output().split('\n');
    const at = lines.lastIndexOf(forwarding);
    assert.ok(at >= 0, `no line ${forwarding} in:\n${lines.join('\n')}`);
    assert.match(lines[at + 1]!, responded);
    assert.equal(lines[at + 2], handled);
  });
});
