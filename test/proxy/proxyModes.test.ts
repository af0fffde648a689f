// Proxy responses over real sockets: a real origin on 127.0.0.1, a real standin. Each of seed
// 001's examples step by step (the stubs array read back after every request), byte-exact
// binary and gzip bodies, repeated headers, an origin that is down, and save-then-replay.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { freePort, get, post, put, request } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

interface Origin {
  url: string;
  port: number;
  /** Requests the origin received, as it saw them. */
  received: { method: string; url: string; headers: http.IncomingHttpHeaders; rawHeaders: string[]; body: Buffer }[];
  close(): Promise<void>;
}

type Handler = (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse, count: number) => void;

async function startOrigin(handler: Handler): Promise<Origin> {
  const received: Origin['received'] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({ method: req.method!, url: req.url!, headers: req.headers, rawHeaders: req.rawHeaders, body });
      handler(req, body, res, received.length);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    received,
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

let mb: StandinProcess;
before(async () => {
  mb = await startStandin();
});
after(async () => {
  await mb.stop();
});

async function imposter(stubs: unknown[]): Promise<{ url: string; port: number }> {
  const port = await freePort();
  const res = await post(`${mb.url}/imposters`, { protocol: 'http', port, stubs });
  assert.equal(res.status, 201, res.body);
  return { url: `http://127.0.0.1:${port}`, port };
}

/** The stubs as GET /imposters/:port shows them, without `_links`. */
async function stubsOf(port: number): Promise<any[]> {
  const res = await get(`${mb.url}/imposters/${port}`);
  assert.equal(res.status, 200);
  return res.json().stubs.map(({ _links, ...stub }: any) => stub);
}

/** A saved response's `is` without the fields that vary from run to run. */
function stable(is: any): any {
  const { _proxyResponseTime, headers, ...rest } = is;
  assert.equal(typeof _proxyResponseTime, 'number');
  const { Date: _date, ...kept } = headers;
  return { ...rest, headers: kept };
}

const textOrigin: Handler = (req, _body, res, count) => {
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  res.end(`Request number ${count} to ${req.url}`);
};

describe('proxyOnce (seed 001)', () => {
  it('saves the answer in a new stub before the proxy stub and replays it without the origin', async () => {
    const origin = await startOrigin(textOrigin);
    const proxy = { to: origin.url, mode: 'proxyOnce', predicateGenerators: [{ matches: { path: true } }] };
    const { url, port } = await imposter([{ responses: [{ proxy }] }]);

    const first = await get(`${url}/test`);
    assert.equal(first.status, 200);
    assert.equal(first.body, 'Request number 1 to /test');
    let stubs = await stubsOf(port);
    assert.equal(stubs.length, 2);
    assert.deepEqual(stubs[0].predicates, [{ deepEquals: { path: '/test' } }]);
    assert.equal(stubs[0].responses.length, 1);
    assert.deepEqual(stable(stubs[0].responses[0].is), {
      statusCode: 200,
      headers: { 'Content-Type': 'text/plain', Connection: 'keep-alive', 'Keep-Alive': 'timeout=5', 'Transfer-Encoding': 'chunked' },
      body: 'Request number 1 to /test',
      _mode: 'text',
    });
    assert.deepEqual(stubs[1], { responses: [{ proxy }] });

    const again = await get(`${url}/test`);
    assert.equal(again.body, 'Request number 1 to /test', 'replayed from the saved stub');
    assert.equal(origin.received.length, 1, 'the origin was not called again');
    assert.equal((await stubsOf(port)).length, 2);

    const other = await get(`${url}/different-path`);
    assert.equal(other.body, 'Request number 2 to /different-path');
    stubs = await stubsOf(port);
    assert.deepEqual(
      stubs.map((s) => s.predicates),
      [[{ deepEquals: { path: '/test' } }], [{ deepEquals: { path: '/different-path' } }], undefined],
    );
    await origin.close();
  });

  it('is the default mode, and without predicateGenerators saves a stub with "predicates": []', async () => {
    const origin = await startOrigin(textOrigin);
    const { url, port } = await imposter([{ responses: [{ proxy: { to: origin.url } }] }]);
    await get(`${url}/a`);
    const second = await get(`${url}/b`);
    assert.equal(second.body, 'Request number 1 to /a', 'the empty predicates match everything');
    const stubs = await stubsOf(port);
    assert.deepEqual(stubs[0].predicates, []);
    assert.deepEqual(stubs[1], { responses: [{ proxy: { to: origin.url } }] }, 'the mode is not written into the definition');
    await origin.close();
  });
});

describe('proxyAlways (seed 001)', () => {
  it('appends each answer behind the proxy, to the stub with the same predicates, then replays after removeProxies', async () => {
    const origin = await startOrigin(textOrigin);
    const proxy = { to: origin.url, mode: 'proxyAlways', predicateGenerators: [{ matches: { path: true } }] };
    const { url, port } = await imposter([{ responses: [{ proxy }] }]);

    assert.equal((await get(`${url}/test`)).body, 'Request number 1 to /test');
    let stubs = await stubsOf(port);
    assert.equal(stubs.length, 2);
    assert.deepEqual(stubs[0], { responses: [{ proxy }] });
    assert.deepEqual(stubs[1].predicates, [{ deepEquals: { path: '/test' } }]);
    assert.deepEqual(
      stubs[1].responses.map((r: any) => r.is.body),
      ['Request number 1 to /test'],
    );

    assert.equal((await get(`${url}/test`)).body, 'Request number 2 to /test', 'the proxy still answers');
    stubs = await stubsOf(port);
    assert.equal(stubs.length, 2);
    assert.deepEqual(
      stubs[1].responses.map((r: any) => r.is.body),
      ['Request number 1 to /test', 'Request number 2 to /test'],
    );

    assert.equal((await get(`${url}/other`)).body, 'Request number 3 to /other');
    stubs = await stubsOf(port);
    assert.equal(stubs.length, 3);
    assert.deepEqual(stubs[2].predicates, [{ deepEquals: { path: '/other' } }]);

    // mb replay by hand: GET ?replayable=true&removeProxies=true, PUT /imposters.
    const saved = await get(`${mb.url}/imposters?replayable=true&removeProxies=true`);
    assert.equal(saved.status, 200);
    const mine = saved.json().imposters.find((i: any) => i.port === port);
    assert.deepEqual(
      mine.stubs.map((s: any) => s.predicates),
      [[{ deepEquals: { path: '/test' } }], [{ deepEquals: { path: '/other' } }]],
    );
    assert.equal(mine.stubs[0].responses[0].is._proxyResponseTime, undefined);
    const replaced = await put(`${mb.url}/imposters`, { imposters: [mine] });
    assert.equal(replaced.status, 200, replaced.body);
    await origin.close();

    assert.equal((await get(`${url}/test`)).body, 'Request number 1 to /test');
    assert.equal((await get(`${url}/test`)).body, 'Request number 2 to /test');
    assert.equal((await get(`${url}/test`)).body, 'Request number 1 to /test');
    assert.equal((await get(`${url}/other`)).body, 'Request number 3 to /other');
  });
});

describe('proxyTransparent (seed 001)', () => {
  it('forwards every request and saves nothing', async () => {
    const origin = await startOrigin(textOrigin);
    const proxy = { to: origin.url, mode: 'proxyTransparent' };
    const { url, port } = await imposter([{ responses: [{ proxy }] }]);
    assert.equal((await get(`${url}/test`)).body, 'Request number 1 to /test');
    assert.deepEqual(await stubsOf(port), [{ responses: [{ proxy }] }]);
    assert.equal((await get(`${url}/test`)).body, 'Request number 2 to /test');
    assert.deepEqual(await stubsOf(port), [{ responses: [{ proxy }] }]);
    await origin.close();
  });
});

describe('forwarding', () => {
  it('forwards method, raw path and query, headers with Host rewritten, injectHeaders and body bytes', async () => {
    const origin = await startOrigin((_req, body, res) => {
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ got: body.toString('utf8') }));
    });
    const proxy = { to: origin.url, mode: 'proxyTransparent', injectHeaders: { 'X-Injected': 'yes' } };
    const { url } = await imposter([{ responses: [{ proxy }] }]);
    const res = await request('PUT', `${url}/a%20b/c?WSDL&x=1&x=2&q=%7Bz%7D`, {
      headers: { 'X-Custom-Case': 'Kept', 'Content-Type': 'text/plain' },
      body: 'hello body',
    });
    assert.equal(res.status, 201);
    assert.equal(res.body, '{"got":"hello body"}', 'the origin bytes, not re-serialized');
    const seen = origin.received[0]!;
    assert.equal(seen.method, 'PUT');
    assert.equal(seen.url, '/a%20b/c?WSDL&x=1&x=2&q=%7Bz%7D');
    assert.equal(seen.headers.host, `127.0.0.1:${origin.port}`);
    assert.equal(seen.headers['x-injected'], 'yes');
    assert.ok(seen.rawHeaders.includes('X-Custom-Case'), 'header name case kept');
    assert.equal(seen.body.toString('utf8'), 'hello body');
    await origin.close();
  });

  it('forwards a gzip request body as sent, not decoded', async () => {
    const origin = await startOrigin((_req, body, res) => res.end(body));
    const { url } = await imposter([{ responses: [{ proxy: { to: origin.url, mode: 'proxyTransparent' } }] }]);
    const gz = zlib.gzipSync('compressed request');
    await request('POST', `${url}/up`, { headers: { 'Content-Encoding': 'gzip' }, body: gz });
    assert.deepEqual(origin.received[0]!.body, gz);
    await origin.close();
  });

  it('does not follow redirects', async () => {
    const origin = await startOrigin((_req, _body, res) => {
      res.writeHead(302, { Location: '/elsewhere' });
      res.end();
    });
    const { url } = await imposter([{ responses: [{ proxy: { to: origin.url, mode: 'proxyTransparent' } }] }]);
    const res = await get(`${url}/start`);
    assert.equal(res.status, 302);
    assert.equal(res.headers.location, '/elsewhere');
    assert.equal(origin.received.length, 1);
    await origin.close();
  });
});

