// Seeded random imposter definitions and request bodies, as a careless or hostile client might
// send them: deep nesting, huge numbers, wrong types, compressed bodies, prototype keys. The
// process must live through all of them and the admin API must never answer 5xx. A failure
// prints the seed and the input; FUZZ_SEED=N reruns one sequence.
//
// standin runs in this process (the library's start(), over real sockets as ever): a request then
// costs no switch between two processes, which on a loaded machine was most of its time. The
// definitions go through LANES lanes at once, each on a port of its own; every input is drawn
// before any is sent, so the sequence does not depend on the order the answers come back in.
import assert from 'node:assert/strict';
import http from 'node:http';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { start, type Standin } from '../../src/library/index.js';
import { freePort, post } from '../support/http.js';
import { generator, pick, type Random } from '../support/random.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const DEFINITIONS = 1000;
const BODIES = 1000;
const LANES = 4;

let server: Standin;
/** The last warnings and errors standin logged, for a failure's message. */
const logged: string[] = [];
const output = (): string => logged.slice(-30).join('\n');
const agent = new http.Agent({ keepAlive: true, maxSockets: LANES * 2 });

before(async () => {
  server = await start({
    logLevel: 'warn',
    log: (entry) => {
      logged.push(`${entry.level}: ${entry.message.slice(0, 300)}`);
      if (logged.length > 100) logged.splice(0, 50);
    },
  });
});
after(async () => {
  agent.destroy();
  await server?.close();
});

interface Answer {
  status: number;
  body: string;
}

/** A request whose body is sent exactly as given (bytes, not re-encoded); a dropped connection is status 0. */
/**
 * `fresh`: on a new connection. The admin API is asked only every 100 bodies, so a kept-alive
 * socket to it may sit idle past the server's keep-alive timeout and be closed just as it is reused.
 */
function send(port: number, method: string, path: string, body: Buffer | string, headers: Record<string, string> = {}, fresh = false): Promise<Answer> {
  return new Promise((resolve) => {
    const payload = typeof body === 'string' ? Buffer.from(body) : body;
    const req = http.request(
      { host: '127.0.0.1', port, method, path, agent: fresh ? false : agent, headers: { ...headers, 'Content-Length': payload.length } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', () => resolve({ status: 0, body: '' }));
      },
    );
    req.setTimeout(10_000, () => req.destroy());
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end(payload);
  });
}

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'];
const NUMBERS = ['0', '-0', '1e308', '-1e308', '1e400', '-1e400', '9007199254740993', '0.1', '-1', '65536', '99999999999999999999', '1.5'];
const STRINGS = ['', 'x', 'GET', 'http', '/', '/a/b', '.*', '^(a+)+$', '[', '$.a', '//a', '<%= 1 %>', '\u0000', '\ud800', 'é', '%', 'null'];
const WORDS = [
  'is',
  'proxy',
  'inject',
  'fault',
  '_imposter',
  '_rift',
  'predicates',
  'responses',
  'stubs',
  'behaviors',
  'equals',
  'deepEquals',
  'contains',
  'startsWith',
  'endsWith',
  'matches',
  'exists',
  'not',
  'and',
  'or',
  'jsonpath',
  'xpath',
  'caseSensitive',
  'except',
  'body',
  'headers',
  'query',
  'path',
  'method',
  'statusCode',
  'repeat',
  'wait',
  'copy',
  'lookup',
  'decorate',
  'shellTransform',
  'mode',
  'to',
  'selector',
  'script',
  'engine',
  'code',
  'flowState',
  'defaultResponse',
  'recordRequests',
  'protocol',
  'port',
  'name',
  'key',
  'cert',
  'mutualAuth',
  'endOfRequestResolver',
  '_mode',
  'allowCORS',
  'predicateGenerators',
  'matches',
  'using',
  'from',
  'into',
];

