// tcp with --allowInjection, over real sockets: endOfRequestResolver joining packets into one
// request (text, and a length-prefixed binary protocol, also for a proxied origin's answer),
// inject responses and predicates on `data`, a failing script, and behaviors on a tcp proxy.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../support/cliHarness.js';
import { freePort, get, post } from '../support/http.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';
import { TcpClient, tcpExchange } from '../support/tcp.js';

let mb: StandinProcess;
before(async () => {
  mb = await startStandin(['--allowInjection']);
});
after(async () => {
  await mb.stop();
});

async function create(definition: Record<string, unknown>): Promise<number> {
  const port = await freePort();
  const res = await post(`${mb.url}/imposters`, { protocol: 'tcp', port, ...definition });
  assert.equal(res.status, 201, res.body);
  return port;
}

const imposterJson = async (port: number) => (await get(`${mb.url}/imposters/${port}`)).json();

/** A message of a made-up protocol: 4-byte little-endian length, then that many bytes. */
function framed(length: number, fill = 7): Buffer {
  const message = Buffer.alloc(length + 4, fill);
  message.writeUInt32LE(length, 0);
  return message;
}
const framedResolver = 'function (requestData) { return requestData.length >= 4 && requestData.length >= requestData.readUInt32LE(0) + 4; }';

describe('endOfRequestResolver in the imposter JSON', () => {
  it('is printed in the list of imposters too, after numberOfRequests, as mountebank prints it', async () => {
    const endOfRequestResolver = { inject: 'function (data) { return true; }' };
    const port = await create({ endOfRequestResolver });
    const list = (await get(`${mb.url}/imposters`)).json().imposters as Record<string, unknown>[];
    const entry = list.find((i) => i.port === port)!;
    assert.deepEqual(Object.keys(entry), ['protocol', 'port', 'numberOfRequests', 'endOfRequestResolver', '_links']);
    assert.deepEqual(entry.endOfRequestResolver, endOfRequestResolver);
  });
});

describe('endOfRequestResolver', () => {
  it('text mode: packets are joined until the resolver says the request is whole', async () => {
    const port = await create({
      recordRequests: true,
      endOfRequestResolver: { inject: "function (requestData, logger) { return requestData.endsWith('\\n'); }" },
      stubs: [{ predicates: [{ equals: { data: 'hello world\n' } }], responses: [{ is: { data: 'whole' } }] }],
    });
    const client = await TcpClient.connect(port);
    try {
      client.write('hello ');
      await new Promise((r) => setTimeout(r, 100)); // a separate packet
      client.write('world\n');
      assert.equal((await client.read(5)).toString(), 'whole');
    } finally {
      client.close();
    }
    const json = await imposterJson(port);
    assert.deepEqual(
      json.requests.map((r: { data: string }) => r.data),
      ['hello world\n'],
    );
    assert.deepEqual(json.endOfRequestResolver, { inject: "function (requestData, logger) { return requestData.endsWith('\\n'); }" });
    assert.deepEqual(
      Object.keys(json).filter((k) => ['mode', 'endOfRequestResolver'].includes(k)),
      ['mode', 'endOfRequestResolver'],
    );
  });

  it('binary mode: a 100 kB length-prefixed message (many packets) is one request', async () => {
    const port = await create({
      mode: 'binary',
      recordRequests: true,
      endOfRequestResolver: { inject: framedResolver },
      stubs: [{ responses: [{ is: { data: Buffer.from('got it').toString('base64') } }] }],
    });
    assert.equal((await tcpExchange(port, framed(100_000), 6)).toString(), 'got it');
    const json = await imposterJson(port);
    assert.equal(json.numberOfRequests, 1);
    assert.equal(Buffer.from(json.requests[0].data, 'base64').length, 100_004);
  });

  it("a tcp proxy reads the origin's answer up to the resolver too", async () => {
    const answer = framed(100_000, 3);
    const sockets = new Set<net.Socket>();
    const origin = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('data', () => socket.write(answer));
    });
    await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
    try {
      const to = `tcp://127.0.0.1:${(origin.address() as net.AddressInfo).port}`;
      const port = await create({
        mode: 'binary',
        endOfRequestResolver: { inject: framedResolver },
        stubs: [{ responses: [{ proxy: { to, mode: 'proxyTransparent' } }] }],
      });
      const received = await tcpExchange(port, framed(4), answer.length);
      assert.equal(received.length, answer.length);
      assert.ok(received.equals(answer));
    } finally {
      origin.close();
      for (const s of sockets) s.destroy();
    }
  });

  it('accepts a resolver that does not compile, as mountebank: a warning, and no request ever ends', async () => {
    const port = await create({ endOfRequestResolver: { inject: 'function ( {' }, stubs: [{ responses: [{ is: { data: 'answer' } }] }] });
    await waitFor(() => /warn: \[tcp:\d+\] the endOfRequestResolver function does not compile: /.test(mb.output()), 5_000, 'the warning');
    const client = await TcpClient.connect(port);
    try {
      client.write('hello');
      await assert.rejects(client.read(1, 500), /^Error: timeout: 0 of 1 bytes/);
    } finally {
      client.socket.destroy();
    }
    await waitFor(() => /error: \[tcp:\d+\] endOfRequestResolver injection X=> SyntaxError: /.test(mb.output()), 5_000, 'the per-packet error');
  });
});