describe('bodies and headers round-trip', () => {
  const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe, 0x10, 0x80, 0x7f]);
  const gzipped = zlib.gzipSync(JSON.stringify({ compressed: true, text: 'x'.repeat(200) }));

  it('keeps binary and gzip bodies byte-exact, live and replayed, and saves them as base64', async () => {
    const origin = await startOrigin((req, _body, res) => {
      if (req.url === '/image') {
        res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': png.length });
        res.end(png);
      } else {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
        res.end(gzipped);
      }
    });
    const proxy = { to: origin.url, predicateGenerators: [{ matches: { path: true } }] };
    const { url, port } = await imposter([{ responses: [{ proxy }] }]);
    for (let round = 0; round < 2; round++) {
      const image = await get(`${url}/image`);
      assert.deepEqual(image.bodyBytes, png);
      assert.equal(image.headers['content-type'], 'image/png');
      const zipped = await get(`${url}/zipped`);
      assert.deepEqual(zipped.bodyBytes, gzipped, 'not decompressed');
      assert.equal(zipped.headers['content-encoding'], 'gzip');
    }
    assert.equal(origin.received.length, 2, 'the second round was replayed');
    const stubs = await stubsOf(port);
    assert.equal(stubs[0].responses[0].is._mode, 'binary');
    assert.equal(stubs[0].responses[0].is.body, png.toString('base64'));
    assert.equal(stubs[1].responses[0].is._mode, 'binary');
    assert.equal(stubs[1].responses[0].is.body, gzipped.toString('base64'));
    await origin.close();
  });

  it('keeps repeated Set-Cookie headers separate, saved as an array', async () => {
    const origin = await startOrigin((_req, _body, res) => {
      res.setHeader('Set-Cookie', ['a=1; Path=/', 'b=2; Path=/']);
      res.end('cookies');
    });
    const { url, port } = await imposter([{ responses: [{ proxy: { to: origin.url } }] }]);
    for (let round = 0; round < 2; round++) {
      const res = await get(`${url}/`);
      assert.deepEqual(res.headers['set-cookie'], ['a=1; Path=/', 'b=2; Path=/']);
    }
    const stubs = await stubsOf(port);
    assert.deepEqual(stubs[0].responses[0].is.headers['Set-Cookie'], ['a=1; Path=/', 'b=2; Path=/']);
    await origin.close();
  });

  it('saves a JSON body as an object and replays it as mountebank does (4-space JSON)', async () => {
    const origin = await startOrigin((_req, _body, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"id":7,"tags":["a"]}');
    });
    const { url, port } = await imposter([{ responses: [{ proxy: { to: origin.url } }] }]);
    assert.equal((await get(`${url}/item`)).body, '{"id":7,"tags":["a"]}');
    const stubs = await stubsOf(port);
    assert.deepEqual(stubs[0].responses[0].is.body, { id: 7, tags: ['a'] });
    assert.equal((await get(`${url}/item`)).body, JSON.stringify({ id: 7, tags: ['a'] }, null, 4));
    await origin.close();
  });

  it('adds a wait behavior equal to the origin latency with addWaitBehavior', async () => {
    const origin = await startOrigin((_req, _body, res) => setTimeout(() => res.end('slow'), 60));
    const { url, port } = await imposter([{ responses: [{ proxy: { to: origin.url, addWaitBehavior: true } }] }]);
    await get(`${url}/`);
    const saved = (await stubsOf(port))[0].responses[0];
    assert.ok(saved.is._proxyResponseTime >= 50);
    assert.deepEqual(saved.behaviors, [{ wait: saved.is._proxyResponseTime }]);
    await origin.close();
  });
});