/** Random JSON text: built as text so prototype keys, huge numbers and duplicate keys go out as written. */
function value(random: Random, depth: number): string {
  const roll = random();
  if (depth <= 0 || roll < 0.35) return scalar(random);
  if (roll < 0.55) {
    const n = Math.floor(random() * 4);
    return `[${Array.from({ length: n }, () => value(random, depth - 1)).join(',')}]`;
  }
  if (roll < 0.6) return nested(random);
  const n = Math.floor(random() * 5);
  const keys = Array.from({ length: n }, () => (random() < 0.2 ? pick(random, PROTO_KEYS) : pick(random, WORDS)));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${value(random, depth - 1)}`).join(',')}}`;
}

function scalar(random: Random): string {
  const roll = random();
  if (roll < 0.3) return pick(random, NUMBERS);
  if (roll < 0.7) return JSON.stringify(pick(random, STRINGS));
  if (roll < 0.8) return pick(random, ['true', 'false', 'null']);
  return JSON.stringify(pick(random, WORDS));
}

/** Deep nesting around the limit (512), or far past it. */
function nested(random: Random): string {
  const depth = pick(random, [50, 511, 600, 3000, 20_000]);
  const open = random() < 0.5 ? '[' : '{"a":';
  const close = open === '[' ? ']' : '}';
  return open.repeat(depth) + '1' + close.repeat(depth);
}

/** An imposter that is often nearly right, so the fuzz reaches past the first check. */
function definition(random: Random, port: number): string {
  if (random() < 0.05) return value(random, 4);
  if (random() < 0.03) return nested(random);
  const fields = [`"protocol":${random() < 0.9 ? '"http"' : value(random, 1)}`, `"port":${random() < 0.95 ? port : value(random, 1)}`];
  const stubs = Array.from({ length: Math.floor(random() * 3) }, () => stub(random));
  fields.push(`"stubs":${random() < 0.9 ? `[${stubs.join(',')}]` : value(random, 2)}`);
  if (random() < 0.2) fields.push(`"defaultResponse":${random() < 0.5 ? '{"statusCode":404}' : value(random, 2)}`);
  if (random() < 0.1) fields.push(`"recordRequests":${value(random, 1)}`);
  if (random() < 0.1) fields.push(`${JSON.stringify(pick(random, PROTO_KEYS))}:${value(random, 3)}`);
  return `{${fields.join(',')}}`;
}

function stub(random: Random): string {
  const predicates = Array.from({ length: Math.floor(random() * 3) }, () => predicate(random, 3));
  const responses = Array.from({ length: 1 + Math.floor(random() * 2) }, () => response(random));
  return `{"predicates":[${predicates.join(',')}],"responses":[${responses.join(',')}]}`;
}

function predicate(random: Random, depth: number): string {
  const roll = random();
  if (depth > 0 && roll < 0.15) return `{"${pick(random, ['and', 'or'])}":[${predicate(random, depth - 1)},${predicate(random, depth - 1)}]}`;
  if (depth > 0 && roll < 0.2) return `{"not":${predicate(random, depth - 1)}}`;
  if (roll < 0.25) return value(random, 3);
  const operator = pick(random, ['equals', 'deepEquals', 'contains', 'startsWith', 'endsWith', 'matches', 'exists']);
  const field = pick(random, ['body', 'path', 'method', 'query', 'headers']);
  const expected = field === 'body' && random() < 0.5 ? value(random, 3) : JSON.stringify(pick(random, STRINGS));
  const extra =
    random() < 0.2
      ? `,"jsonpath":{"selector":${JSON.stringify(pick(random, ['$.a', '$..a', '$[0]', '$', '[', '$.__proto__']))}}`
      : random() < 0.1
        ? `,"xpath":{"selector":${JSON.stringify(pick(random, ['//a', '/a/@b', 'count(//a)', '(', '//*']))}}`
        : '';
  const flags = random() < 0.2 ? `,"caseSensitive":${value(random, 1)},"except":${JSON.stringify(pick(random, STRINGS))}` : '';
  return `{"${operator}":{"${field}":${expected}}${extra}${flags}}`;
}