describe('inject on tcp', () => {
  it('answers with what an inject response returns, in both signatures, and matches inject predicates', async () => {
    const port = await create({
      stubs: [
        {
          predicates: [{ inject: 'function (config) { return config.request.data.startsWith("old:"); }' }],
          responses: [{ inject: 'function (request) { return { data: request.data.toUpperCase() }; }' }],
        },
        {
          responses: [
            {
              inject:
                'function (config) { config.state.n = (config.state.n || 0) + 1; return { data: "echo " + config.request.data + " #" + config.state.n }; }',
            },
          ],
        },
      ],
    });
    assert.equal((await tcpExchange(port, 'ping')).toString(), 'echo ping #1');
    assert.equal((await tcpExchange(port, 'pong')).toString(), 'echo pong #2');
    assert.equal((await tcpExchange(port, 'old:style')).toString(), 'OLD:STYLE');
  });

  it('writes the error envelope when the script throws, and keeps serving', async () => {
    const port = await create({
      stubs: [
        { predicates: [{ equals: { data: 'fine' } }], responses: [{ is: { data: 'ok' } }] },
        { responses: [{ inject: 'function () { throw new Error("no luck"); }' }] },
      ],
    });
    const error = JSON.parse((await tcpExchange(port, 'boom')).toString()).errors[0];
    assert.equal(error.code, 'invalid injection');
    assert.match(error.data, /no luck/);
    assert.equal((await tcpExchange(port, 'fine')).toString(), 'ok');
  });

  it('runs a decorate behavior once on a proxied answer: the reply and the saved response both have it', async () => {
    const origin = net.createServer((socket) => socket.on('data', (d) => socket.write(`origin:${d.toString()}`)));
    await new Promise<void>((r) => origin.listen(0, '127.0.0.1', r));
    try {
      const to = `tcp://127.0.0.1:${(origin.address() as net.AddressInfo).port}`;
      const port = await create({
        stubs: [{ responses: [{ proxy: { to }, behaviors: [{ decorate: 'function (config) { config.response.data += "!"; }' }] }] }],
      });
      assert.equal((await tcpExchange(port, 'x')).toString(), 'origin:x!');
      const saved = (await imposterJson(port)).stubs[0].responses[0];
      assert.equal(saved.is.data, 'origin:x!');
      assert.equal((await tcpExchange(port, 'y')).toString(), 'origin:x!', 'replayed, not decorated again');
    } finally {
      origin.close();
    }
  });
});
