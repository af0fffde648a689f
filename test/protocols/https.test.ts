// https imposters over real TLS on 127.0.0.1: a client that trusts only the generated certificate,
// the imposter's own key/cert, mutualAuth with and without a client certificate, proxying and
// recording through the http adapter, and the 400s for bad TLS settings.
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { generate } from 'selfsigned';
import { del, freePort, get, post } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

interface TlsResult {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
  peer: X509Certificate;
}

interface TlsOptions {
  host?: string;
  servername?: string;
  ca?: string;
  key?: string;
  cert?: string;
  method?: string;
  path?: string;
  body?: string;
  ciphers?: string;
}

/** One https request with its own agent-less connection; the server's certificate is verified against `ca`. */
function tlsRequest(port: number, options: TlsOptions = {}): Promise<TlsResult> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: options.host ?? '127.0.0.1',
        servername: options.servername,
        port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        agent: false,
        ca: options.ca,
        key: options.key,
        cert: options.cert,
        ciphers: options.ciphers,
        // Verification is on unless a test trusts nothing in particular.
        rejectUnauthorized: options.ca !== undefined,
        headers: options.body === undefined ? {} : { 'Content-Length': Buffer.byteLength(options.body) },
      },
      (res) => {
        const peer = (res.socket as TLSSocket).getPeerX509Certificate()!;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers, peer }));
      },
    );
    req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(options.body);
  });
}

const day = 24 * 60 * 60 * 1000;

async function pair(commonName: string, clientAuth: boolean, keySize = 2048): Promise<{ key: string; cert: string }> {
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keySize,
    algorithm: 'sha256',
    notBeforeDate: new Date(Date.now() - day),
    notAfterDate: new Date(Date.now() + 30 * day),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: !clientAuth, clientAuth },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}

let mb: StandinProcess;
let serverPair: { key: string; cert: string };
let clientPair: { key: string; cert: string };
before(async () => {
  [mb, serverPair, clientPair] = await Promise.all([startStandin(), pair('own-server', false), pair('test-client', true)]);
});
after(async () => {
  await mb.stop();
});

async function create(definition: Record<string, unknown>): Promise<{ port: number; body: Record<string, any> }> {
  const port = await freePort();
  const res = await post(`${mb.url}/imposters`, { protocol: 'https', port, ...definition });
  assert.equal(res.status, 201, res.body);
  return { port, body: res.json() };
}

const hello = [{ responses: [{ is: { statusCode: 201, body: 'hello over tls' } }] }];

describe('the generated certificate', () => {
  it('is valid now, for a year, for localhost and 127.0.0.1; a client trusting only it is served', async () => {
    const { port, body } = await create({ stubs: hello });
    assert.match(body.cert, /^-----BEGIN CERTIFICATE-----/);
    assert.match(body.key, /^-----BEGIN PRIVATE KEY-----/);
    assert.equal(body.mutualAuth, false);
    assert.equal(body.rejectUnauthorized, false);
    assert.equal(body.ca, null);

    const cert = new X509Certificate(body.cert);
    const san = cert.subjectAltName ?? '';
    assert.ok(san.includes('DNS:localhost'), san);
    assert.ok(san.includes('IP Address:127.0.0.1'), san);
    const now = Date.now();
    assert.ok(Date.parse(cert.validFrom) <= now, `valid from ${cert.validFrom}`);
    assert.ok(Date.parse(cert.validTo) > now + 300 * day, `valid to ${cert.validTo}`);
    assert.ok(cert.checkPrivateKey((await import('node:crypto')).createPrivateKey(body.key)), 'the echoed key belongs to the certificate');

    // Full verification (chain and host name) against the echoed certificate, by IP and by name.
    const byIp = await tlsRequest(port, { ca: body.cert });
    assert.equal(byIp.status, 201);
    assert.equal(byIp.body, 'hello over tls');
    assert.equal(byIp.peer.fingerprint256, cert.fingerprint256);
    const byName = await tlsRequest(port, { ca: body.cert, servername: 'localhost' });
    assert.equal(byName.body, 'hello over tls');
  });

  it('is refused by a client that trusts another certificate', async () => {
    const { port } = await create({ stubs: hello });
    await assert.rejects(tlsRequest(port, { ca: serverPair.cert }), /self[- ]signed|unable to verify|certificate/i);
  });

  it('is the same pair for every imposter of the process and shows in GET /imposters/:port', async () => {
    const a = await create({});
    const b = await create({});
    assert.equal(a.body.cert, b.body.cert);
    const shown = (await get(`${mb.url}/imposters/${a.port}`)).json();
    assert.equal(shown.cert, a.body.cert);
    assert.deepEqual(Object.keys(shown).slice(0, 9), [
      'protocol',
      'port',
      'numberOfRequests',
      'recordRequests',
      'key',
      'cert',
      'mutualAuth',
      'rejectUnauthorized',
      'ca',
    ]);
  });
});