function response(random: Random): string {
  const roll = random();
  if (roll < 0.5) {
    const body = random() < 0.7 ? JSON.stringify(pick(random, STRINGS)) : value(random, 3);
    const status = random() < 0.8 ? '200' : value(random, 1);
    const behaviors = random() < 0.2 ? `,"behaviors":${value(random, 3)}` : '';
    const repeat = random() < 0.1 ? `,"repeat":${pick(random, NUMBERS)}` : '';
    return `{"is":{"statusCode":${status},"body":${body}${random() < 0.2 ? `,"headers":${value(random, 2)}` : ''}}${behaviors}${repeat}}`;
  }
  if (roll < 0.6)
    return `{"proxy":{"to":${random() < 0.5 ? '"http://127.0.0.1:1"' : value(random, 1)},"mode":${JSON.stringify(pick(random, ['proxyOnce', 'proxyAlways', 'proxyTransparent', 'x']))}}}`;
  if (roll < 0.7) return `{"fault":${JSON.stringify(pick(random, ['CONNECTION_RESET_BY_PEER', 'RANDOM_DATA_THEN_CLOSE', 'x']))}}`;
  if (roll < 0.75) return `{"inject":"function () { return {}; }"}`;
  if (roll < 0.8) return `{"_imposter":${value(random, 2)}}`;
  if (roll < 0.9) return `{"is":{},"_rift":${value(random, 3)}}`;
  return value(random, 3);
}

/** A request body: random JSON or XML or bytes, sometimes compressed, sometimes lying about it. */
function requestBody(random: Random): { body: Buffer; headers: Record<string, string> } {
  const roll = random();
  let text: string;
  if (roll < 0.5) text = value(random, 6);
  else if (roll < 0.6) text = nested(random);
  else if (roll < 0.75) text = `<a b="1"><a>${pick(random, STRINGS)}</a>${random() < 0.3 ? '<!DOCTYPE x [<!ENTITY e "y">]>' : ''}</a>`;
  else if (roll < 0.85) text = Buffer.from(Array.from({ length: Math.floor(random() * 200) }, () => Math.floor(random() * 256))).toString('latin1');
  else text = `a=${pick(random, STRINGS)}&__proto__=1&constructor=2&a=3`;
  let body = Buffer.from(text, roll >= 0.75 && roll < 0.85 ? 'latin1' : 'utf8');
  const headers: Record<string, string> = {
    'Content-Type': pick(random, ['application/json', 'application/xml', 'text/plain', 'application/x-www-form-urlencoded']),
  };
  const encoding = pick(random, ['', '', '', 'gzip', 'deflate', 'deflate-raw', 'br', 'gzip-lie']);
  if (encoding === 'gzip') body = gzipSync(body);
  else if (encoding === 'deflate') body = deflateSync(body);
  else if (encoding === 'deflate-raw') body = deflateRawSync(body);
  else if (encoding === 'br') body = brotliCompressSync(body);
  if (encoding) headers['Content-Encoding'] = encoding === 'deflate-raw' ? 'deflate' : encoding === 'gzip-lie' ? 'gzip' : encoding;
  return { body, headers };
}

/** Runs `count` items through `lanes` workers at once, item i by worker i % lanes, in order within each. */
async function inLanes(count: number, lanes: number, run: (i: number, lane: number) => Promise<void>): Promise<void> {
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      for (let i = lane; i < count; i += lanes) await run(i, lane);
    }),
  );
}