describe('predicateGenerators', () => {
  it('builds deepEquals for true, equals for nested objects, copies caseSensitive and except, honours ignore', async () => {
    const origin = await startOrigin((_req, _body, res) => res.end('ok'));
    const proxy = {
      to: origin.url,
      mode: 'proxyTransparent',
      predicateGenerators: [],
    };
    proxy.mode = 'proxyOnce';
    (proxy as any).predicateGenerators = [
      { matches: { method: true, query: true }, caseSensitive: true, ignore: { query: 'startDate' } },
      { matches: { query: { q: true }, headers: { 'X-A': true } } },
      { matches: { path: true }, except: '\\d+' },
    ];
    const { url, port } = await imposter([{ responses: [{ proxy }] }]);
    await get(`${url}/item42?q=1&startDate=today`, { headers: { 'X-A': 'hello' } });
    const stubs = await stubsOf(port);
    assert.deepEqual(stubs[0].predicates, [
      { caseSensitive: true, deepEquals: { method: 'GET' } },
      { caseSensitive: true, deepEquals: { query: { q: '1' } } },
      { equals: { query: { q: '1' } } },
      { equals: { headers: { 'X-A': 'hello' } } },
      { except: '\\d+', deepEquals: { path: '/item42' } },
    ]);
    await origin.close();
  });

  it('selects with jsonpath', async () => {
    const origin = await startOrigin((_req, _body, res) => res.end('ok'));
    const proxy = { to: origin.url, predicateGenerators: [{ matches: { body: true }, jsonpath: { selector: '$.id' } }] };
    const { url, port } = await imposter([{ responses: [{ proxy }] }]);
    await post(`${url}/`, { id: 'abc', other: 1 });
    const stubs = await stubsOf(port);
    assert.deepEqual(stubs[0].predicates, [{ jsonpath: { selector: '$.id' }, deepEquals: { body: 'abc' } }]);
    await origin.close();
  });
});

