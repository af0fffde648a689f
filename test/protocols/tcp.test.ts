// tcp imposters over real sockets on 127.0.0.1: text and binary modes, predicates on `data`,
// `is` responses and the default response, recorded requests, wait and faults, a proxy to a real
// tcp origin (the three modes, binary, keepalive, an origin that is down) and the 400s.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { freePort, get, post } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';
import { TcpClient, tcpExchange } from '../support/tcp.js';

let mb: StandinProcess;
before(async () => {
  mb = await startStandin();
});
after(async () => {
  await mb.stop();
});

async function create(definition: Record<string, unknown>): Promise<{ port: number; body: Record<string, any> }> {
  const port = await freePort();
  const res = await post(`${mb.url}/imposters`, { protocol: 'tcp', port, ...definition });
  assert.equal(res.status, 201, res.body);
  return { port, body: res.json() };
}

async function refused(definition: Record<string, unknown>, target: StandinProcess = mb): Promise<{ code: string; message: string }> {
  const port = await freePort();
  const res = await post(`${target.url}/imposters`, { protocol: 'tcp', port, ...definition });
  assert.equal(res.status, 400, res.body);
  return res.json().errors[0];
}

const imposterJson = async (port: number) => (await get(`${mb.url}/imposters/${port}`)).json();
const b64 = (bytes: number[]) => Buffer.from(bytes).toString('base64');

interface Origin {
  port: number;
  connections: number;
  received: Buffer[];
  close(): Promise<void>;
}

