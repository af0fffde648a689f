// What an HTTP client of an imposter sees: mountebank's wire defaults, request shape,
// cycling, repeat, alternative formats, the journal, CORS and faults.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import zlib from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { del, freePort, get, post, request } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

let mb: StandinProcess;
before(async () => {
  mb = await startStandin(['--journalCap', '5']);
});
after(async () => {
  await mb.stop();
});

async function imposter(definition: Record<string, unknown>): Promise<string> {
  const port = await freePort();
  const res = await post(`${mb.url}/imposters`, { protocol: 'http', port, ...definition });
  assert.equal(res.status, 201, res.body);
  return `http://127.0.0.1:${port}`;
}

const headerNames = (raw: string[]) => raw.filter((_, i) => i % 2 === 0);

describe('wire defaults', () => {
  it('answers an empty 200 with Connection: close and chunked framing when nothing matches', async () => {
    const url = await imposter({});
    const res = await get(`${url}/none`);
    assert.equal(res.status, 200);
    assert.equal(res.body, '');
    assert.equal(res.headers.connection, 'close');
    assert.equal(res.headers['transfer-encoding'], 'chunked');
    assert.equal(res.headers['content-type'], undefined, 'no Content-Type unless the stub sets one');
    assert.deepEqual(headerNames(res.rawHeaders).sort(), ['Connection', 'Date', 'Transfer-Encoding']);
  });

  it('serializes object bodies as JSON with 4 spaces and adds no Content-Type', async () => {
    const url = await imposter({ stubs: [{ responses: [{ is: { statusCode: 201, body: { a: [1, 2], b: { c: 'd' } } } }] }] });
    const res = await get(url);
    assert.equal(res.status, 201);
    assert.equal(res.body, JSON.stringify({ a: [1, 2], b: { c: 'd' } }, null, 4));
    assert.equal(res.headers['content-type'], undefined);
  });

  it('keeps header case, repeats array headers, keeps a user Connection header and recomputes Content-Length', async () => {
    const url = await imposter({
      stubs: [
        {
          responses: [
            {
              is: { headers: { 'X-Custom-Header': 'value', 'Set-Cookie': ['a=1', 'b=2'], CONNECTION: 'Keep-Alive', 'Content-Length': 999 }, body: 'héllo' },
            },
          ],
        },
      ],
    });
    const res = await get(url);
    assert.ok(res.rawHeaders.includes('X-Custom-Header'));
    assert.deepEqual(res.headers['set-cookie'], ['a=1', 'b=2']);
    assert.ok(res.rawHeaders.includes('CONNECTION'));
    assert.equal(res.headers.connection, 'Keep-Alive');
    assert.equal(res.headers['content-length'], String(Buffer.byteLength('héllo')));
    assert.equal(res.body, 'héllo');
  });

  it('decodes binary (base64) bodies, byte for byte', async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 255, 128, 10]);
    const url = await imposter({ stubs: [{ responses: [{ is: { body: bytes.toString('base64'), _mode: 'binary' } }] }] });
    const res = await get(url);
    assert.deepEqual(res.bodyBytes, bytes);
  });

  it('merges defaultResponse field by field, and uses it when nothing matches', async () => {
    const url = await imposter({
      defaultResponse: { statusCode: 404, body: 'default body', headers: { 'X-Default': 'yes' } },
      stubs: [
        { predicates: [{ equals: { path: '/status-only' } }], responses: [{ is: { statusCode: 202 } }] },
        { predicates: [{ equals: { path: '/headers' } }], responses: [{ is: { headers: { 'X-Own': 'own' } } }] },
        { predicates: [{ equals: { path: '/empty-body' } }], responses: [{ is: { body: '' } }] },
      ],
    });
    let res = await get(`${url}/nothing`);
    assert.equal(res.status, 404);
    assert.equal(res.body, 'default body');
    assert.equal(res.headers['x-default'], 'yes');
    res = await get(`${url}/status-only`);
    assert.equal(res.status, 202);
    assert.equal(res.body, 'default body');
    res = await get(`${url}/headers`);
    assert.equal(res.status, 404);
    assert.equal(res.headers['x-own'], 'own');
    assert.equal(res.headers['x-default'], undefined, 'headers replace, never merge');
    res = await get(`${url}/empty-body`);
    assert.equal(res.body, 'default body', 'an empty body falls back to the default body');
  });
});