describe('stubs that mix is and proxy (seed 002)', () => {
  it('cycles through an is response and a proxy response', async () => {
    const origin = await startOrigin((_req, _body, res) => res.end('from origin'));
    const { url } = await imposter([{ responses: [{ is: { body: 'canned' } }, { proxy: { to: origin.url, mode: 'proxyTransparent' } }] }]);
    assert.equal((await get(`${url}/`)).body, 'canned');
    assert.equal((await get(`${url}/`)).body, 'from origin');
    assert.equal((await get(`${url}/`)).body, 'canned');
    await origin.close();
  });
});

describe('an origin that is down', () => {
  it("answers 500 with mountebank's invalid proxy error, then keeps serving", async () => {
    const deadPort = await freePort();
    const to = `http://127.0.0.1:${deadPort}`;
    const { url } = await imposter([
      { predicates: [{ equals: { path: '/proxied' } }], responses: [{ proxy: { to } }] },
      { responses: [{ is: { body: 'still here' } }] },
    ]);
    const res = await get(`${url}/proxied`);
    assert.equal(res.status, 500);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.deepEqual(res.json(), { errors: [{ code: 'invalid proxy', message: `Unable to connect to "${to}"` }] });
    assert.equal((await get(`${url}/other`)).body, 'still here');
    assert.equal((await get(`${url}/proxied`)).status, 500);
  });

  it('answers Cannot resolve for an unknown host', async () => {
    const to = 'http://standin-no-such-host.invalid';
    const { url } = await imposter([{ responses: [{ proxy: { to } }] }]);
    const res = await get(`${url}/`);
    assert.equal(res.status, 500);
    assert.deepEqual(res.json().errors[0], { code: 'invalid proxy', message: `Cannot resolve "${to}"` });
  });
});