/** A real tcp origin: answers every packet with `answer(packet)`. */
async function startOrigin(answer: (packet: Buffer) => Buffer | string): Promise<Origin> {
  const sockets = new Set<net.Socket>();
  const origin: Origin = {
    port: 0,
    connections: 0,
    received: [],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
  const server = net.createServer((socket) => {
    origin.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.on('data', (packet) => {
      origin.received.push(packet);
      socket.write(answer(packet));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin.port = (server.address() as net.AddressInfo).port;
  return origin;
}

describe('text mode', () => {
  it('matches predicates on data and answers with the stub, echoing mode "text"', async () => {
    const { port, body } = await create({
      stubs: [
        { predicates: [{ equals: { data: 'ping' } }], responses: [{ is: { data: 'pong' } }] },
        { predicates: [{ startsWith: { data: 'GET ' } }, { contains: { data: 'stock' } }], responses: [{ is: { data: 'in stock' } }] },
        { predicates: [{ matches: { data: '^order-\\d+$' } }], responses: [{ is: { data: 'order ok' } }] },
      ],
    });
    assert.equal(body.mode, 'text');
    assert.equal((await tcpExchange(port, 'ping')).toString(), 'pong');
    assert.equal((await tcpExchange(port, 'PING')).toString(), 'pong', 'case-insensitive unless caseSensitive');
    assert.equal((await tcpExchange(port, 'GET stock/42')).toString(), 'in stock');
    assert.equal((await tcpExchange(port, 'order-17')).toString(), 'order ok');
  });

  it('writes nothing when nothing matches and keeps the connection open for the next request', async () => {
    const { port } = await create({ stubs: [{ predicates: [{ equals: { data: 'known' } }], responses: [{ is: { data: 'yes' } }] }] });
    const client = await TcpClient.connect(port);
    try {
      client.write('unknown');
      assert.equal((await client.idle(300)).length, 0);
      assert.equal(client.closed, false);
      client.write('known');
      assert.equal((await client.read()).toString(), 'yes');
    } finally {
      client.close();
    }
  });

  it("answers with the imposter's defaultResponse when nothing matches", async () => {
    const { port } = await create({
      defaultResponse: { data: 'no idea' },
      stubs: [{ predicates: [{ equals: { data: 'x' } }], responses: [{ is: { data: 'x!' } }] }],
    });
    assert.equal((await tcpExchange(port, 'something')).toString(), 'no idea');
  });

  it('cycles responses and records requests as {requestFrom, ip, data, timestamp}', async () => {
    const { port } = await create({ recordRequests: true, stubs: [{ responses: [{ is: { data: 'first' } }, { is: { data: 'second' } }] }] });
    assert.equal((await tcpExchange(port, 'one')).toString(), 'first');
    assert.equal((await tcpExchange(port, 'two')).toString(), 'second');
    assert.equal((await tcpExchange(port, 'three')).toString(), 'first');
    const json = await imposterJson(port);
    assert.equal(json.numberOfRequests, 3);
    assert.deepEqual(Object.keys(json.requests[0]), ['requestFrom', 'ip', 'data', 'timestamp']);
    assert.deepEqual(
      json.requests.map((r: { data: string }) => r.data),
      ['one', 'two', 'three'],
    );
    assert.match(json.requests[0].requestFrom, /127\.0\.0\.1:\d+$/);
    assert.match(json.requests[0].ip, /127\.0\.0\.1$/);
  });

  it('waits before answering (wait behavior) and answers one connection in request order', async () => {
    const { port } = await create({
      stubs: [
        { predicates: [{ equals: { data: 'slow' } }], responses: [{ is: { data: 'S' }, behaviors: [{ wait: 300 }] }] },
        { predicates: [{ equals: { data: 'fast' } }], responses: [{ is: { data: 'F' } }] },
      ],
    });
    const client = await TcpClient.connect(port);
    try {
      const started = Date.now();
      client.write('slow');
      await new Promise((r) => setTimeout(r, 50)); // two packets, two requests
      client.write('fast');
      assert.equal((await client.read(2)).toString(), 'SF');
      assert.ok(Date.now() - started >= 280, `answered after ${Date.now() - started} ms`);
    } finally {
      client.close();
    }
  });

  it('still answers a client that shut its sending side, then ends the connection', async () => {
    const { port } = await create({ stubs: [{ responses: [{ is: { data: 'late answer' }, behaviors: [{ wait: 300 }] }] }] });
    const client = await TcpClient.connect(port);
    client.write('question');
    client.endWrite();
    assert.equal((await client.read(11)).toString(), 'late answer');
    assert.equal(await client.closedByServer(), null);
  });

  it('resets the connection for a CONNECTION_RESET_BY_PEER fault', async () => {
    const { port } = await create({ stubs: [{ responses: [{ fault: 'CONNECTION_RESET_BY_PEER' }] }] });
    const client = await TcpClient.connect(port);
    client.write('anything');
    const err = await client.closedByServer();
    assert.equal(err?.code, 'ECONNRESET');
  });
});

describe('binary mode', () => {
  it('answers base64 data as bytes, matches on decoded bytes and records base64', async () => {
    const { port, body } = await create({
      mode: 'binary',
      recordRequests: true,
      stubs: [
        { predicates: [{ contains: { data: b64([2, 3]) } }], responses: [{ is: { data: b64([0, 1, 254, 255]) } }] },
        { responses: [{ is: { data: b64([9]) } }] },
      ],
    });
    assert.equal(body.mode, 'binary');
    const answer = await tcpExchange(port, Buffer.from([1, 2, 3, 4]), 4);
    assert.deepEqual([...answer], [0, 1, 254, 255]);
    assert.deepEqual([...(await tcpExchange(port, Buffer.from([7, 7])))], [9]);
    const json = await imposterJson(port);
    assert.deepEqual(
      json.requests.map((r: { data: string }) => r.data),
      [b64([1, 2, 3, 4]), b64([7, 7])],
    );
  });

  const refusals: ReadonlyArray<readonly [string, unknown, RegExp]> = [
    ['matches', { matches: { data: 'AQI=' } }, /the matches predicate is not allowed in binary mode/],
    ['xpath', { equals: { data: 'AQI=' }, xpath: { selector: '//a' } }, /the xpath predicate parameter is not allowed in binary mode/],
    ['jsonpath', { equals: { data: 'AQI=' }, jsonpath: { selector: '$.a' } }, /the jsonpath predicate parameter is not allowed in binary mode/],
  ];
  for (const [name, predicate, message] of refusals) {
    it(`refuses ${name} with a 400`, async () => {
      const error = await refused({ mode: 'binary', stubs: [{ predicates: [predicate], responses: [{ is: { data: '' } }] }] });
      assert.equal(error.code, 'bad data');
      assert.match(error.message, message);
    });
  }

  it('refuses a mode that is neither text nor binary', async () => {
    const error = await refused({ mode: 'hex' });
    assert.equal(error.message, "'mode' must be one of ['text', 'binary']");
  });
});

describe('proxy to a tcp origin', () => {
  it('proxyOnce: forwards, answers with the origin, saves {is: {data}} in front; the next request never reaches the origin', async () => {
    const origin = await startOrigin((p) => `origin saw ${p.toString()}`);
    try {
      const { port } = await create({
        stubs: [{ responses: [{ proxy: { to: `tcp://127.0.0.1:${origin.port}`, predicateGenerators: [{ matches: { data: true } }] } }] }],
      });
      assert.equal((await tcpExchange(port, 'hello')).toString(), 'origin saw hello');
      assert.equal((await tcpExchange(port, 'hello')).toString(), 'origin saw hello');
      assert.equal(origin.received.length, 1);
      assert.equal((await tcpExchange(port, 'other')).toString(), 'origin saw other');
      const stubs = (await imposterJson(port)).stubs;
      assert.equal(stubs.length, 3);
      assert.deepEqual(stubs[0].predicates, [{ deepEquals: { data: 'hello' } }]);
      assert.equal(stubs[0].responses[0].is.data, 'origin saw hello');
      assert.equal(typeof stubs[0].responses[0].is._proxyResponseTime, 'number');
      assert.deepEqual(stubs[1].predicates, [{ deepEquals: { data: 'other' } }]);
      assert.equal(stubs[2].responses[0].proxy.to, `tcp://127.0.0.1:${origin.port}`);
    } finally {
      await origin.close();
    }
  });

  it('proxyAlways records every answer behind the proxy; proxyTransparent records nothing', async () => {
    let n = 0;
    const origin = await startOrigin(() => `answer ${++n}`);
    try {
      const to = `tcp://127.0.0.1:${origin.port}`;
      const always = await create({ stubs: [{ responses: [{ proxy: { to, mode: 'proxyAlways', predicateGenerators: [{ matches: { data: true } }] } }] }] });
      await tcpExchange(always.port, 'q');
      await tcpExchange(always.port, 'q');
      const stubs = (await imposterJson(always.port)).stubs;
      assert.equal(stubs.length, 2);
      assert.deepEqual(
        stubs[1].responses.map((r: { is: { data: string } }) => r.is.data),
        ['answer 1', 'answer 2'],
      );

      const transparent = await create({ stubs: [{ responses: [{ proxy: { to, mode: 'proxyTransparent' } }] }] });
      assert.equal((await tcpExchange(transparent.port, 'q')).toString(), 'answer 3');
      assert.equal((await imposterJson(transparent.port)).stubs.length, 1);
    } finally {
      await origin.close();
    }
  });

  it('proxies bytes exactly in binary mode', async () => {
    const origin = await startOrigin((p) => Buffer.concat([Buffer.from([0, 255]), p]));
    try {
      const { port } = await create({ mode: 'binary', stubs: [{ responses: [{ proxy: { to: `tcp://127.0.0.1:${origin.port}` } }] }] });
      const answer = await tcpExchange(port, Buffer.from([1, 2, 3]), 5);
      assert.deepEqual([...answer], [0, 255, 1, 2, 3]);
      const saved = (await imposterJson(port)).stubs[0].responses[0].is.data;
      assert.equal(saved, b64([0, 255, 1, 2, 3]));
    } finally {
      await origin.close();
    }
  });

  it('opens one origin connection per request, or one for all with keepalive', async () => {
    const origin = await startOrigin((p) => p);
    try {
      const to = `tcp://127.0.0.1:${origin.port}`;
      const plain = await create({ stubs: [{ responses: [{ proxy: { to, mode: 'proxyTransparent' } }] }] });
      await tcpExchange(plain.port, 'a');
      await tcpExchange(plain.port, 'b');
      assert.equal(origin.connections, 2);
      const kept = await create({ stubs: [{ responses: [{ proxy: { to, mode: 'proxyTransparent', keepalive: true } }] }] });
      await tcpExchange(kept.port, 'c');
      await tcpExchange(kept.port, 'd');
      assert.equal(origin.connections, 3);
    } finally {
      await origin.close();
    }
  });

  it('writes the error envelope on the socket when the origin is down, and keeps serving', async () => {
    const downPort = await freePort();
    const { port } = await create({
      stubs: [
        { predicates: [{ equals: { data: 'alive?' } }], responses: [{ is: { data: 'yes' } }] },
        { responses: [{ proxy: { to: `tcp://127.0.0.1:${downPort}` } }] },
      ],
    });
    const answer = JSON.parse((await tcpExchange(port, 'hello')).toString());
    assert.equal(answer.errors[0].code, 'invalid proxy');
    assert.equal(answer.errors[0].message, `Unable to connect to "tcp://127.0.0.1:${downPort}"`);
    assert.equal((await tcpExchange(port, 'alive?')).toString(), 'yes');
  });

  it("stores mountebank's old {host, port} form as the tcp:// URL", async () => {
    const { body } = await create({ stubs: [{ responses: [{ proxy: { to: { host: '127.0.0.1', port: 3535 } } }] }] });
    assert.equal(body.stubs[0].responses[0].proxy.to, 'tcp://127.0.0.1:3535');
  });

  it('accepts a target that is not tcp:// and answers each request with the invalid proxy error, as mountebank', async () => {
    const { port } = await create({
      stubs: [
        { predicates: [{ equals: { data: 'alive?' } }], responses: [{ is: { data: 'yes' } }] },
        { responses: [{ proxy: { to: 'http://127.0.0.1:80' } }] },
      ],
    });
    // The bytes mountebank 2.9.1 writes on the socket.
    const expected = '{"errors":[{"code":"invalid proxy","message":"Unable to proxy to any protocol other than tcp","source":"http://127.0.0.1:80"}]}';
    assert.equal((await tcpExchange(port, 'hello', expected.length)).toString(), expected);
    assert.equal((await tcpExchange(port, 'hello', expected.length)).toString(), expected);
    assert.equal((await tcpExchange(port, 'alive?')).toString(), 'yes');
  });
});

describe('injection is gated by --allowInjection', () => {
  it('refuses an endOfRequestResolver with 400 invalid injection', async () => {
    const error = await refused({ endOfRequestResolver: { inject: 'function (data) { return true; }' } });
    assert.equal(error.code, 'invalid injection');
    assert.equal(error.message, 'JavaScript injection is not allowed unless mb is run with the --allowInjection flag');
  });

  it('refuses an inject response with 400 invalid injection', async () => {
    const error = await refused({ stubs: [{ responses: [{ inject: 'function () { return { data: "x" }; }' }] }] });
    assert.equal(error.code, 'invalid injection');
  });
});