describe('fuzz', () => {
  it(`${DEFINITIONS} random imposter definitions: no crash, no 5xx from the admin API (seed ${SEED})`, async () => {
    const random = generator(SEED);
    const ports = await Promise.all(Array.from({ length: LANES }, () => freePort()));
    const admin = server.port;
    // Each definition is written for its lane's port, with the request sent if it is created.
    const inputs = Array.from({ length: DEFINITIONS }, (_, i) => ({
      text: definition(random, ports[i % LANES]!),
      method: pick(random, ['GET', 'POST', 'PUT']),
      path: pick(random, ['/', '/a/b?x=1&__proto__=2', '/%']),
      ...requestBody(random),
    }));
    let created = 0;
    await inLanes(DEFINITIONS, LANES, async (i, lane) => {
      const port = ports[lane]!;
      const { text, method, path, body, headers } = inputs[i]!;
      const answer = await send(admin, 'POST', '/imposters', text, { 'Content-Type': 'application/json' });
      const where = `definition ${i} (seed ${SEED}): ${text.slice(0, 2000)}\n${output()}`;
      assert.ok(answer.status >= 200 && answer.status < 500, `POST /imposters answered ${answer.status} ${answer.body.slice(0, 500)}\n${where}`);
      if (answer.status !== 201) return;
      created++;
      const served = await send(port, method, path, body, headers);
      assert.ok(served.status !== 0 || /fault/.test(text), `the imposter dropped the connection\n${where}`);
      for (const adminMethod of ['GET', 'DELETE']) {
        const admin2 = await send(admin, adminMethod, `/imposters/${port}`, '');
        assert.ok(admin2.status < 500, `${adminMethod} /imposters/${port} answered ${admin2.status} ${admin2.body.slice(0, 500)}\n${where}`);
      }
    });
    assert.ok(created > DEFINITIONS / 10, `only ${created} of ${DEFINITIONS} definitions were valid: the fuzz barely reached the imposters`);
  });

  it(`${BODIES} random request bodies to an imposter with every kind of body predicate (seed ${SEED})`, async () => {
    const random = generator(SEED + 1);
    const port = await freePort();
    const stubs = [
      { predicates: [{ deepEquals: { body: { a: 1 } } }], responses: [{ is: { body: 'deepEquals' } }] },
      { predicates: [{ equals: { body: { a: [1, { b: 'x' }] } } }], responses: [{ is: { body: 'equals object' } }] },
      { predicates: [{ equals: { body: 'x' }, jsonpath: { selector: '$..a' } }], responses: [{ is: { body: 'jsonpath' } }] },
      { predicates: [{ equals: { body: 'x' }, xpath: { selector: '//a' } }], responses: [{ is: { body: 'xpath' } }] },
      { predicates: [{ matches: { body: '^[a-z]+$' } }], responses: [{ is: { body: 'matches' } }] },
      { predicates: [{ exists: { body: { a: true } } }], responses: [{ is: { body: 'exists' } }] },
      { predicates: [{ or: [{ contains: { body: '__proto__' } }, { equals: { query: { __proto__: '2' } } }] }], responses: [{ is: { body: 'or' } }] },
      { predicates: [{ equals: { form: { a: '3' } } }], responses: [{ is: { body: 'form' } }] },
      {
        responses: [
          { is: { body: '<%- request.body %>' }, behaviors: [{ copy: { from: 'body', into: '${x}', using: { method: 'jsonpath', selector: '$.a' } } }] },
        ],
      },
    ];
    const created = await post(`${server.url}/imposters`, { protocol: 'http', port, recordRequests: true, stubs });
    assert.equal(created.status, 201, created.body);
    const inputs = Array.from({ length: BODIES }, () => ({ ...requestBody(random), path: pick(random, ['/', '/?a=1&__proto__=2&constructor=x']) }));
    await inLanes(BODIES, LANES, async (i) => {
      const { body, headers, path } = inputs[i]!;
      const served = await send(port, 'POST', path, body, headers);
      // A request may fail (500 with an error body: a body nested too deep for a copy behavior), but never the connection.
      assert.ok(
        served.status >= 200 && (served.status < 500 || /"errors"/.test(served.body)),
        `the imposter answered ${served.status} ${served.body.slice(0, 300)} to body ${i} (seed ${SEED + 1}): ${body.toString('base64').slice(0, 500)} ${JSON.stringify(headers)}\n${output()}`,
      );
      if (i % 100 === 99) {
        const listed = await send(server.port, 'GET', `/imposters/${port}`, '', {}, true);
        assert.equal(listed.status, 200, listed.body.slice(0, 500));
        // The recorded requests were listed: drop them, so that the heap (which every garbage
        // collection walks) holds at most a hundred of these bodies, nested thousands deep.
        assert.equal((await send(server.port, 'DELETE', `/imposters/${port}/savedRequests`, '', {}, true)).status, 200);
      }
    });
  });
});