describe('the request as mountebank records it', () => {
  it('records method, path, query arrays, headers in client case, body, form, ip and timestamp', async () => {
    const url = await imposter({ recordRequests: true });
    await request('POST', `${url}/some/path?q=1&tag=a&tag=b&WSDL`, {
      headers: { 'X-Mixed-Case': 'One', 'x-repeat': ['1', '2'], 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'name=standin&kind=mock',
    });
    const port = new URL(url).port;
    const recorded = (await get(`${mb.url}/imposters/${port}`)).json().requests;
    assert.equal(recorded.length, 1);
    const r = recorded[0];
    assert.deepEqual(Object.keys(r), ['requestFrom', 'method', 'path', 'query', 'headers', 'body', 'ip', 'form', 'timestamp']);
    assert.equal(r.method, 'POST');
    assert.equal(r.path, '/some/path');
    assert.deepEqual(r.query, { q: '1', tag: ['a', 'b'], WSDL: '' });
    assert.equal(r.headers['X-Mixed-Case'], 'One');
    assert.deepEqual(r.headers['x-repeat'], ['1', '2']);
    assert.equal(r.body, 'name=standin&kind=mock');
    assert.deepEqual(r.form, { name: 'standin', kind: 'mock' });
    assert.match(r.requestFrom, /127\.0\.0\.1:\d+$/);
    assert.match(r.ip, /127\.0\.0\.1$/);
    assert.ok(!Number.isNaN(Date.parse(r.timestamp)));
  });

  it('decodes gzip, br and deflate request bodies before matching', async () => {
    const url = await imposter({
      stubs: [{ predicates: [{ equals: { body: 'compressed hello' } }], responses: [{ is: { body: 'matched' } }] }],
    });
    for (const [encoding, bytes] of [
      ['gzip', zlib.gzipSync('compressed hello')],
      ['br', zlib.brotliCompressSync('compressed hello')],
      ['deflate', zlib.deflateSync('compressed hello')],
      ['deflate', zlib.deflateRawSync('compressed hello')],
    ] as const) {
      const res = await request('POST', url, { headers: { 'Content-Encoding': encoding }, body: bytes });
      assert.equal(res.body, 'matched', encoding);
    }
  });

  it('keeps only the newest requests up to the journal cap, while numberOfRequests stays exact', async () => {
    const url = await imposter({ recordRequests: true });
    for (let i = 0; i < 8; i++) await get(`${url}/r${i}`);
    const port = new URL(url).port;
    const body = (await get(`${mb.url}/imposters/${port}`)).json();
    assert.equal(body.numberOfRequests, 8);
    assert.deepEqual(
      body.requests.map((r: { path: string }) => r.path),
      ['/r3', '/r4', '/r5', '/r6', '/r7'],
    );
  });
});

describe('stub selection, cycling and repeat', () => {
  it('uses the first matching stub', async () => {
    const url = await imposter({
      stubs: [
        { predicates: [{ startsWith: { path: '/api' } }], responses: [{ is: { body: 'first' } }] },
        { predicates: [{ equals: { path: '/api/x' } }], responses: [{ is: { body: 'second' } }] },
      ],
    });
    assert.equal((await get(`${url}/api/x`)).body, 'first');
  });

  it('cycles responses round robin, per stub', async () => {
    const url = await imposter({
      stubs: [
        { predicates: [{ equals: { path: '/cycle' } }], responses: [1, 2, 3].map((n) => ({ is: { body: `Response ${n}` } })) },
        { predicates: [{ equals: { path: '/other' } }], responses: [{ is: { body: 'A' } }, { is: { body: 'B' } }] },
      ],
    });
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) seen.push((await get(`${url}/cycle`)).body);
    assert.deepEqual(seen, ['Response 1', 'Response 2', 'Response 3', 'Response 1', 'Response 2']);
    assert.equal((await get(`${url}/other`)).body, 'A', 'another stub keeps its own position');
  });

  it('repeats a response before moving on (old _behaviors and new repeat forms)', async () => {
    for (const success of [
      { is: { statusCode: 200, body: 'Success' }, _behaviors: { repeat: 3 } },
      { is: { statusCode: 200, body: 'Success' }, repeat: 3 },
    ]) {
      const url = await imposter({ stubs: [{ responses: [success, { is: { statusCode: 500, body: 'Error' } }] }] });
      const seen: number[] = [];
      for (let i = 0; i < 8; i++) seen.push((await get(url)).status);
      assert.deepEqual(seen, [200, 200, 200, 500, 200, 200, 200, 500]);
    }
  });

  it('restarts cycling when stubs are replaced', async () => {
    const url = await imposter({ stubs: [{ responses: [{ is: { body: '1' } }, { is: { body: '2' } }] }] });
    assert.equal((await get(url)).body, '1');
    const port = new URL(url).port;
    await (
      await import('../support/http.js')
    ).put(`${mb.url}/imposters/${port}/stubs`, { stubs: [{ responses: [{ is: { body: '1' } }, { is: { body: '2' } }] }] });
    assert.equal((await get(url)).body, '1');
  });
});