describe("the imposter's own key and cert", () => {
  it('serves with them and echoes them as sent', async () => {
    const { port, body } = await create({ key: serverPair.key, cert: serverPair.cert, stubs: hello });
    assert.equal(body.key, serverPair.key);
    assert.equal(body.cert, serverPair.cert);
    const res = await tlsRequest(port, { ca: serverPair.cert });
    assert.equal(res.body, 'hello over tls');
    assert.equal(res.peer.subject, 'CN=own-server');
  });
});

describe('mutualAuth', () => {
  it('with rejectUnauthorized and a ca: serves a client presenting a certificate signed by it, refuses one without', async () => {
    const { port, body } = await create({ mutualAuth: true, rejectUnauthorized: true, ca: clientPair.cert, stubs: hello });
    assert.equal(body.mutualAuth, true);
    assert.equal(body.rejectUnauthorized, true);
    assert.equal(body.ca, clientPair.cert);

    const withCert = await tlsRequest(port, { ca: body.cert, key: clientPair.key, cert: clientPair.cert });
    assert.equal(withCert.status, 201);
    assert.equal(withCert.body, 'hello over tls');

    await assert.rejects(tlsRequest(port, { ca: body.cert }), (err: NodeJS.ErrnoException) => {
      assert.match(`${err.code} ${err.message}`, /ECONNRESET|certificate required|EPIPE|handshake/i);
      return true;
    });
    // A certificate the ca did not sign is refused too.
    await assert.rejects(tlsRequest(port, { ca: body.cert, key: serverPair.key, cert: serverPair.cert }));
    const after = (await get(`${mb.url}/imposters/${port}`)).json();
    assert.equal(after.numberOfRequests, 1, 'refused clients never reach the stubs');
  });

  it('without rejectUnauthorized: asks for a certificate but serves clients with or without one', async () => {
    const { port } = await create({ mutualAuth: true, stubs: hello });
    assert.equal((await tlsRequest(port, { key: clientPair.key, cert: clientPair.cert })).status, 201);
    assert.equal((await tlsRequest(port)).status, 201);
  });
});

describe('everything http does, over https', () => {
  it('records requests in the http shape, matches predicates, applies faults', async () => {
    const { port, body } = await create({
      recordRequests: true,
      stubs: [
        {
          predicates: [{ equals: { method: 'POST', path: '/orders', body: 'one' } }],
          responses: [{ is: { statusCode: 202, headers: { 'X-Kind': 'order' } } }],
        },
        { predicates: [{ equals: { path: '/reset' } }], responses: [{ fault: 'CONNECTION_RESET_BY_PEER' }] },
      ],
    });
    const res = await tlsRequest(port, { ca: body.cert, method: 'POST', path: '/orders?x=1', body: 'one' });
    assert.equal(res.status, 202);
    assert.equal(res.headers['x-kind'], 'order');
    assert.equal(res.headers.connection, 'close');
    await assert.rejects(tlsRequest(port, { ca: body.cert, path: '/reset' }), /ECONNRESET|socket hang up/);

    const recorded = (await get(`${mb.url}/imposters/${port}`)).json().requests;
    assert.equal(recorded.length, 2);
    assert.deepEqual(
      { method: recorded[0].method, path: recorded[0].path, query: recorded[0].query, body: recorded[0].body },
      { method: 'POST', path: '/orders', query: { x: '1' }, body: 'one' },
    );
    assert.match(recorded[0].requestFrom, /127\.0\.0\.1:\d+$/);
  });

  it('proxies to a real http origin and saves the answer (proxyOnce), then replays it without the origin', async () => {
    let calls = 0;
    const origin = http.createServer((req, res) => {
      calls++;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ path: req.url, calls }));
    });
    await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
    try {
      const to = `http://127.0.0.1:${(origin.address() as AddressInfo).port}`;
      const { port, body } = await create({
        stubs: [{ responses: [{ proxy: { to, predicateGenerators: [{ matches: { path: true } }] } }] }],
      });
      const first = await tlsRequest(port, { ca: body.cert, path: '/item' });
      const second = await tlsRequest(port, { ca: body.cert, path: '/item' });
      assert.deepEqual(JSON.parse(first.body), { path: '/item', calls: 1 });
      assert.deepEqual(JSON.parse(second.body), { path: '/item', calls: 1 }, 'served from the saved stub');
      assert.equal(calls, 1);
      const stubs = (await get(`${mb.url}/imposters/${port}`)).json().stubs;
      assert.deepEqual(stubs[0].predicates, [{ deepEquals: { path: '/item' } }]);
      assert.deepEqual(stubs[0].responses[0].is.body, { path: '/item', calls: 1 });
    } finally {
      origin.close();
    }
  });

  it('an http imposter proxies to an https imposter (the origin uses the generated certificate)', async () => {
    const origin = await create({ stubs: hello });
    const port = await freePort();
    const res = await post(`${mb.url}/imposters`, {
      protocol: 'http',
      port,
      stubs: [{ responses: [{ proxy: { to: `https://localhost:${origin.port}`, mode: 'proxyTransparent' } }] }],
    });
    assert.equal(res.status, 201, res.body);
    const proxied = await get(`http://127.0.0.1:${port}/`);
    assert.equal(proxied.status, 201);
    assert.equal(proxied.body, 'hello over tls');
  });

  it('a proxy presents its own client certificate to an origin that enforces mutualAuth', async () => {
    const origin = await create({ mutualAuth: true, rejectUnauthorized: true, ca: clientPair.cert, stubs: hello });
    const to = `https://localhost:${origin.port}`;
    const withCert = await create({ stubs: [{ responses: [{ proxy: { to, mode: 'proxyTransparent', key: clientPair.key, cert: clientPair.cert } }] }] });
    const res = await tlsRequest(withCert.port, { ca: withCert.body.cert });
    assert.equal(res.status, 201);
    assert.equal(res.body, 'hello over tls');

    const without = await create({ stubs: [{ responses: [{ proxy: { to, mode: 'proxyTransparent' } }] }] });
    const refusedByOrigin = await tlsRequest(without.port, { ca: without.body.cert });
    assert.equal(refusedByOrigin.status, 500);
    assert.equal(JSON.parse(refusedByOrigin.body).errors[0].code, 'invalid proxy');
  });

  it('frees the port when deleted', async () => {
    const { port } = await create({});
    assert.equal((await del(`${mb.url}/imposters/${port}`)).status, 200);
    const again = await post(`${mb.url}/imposters`, { protocol: 'https', port });
    assert.equal(again.status, 201, again.body);
  });
});

