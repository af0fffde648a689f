// The bytes of http and https answers as they leave the socket: static and templated bodies, with
// and without Content-Length, large ones, keep-alive and pipelined requests. Each answer is parsed
// strictly (chunk sizes, the terminating chunk last, nothing after it), so a change in how a node
// version frames what standin writes fails here rather than in a client.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort, post } from '../support/http.js';
import { exchange, parseResponses, RawConnection, type RawResponse } from '../support/rawHttp.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

const FILLER = 'é-0123456789'.repeat(20_000);
const TEMPLATE = 'path=<%- request.path %>;id=<%= request.query.id %>;end';
const LARGE = `<%- request.path %>|${FILLER}|<%= request.query.id %>|${FILLER}|end`;

const on = (path: string, is: Record<string, unknown>) => ({ predicates: [{ equals: { path } }], responses: [{ is }] });
const STUBS = [
  on('/static', { body: 'a static body' }),
  on('/static-length', { headers: { 'Content-Length': 0 }, body: 'a static body' }),
  on('/empty', {}),
  on('/template', { body: TEMPLATE }),
  on('/template-length', { headers: { 'Content-Length': 0 }, body: TEMPLATE }),
  // Tags that render nothing: empty parts must not end the body early.
  on('/template-empty-parts', { body: "<%- '' %>a<%- '' %><%- '' %>b<%- request.query.none || '' %>" }),
  on('/template-large', { body: LARGE }),
  on('/template-large-length', { headers: { 'Content-Length': 0 }, body: LARGE }),
  on('/template-header', { headers: { 'X-Path': '<%- request.path %>' }, body: 'a static body' }),
  { predicates: [{ startsWith: { path: '/keep/' } }], responses: [{ is: { headers: { Connection: 'keep-alive' }, body: TEMPLATE } }] },
  {
    predicates: [{ startsWith: { path: '/keep-length/' } }],
    responses: [{ is: { headers: { Connection: 'keep-alive', 'Content-Length': 0 }, body: TEMPLATE } }],
  },
  { predicates: [{ startsWith: { path: '/keep-static/' } }], responses: [{ is: { headers: { Connection: 'keep-alive' }, body: 'a static body' } }] },
  { predicates: [{ startsWith: { path: '/close/' } }], responses: [{ is: { body: TEMPLATE } }] },
];

const rendered = (path: string, id: string) => `path=${path};id=${id};end`;
const renderedLarge = (path: string, id: string) => `${path}|${FILLER}|${id}|${FILLER}|end`;

let server: StandinProcess;
const ports: Record<string, number> = {};
before(async () => {
  server = await startStandin(['--allowInjection']);
  for (const protocol of ['http', 'https']) {
    ports[protocol] = await freePort();
    // The first https imposter generates standin's certificate: seconds on a loaded machine.
    const res = await post(`${server.url}/imposters`, { protocol, port: ports[protocol], stubs: STUBS }, { timeoutMs: 60_000 });
    assert.equal(res.status, 201, res.body);
  }
});
after(() => server.stop());

const get = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}\r\n`;

async function one(protocol: string, path: string): Promise<RawResponse> {
  const responses = parseResponses(await exchange(protocol as 'http', ports[protocol]!, get(path)));
  assert.equal(responses.length, 1, 'one answer, nothing after it');
  assert.equal(responses[0]!.statusCode, 200);
  return responses[0]!;
}

const header = (response: RawResponse, name: string) =>
  response.headers
    .filter(([h]) => h.toLowerCase() === name.toLowerCase())
    .map(([, v]) => v)
    .join(', ') || undefined;

function assertChunked(response: RawResponse, body: string): void {
  assert.equal(response.framing, 'chunked');
  assert.equal(header(response, 'Content-Length'), undefined);
  assert.equal(response.body.toString('utf8'), body);
}

function assertLength(response: RawResponse, body: string): void {
  assert.equal(response.framing, 'content-length');
  assert.equal(header(response, 'Content-Length'), String(Buffer.byteLength(body)));
  assert.equal(response.body.toString('utf8'), body);
}

for (const protocol of ['http', 'https'] as const) {
  describe(`reply framing on ${protocol}`, () => {
    it('sends a static body without Content-Length as one chunk and the terminator', async () => {
      const response = await one(protocol, '/static');
      assertChunked(response, 'a static body');
      assert.deepEqual(response.chunkSizes, [13]);
      assert.equal(header(response, 'Connection'), 'close');
    });

    it('sends a static body with Content-Length unchunked', async () => {
      assertLength(await one(protocol, '/static-length'), 'a static body');
    });

    it('sends an empty body as the terminating chunk alone', async () => {
      const response = await one(protocol, '/empty');
      assertChunked(response, '');
      assert.deepEqual(response.chunkSizes, []);
    });

    it('sends a templated body without Content-Length in chunks, the terminator last', async () => {
      const response = await one(protocol, '/template?id=7');
      assertChunked(response, rendered('/template', '7'));
      assert.ok(response.chunkSizes.length >= 1);
    });

    it('sends a templated body with Content-Length unchunked, the length of the rendered body', async () => {
      assertLength(await one(protocol, '/template-length?id=%C3%A9'), rendered('/template-length', 'é'));
    });

    it('sends a template whose tags render nothing without an early end', async () => {
      const response = await one(protocol, '/template-empty-parts');
      assertChunked(response, 'ab');
      assert.ok(
        response.chunkSizes.every((size) => size > 0),
        'no empty chunk, which would read as the end',
      );
    });

    it('sends a large templated body intact, with and without Content-Length', async () => {
      assertChunked(await one(protocol, '/template-large?id=1'), renderedLarge('/template-large', '1'));
      assertLength(await one(protocol, '/template-large-length?id=2'), renderedLarge('/template-large-length', '2'));
    });

    it('sends a templated header with a static body framed as the static body', async () => {
      const response = await one(protocol, '/template-header');
      assertChunked(response, 'a static body');
      assert.equal(header(response, 'X-Path'), '/template-header');
    });

    it('frames each answer on a keep-alive connection, one request after another', async () => {
      const connection = await RawConnection.open(protocol, ports[protocol]!);
      try {
        assertChunked(await connection.request(get('/keep/1?id=a')), rendered('/keep/1', 'a'));
        assertLength(await connection.request(get('/keep-length/2?id=b')), rendered('/keep-length/2', 'b'));
        assertChunked(await connection.request(get('/keep-static/3')), 'a static body');
        const last = await connection.request(get('/close/4?id=c'));
        assertChunked(last, rendered('/close/4', 'c'));
        assert.equal(header(last, 'Connection'), 'close');
        assert.equal((await connection.leftover()).toString('latin1'), '', 'nothing after the last answer');
      } finally {
        connection.close();
      }
    });

    it('frames pipelined templated answers that wait for the socket behind one another', async () => {
      const paths = Array.from({ length: 6 }, (_, i) => `/keep/${i}?id=${i}`);
      const bytes = await exchange(protocol, ports[protocol]!, paths.map((p) => get(p)).join('') + get('/close/last?id=z'));
      const responses = parseResponses(bytes);
      assert.equal(responses.length, paths.length + 1);
      paths.forEach((path, i) => assertChunked(responses[i]!, rendered(path.split('?')[0]!, String(i))));
      assertChunked(responses.at(-1)!, rendered('/close/last', 'z'));
    });
  });
}