describe('alternative formats (seed 002)', () => {
  it('accepts behaviors as an array, statusCode as a string and proxy: null, and echoes them as sent (as mountebank)', async () => {
    const url = await imposter({
      stubs: [
        {
          responses: [
            {
              behaviors: [{ wait: 100 }],
              is: { statusCode: '201', headers: { 'Content-Type': 'application/json' }, body: '{"created": true}' },
              proxy: null,
            },
          ],
        },
      ],
    });
    const started = Date.now();
    const res = await get(url);
    assert.ok(Date.now() - started >= 95, 'the wait behavior delays the answer');
    assert.equal(res.status, 201);
    assert.equal(res.body, '{"created": true}');
    const port = new URL(url).port;
    const echoed = (await get(`${mb.url}/imposters/${port}?replayable=true`)).json().stubs[0].responses[0];
    assert.deepEqual(echoed, {
      behaviors: [{ wait: 100 }],
      is: { statusCode: '201', headers: { 'Content-Type': 'application/json' }, body: '{"created": true}' },
      proxy: null,
    });
  });

  it('upcasts the old _behaviors object into repeat and the behaviors array', async () => {
    const url = await imposter({ stubs: [{ responses: [{ is: { body: 'x' }, _behaviors: { wait: 10, repeat: 2 } }] }] });
    const port = new URL(url).port;
    const echoed = (await get(`${mb.url}/imposters/${port}`)).json().stubs[0].responses[0];
    assert.deepEqual(echoed, { is: { body: 'x' }, repeat: 2, behaviors: [{ wait: 10 }] });
  });
});

describe('allowCORS', () => {
  it('answers a preflight with the Access-Control-Allow headers, and leaves other requests alone', async () => {
    const url = await imposter({ allowCORS: true });
    const res = await request('OPTIONS', url, {
      headers: { 'Access-Control-Request-Headers': 'X-Token', 'Access-Control-Request-Method': 'PUT', Origin: 'http://app.test' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers['access-control-allow-headers'], 'X-Token');
    assert.equal(res.headers['access-control-allow-methods'], 'PUT');
    assert.equal(res.headers['access-control-allow-origin'], 'http://app.test');
    const plain = await get(url, { headers: { Origin: 'http://app.test' } });
    assert.equal(plain.headers['access-control-allow-origin'], undefined);
  });
});

describe('allowCORS in the imposter JSON (added in mountebank 2.9.2)', () => {
  it('is printed when true, in the list, the imposter and the replayable form, last in the header; false is left out', async () => {
    const on = Number(new URL(await imposter({ allowCORS: true, name: 'cors' })).port);
    const off = Number(new URL(await imposter({ allowCORS: false })).port);
    const list = (await get(`${mb.url}/imposters`)).json().imposters as Record<string, unknown>[];
    const entry = (port: number) => list.find((i) => i.port === port)!;
    assert.deepEqual(Object.keys(entry(on)), ['protocol', 'port', 'name', 'numberOfRequests', 'allowCORS', '_links']);
    assert.deepEqual(Object.keys(entry(off)), ['protocol', 'port', 'numberOfRequests', '_links']);
    const full = (await get(`${mb.url}/imposters/${on}`)).json();
    assert.deepEqual(Object.keys(full), ['protocol', 'port', 'name', 'numberOfRequests', 'recordRequests', 'allowCORS', 'requests', 'stubs', '_links']);
    assert.equal(full.allowCORS, true);
    assert.equal('allowCORS' in (await get(`${mb.url}/imposters/${off}`)).json(), false);
    const replayable = (await get(`${mb.url}/imposters/${on}?replayable=true`)).json();
    assert.deepEqual(Object.keys(replayable), ['protocol', 'port', 'name', 'recordRequests', 'allowCORS', 'stubs']);
  });
});

describe('faults', () => {
  it('CONNECTION_RESET_BY_PEER resets the connection', async () => {
    const url = await imposter({ stubs: [{ responses: [{ fault: 'CONNECTION_RESET_BY_PEER' }] }] });
    await assert.rejects(get(url), /ECONNRESET|socket hang up/);
  });

  it('RANDOM_DATA_THEN_CLOSE sends garbage then closes', async () => {
    const url = await imposter({ stubs: [{ responses: [{ fault: 'RANDOM_DATA_THEN_CLOSE' }] }] });
    const { port } = new URL(url);
    const received = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
      let data = '';
      socket.on('data', (d) => (data += d));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
    });
    assert.equal(received, 'Htijy%@tWXJ/hQ#[Q:7G@dH4"gu[QaX&');
    await assert.rejects(get(url), (err: NodeJS.ErrnoException) => /HPE_|Parse Error/.test(`${err.code} ${err.message}`));
  });

  it('an unknown fault falls back to the default response', async () => {
    const url = await imposter({ stubs: [{ responses: [{ fault: 'NOT_A_FAULT' }] }] });
    const res = await get(url);
    assert.equal(res.status, 200);
    assert.equal(res.body, '');
  });
});

describe('a deleted imposter', () => {
  it('stops answering and closes kept-alive connections', async () => {
    const url = await imposter({ stubs: [{ responses: [{ is: { headers: { Connection: 'keep-alive' }, body: 'alive' } }] }] });
    const agent = new http.Agent({ keepAlive: true });
    const body = await new Promise<string>((resolve, reject) => {
      http
        .get(url, { agent }, (res) => {
          let data = '';
          res.on('data', (d) => (data += d));
          res.on('end', () => resolve(data));
        })
        .on('error', reject);
    });
    assert.equal(body, 'alive');
    await del(`${mb.url}/imposters/${new URL(url).port}`);
    await assert.rejects(get(url), /ECONNREFUSED/);
    agent.destroy();
  });
});