describe('bad TLS settings are a 400 and change nothing', () => {
  const cases: ReadonlyArray<readonly [string, Record<string, unknown>, RegExp]> = [
    ['a key without a cert', { key: 'KEY' }, /'key' and 'cert' must be given together/],
    ['a PEM that is not one', { key: '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----\n', cert: 'nope' }, /invalid TLS settings/],
    ['a number as ca', { ca: 42 }, /'ca' must be a PEM string/],
    ['unknown ciphers', { ciphers: 'NO-SUCH-CIPHER' }, /invalid TLS settings/],
  ];
  for (const [name, fields, message] of cases) {
    it(name, async () => {
      const before = (await get(`${mb.url}/imposters`)).json().imposters.length;
      const port = await freePort();
      const res = await post(`${mb.url}/imposters`, { protocol: 'https', port, ...fields });
      assert.equal(res.status, 400, res.body);
      const error = res.json().errors[0];
      assert.equal(error.code, 'bad data');
      assert.match(error.message, message);
      assert.equal((await get(`${mb.url}/imposters`)).json().imposters.length, before);
    });
  }

  it('a 1024-bit RSA key: served where this Node accepts it, else a 400 that says to use 2048 bits', async () => {
    const weak = await pair('weak-key', false, 1024);
    let acceptedHere = true;
    try {
      tls.createSecureContext(weak);
    } catch {
      acceptedHere = false;
    }
    const port = await freePort();
    const res = await post(`${mb.url}/imposters`, { protocol: 'https', port, ...weak, stubs: hello });
    if (acceptedHere) {
      assert.equal(res.status, 201, res.body);
      assert.equal((await tlsRequest(port, { ca: weak.cert, ciphers: 'DEFAULT@SECLEVEL=1' })).body, 'hello over tls');
      assert.equal((await del(`${mb.url}/imposters/${port}`)).status, 200);
    } else {
      assert.equal(res.status, 400, res.body);
      assert.match(
        res.json().errors[0].message,
        /^invalid TLS settings: .*key too small \(the key is shorter than this Node version accepts: use an RSA key of 2048 bits or more, or an EC key, or allow it with "ciphers": "DEFAULT@SECLEVEL=1"\)$/,
      );
    }
    // What the message offers works on every version.
    const allowed = await create({ ...weak, ciphers: 'DEFAULT@SECLEVEL=1', stubs: hello });
    // A Node 24 client refuses the short key too, unless told the same.
    assert.equal((await tlsRequest(allowed.port, { ca: weak.cert, ciphers: 'DEFAULT@SECLEVEL=1' })).body, 'hello over tls');
    assert.equal((await del(`${mb.url}/imposters/${allowed.port}`)).status, 200);
  });

  it('a key and cert that do not belong together', async () => {
    const port = await freePort();
    const res = await post(`${mb.url}/imposters`, { protocol: 'https', port, key: clientPair.key, cert: serverPair.cert });
    assert.equal(res.status, 400, res.body);
    assert.match(res.json().errors[0].message, /invalid TLS settings/);
  });
});