describe('save and replay', () => {
  it('records with proxyOnce, saves with removeProxies, PUTs it back and replays with the origin stopped', async () => {
    const png = Buffer.from([0, 1, 2, 250, 251, 252]);
    const origin = await startOrigin((req, _body, res) => {
      if (req.url === '/bin') {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        res.end(png);
      } else {
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Set-Cookie': ['s=1', 't=2'] });
        res.end(`answer for ${req.url}`);
      }
    });
    const { url, port } = await imposter([{ responses: [{ proxy: { to: origin.url, predicateGenerators: [{ matches: { path: true, query: true } }] } }] }]);
    const live = [await get(`${url}/one?x=1`), await get(`${url}/two`), await get(`${url}/bin`)];
    const saved = await get(`${mb.url}/imposters?replayable=true&removeProxies=true`);
    const mine = saved.json().imposters.find((i: any) => i.port === port);
    assert.equal(mine.stubs.length, 3);
    assert.ok(mine.stubs.every((s: any) => s.responses.every((r: any) => r.proxy === undefined)));
    await origin.close();
    const replaced = await put(`${mb.url}/imposters`, { imposters: [mine] });
    assert.equal(replaced.status, 200, replaced.body);

    const replayed = [await get(`${url}/one?x=1`), await get(`${url}/two`), await get(`${url}/bin`)];
    for (let i = 0; i < live.length; i++) {
      assert.equal(replayed[i]!.status, live[i]!.status);
      assert.deepEqual(replayed[i]!.bodyBytes, live[i]!.bodyBytes);
      assert.deepEqual(replayed[i]!.headers['set-cookie'], live[i]!.headers['set-cookie']);
      assert.equal(replayed[i]!.headers['content-type'], live[i]!.headers['content-type']);
    }
    assert.deepEqual(replayed[2]!.bodyBytes, png);
    assert.equal((await get(`${url}/unknown`)).body, '', 'nothing recorded for this path: the default response');
  });
});
