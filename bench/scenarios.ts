// What the benchmark drives: each scenario is an imposter's stubs and the request wrk sends.
// Every scenario's matching stub answers with the same bytes (`hello` unless the scenario says
// otherwise), so servers are compared on the work of choosing the answer, not on what they send.

import type { ServerKind } from './servers.js';

export interface Scenario {
  name: string;
  /** The stubs, or a function of the local origin's URL for proxy scenarios. */
  stubs: unknown[] | ((origin: string) => unknown[]);
  request: { method: string; path: string; headers?: Record<string, string>; body?: string };
  /** What a server must answer before it is measured; default: exactly `responseBody`. */
  expect?: (text: string, kind: ServerKind) => boolean;
  /** Servers that cannot give this scenario's answer. */
  skip?: ServerKind[];
  /** Imposter fields besides protocol, port and stubs (defaultResponse, recordRequests...). */
  imposter?: Record<string, unknown>;
  /** The answer's body when it is not `hello`; the bare server is told to send the same. */
  responseBody?: string;
  /** Sample the server's RSS during the run and print how it grew (recordRequests). */
  sampleRss?: boolean;
  /** Not driven by wrk: the admin API churn (creating and deleting imposters). */
  api?: { imposters: number; stubsEach: number };
  /** False when the in-process microbenchmark (handleMicro.ts) cannot run it. */
  micro?: boolean;
}

/** Keep-alive, so the benchmark measures request handling rather than TCP handshakes. */
const answerWith = (body: string) => ({ is: { statusCode: 200, headers: { Connection: 'keep-alive', 'Content-Type': 'text/plain' }, body } });
const answer = answerWith('hello');
const hundred = <T>(make: (n: number) => T): T[] => Array.from({ length: 100 }, (_, i) => make(i + 1));
const pathStubs = () => hundred((n) => ({ predicates: [{ equals: { method: 'GET', path: `/items/${n}` } }], responses: [answer] }));

const order = {
  order: {
    id: 'A-17',
    lines: [
      { sku: 'x1', qty: 2 },
      { sku: 'y2', qty: 1 },
    ],
  },
  customer: { tier: 'gold' },
};
const jsonBody = JSON.stringify(order);
const xmlBody = '<order xmlns="urn:shop"><id>A-17</id><customer tier="gold"/><line sku="x1" qty="2"/><line sku="y2" qty="1"/></order>';

// About 500 KB of JSON with a few tags at both ends: templates cost what their tags compute, not
// what their static text weighs. mountebank has no response templates and sends the text as is;
// the static twin shows what the same bytes cost without rendering. The bare server sends the
// static bytes in both.
const bigItems = Array.from({ length: 520 }, (_, i) => JSON.stringify({ id: i, text: 'x'.repeat(940) })).join(',');
const bigTemplate = `{"path": "<%- request.path %>", "at": "<%- new Date().toISOString() %>", "items": [${bigItems}], "id": "<%= request.query.id %>"}`;
const bigStatic = bigTemplate.replace(/<%[-=] [^%]* %>/g, 'v');
const bigAnswer = (body: string) => ({ is: { statusCode: 200, headers: { Connection: 'keep-alive', 'Content-Type': 'application/json' }, body } });
const isBig = (text: string) => text.length > 490_000 && text.startsWith('{"path": "');
const bigRendered = (text: string, kind: ServerKind) =>
  isBig(text) && (kind !== 'standin' || (text.startsWith('{"path": "/big"') && text.endsWith('"id": "7"}')));

export const scenarios: Scenario[] = [
  { name: 'simple stub', stubs: [{ responses: [answer] }], request: { method: 'GET', path: '/hello' } },
  { name: '100 path stubs, 1st', stubs: pathStubs(), request: { method: 'GET', path: '/items/1' } },
  { name: '100 path stubs, 50th', stubs: pathStubs(), request: { method: 'GET', path: '/items/50' } },
  { name: '100 path stubs, 100th', stubs: pathStubs(), request: { method: 'GET', path: '/items/100' } },
  {
    // Nothing matches: the imposter's defaultResponse answers.
    name: '100 path stubs, no match',
    stubs: pathStubs(),
    imposter: { defaultResponse: answer.is },
    request: { method: 'GET', path: '/items/none' },
  },
  {
    name: 'query routing, 100th',
    stubs: hundred((n) => ({ predicates: [{ equals: { query: { id: String(n) } } }], responses: [answer] })),
    request: { method: 'GET', path: '/items?id=100&view=full' },
  },
  {
    name: 'header routing, 100th',
    stubs: hundred((n) => ({ predicates: [{ equals: { headers: { 'X-Route': `r${n}` } } }], responses: [answer] })),
    request: { method: 'GET', path: '/routed', headers: { 'X-Route': 'r100' } },
  },
  {
    name: 'complex and/or/not',
    stubs: [
      {
        predicates: [
          {
            and: [
              { or: [{ equals: { method: 'POST' } }, { equals: { method: 'PUT' } }] },
              { not: { contains: { path: 'admin' } } },
              { startsWith: { path: '/api/' } },
              { or: [{ equals: { headers: { 'X-Tenant': 'acme' } } }, { exists: { query: { debug: true } } }] },
            ],
          },
        ],
        responses: [answer],
      },
    ],
    request: { method: 'POST', path: '/api/orders?debug=1', headers: { 'X-Tenant': 'other' }, body: 'x' },
  },
  {
    name: 'jsonpath on a JSON body',
    stubs: [{ predicates: [{ equals: { body: 'gold' }, jsonpath: { selector: '$.customer.tier' } }], responses: [answer] }],
    request: { method: 'POST', path: '/orders', headers: { 'Content-Type': 'application/json' }, body: jsonBody },
  },
  {
    name: 'xpath on an XML body',
    stubs: [{ predicates: [{ equals: { body: 'A-17' }, xpath: { selector: '//s:id', ns: { s: 'urn:shop' } } }], responses: [answer] }],
    request: { method: 'POST', path: '/orders', headers: { 'Content-Type': 'application/xml' }, body: xmlBody },
  },
  {
    // The copy behavior builds `hello` from the path per request (a copy of `is`, a regex, token replacement).
    name: 'copy behavior',
    stubs: [
      {
        responses: [
          {
            is: { ...answer.is, body: '${word}' },
            behaviors: [{ copy: { from: 'path', into: '${word}', using: { method: 'regex', selector: '[a-z]+$' } } }],
          },
        ],
      },
    ],
    request: { method: 'GET', path: '/copy/hello' },
  },
  {
    name: 'matches, 100th regex',
    stubs: hundred((n) => ({ predicates: [{ matches: { path: `^/orders/\\d+/lines/${n}$` } }], responses: [answer] })),
    request: { method: 'GET', path: '/orders/17/lines/100' },
  },
  {
    name: 'JSON body deepEquals',
    stubs: [{ predicates: [{ deepEquals: { body: order } }], responses: [answer] }],
    request: { method: 'POST', path: '/orders', headers: { 'Content-Type': 'application/json' }, body: jsonBody },
  },
  {
    // The origin is the bare server, which answers the same bytes.
    name: 'proxyTransparent',
    stubs: (origin) => [{ responses: [{ proxy: { to: origin, mode: 'proxyTransparent' } }] }],
    request: { method: 'GET', path: '/hello' },
  },
  {
    name: '500 KB body, static',
    stubs: [{ responses: [bigAnswer(bigStatic)] }],
    request: { method: 'GET', path: '/big?id=7' },
    responseBody: bigStatic,
  },
  {
    name: '500 KB body, templated',
    stubs: [{ responses: [bigAnswer(bigTemplate)] }],
    request: { method: 'GET', path: '/big?id=7' },
    responseBody: bigStatic,
    expect: bigRendered,
  },
  {
    // A Rift script with flow state, per request: the seed's should_inject contract against Rift's
    // ctx API, both counting per flow in the in-memory store and then serving the stub's `is`.
    // mountebank ignores `_rift`, so it is not measured here.
    name: 'rift should_inject + state',
    stubs: [
      {
        responses: [
          {
            ...answer,
            _rift: { script: { engine: 'rhai', code: 'fn should_inject(request, flow_store) { flow_store.increment("bench", "n"); #{ inject: false } }' } },
          },
        ],
      },
    ],
    request: { method: 'GET', path: '/hello' },
    skip: ['mountebank'],
  },
  {
    name: 'rift respond(ctx) + state.incr_by',
    stubs: [{ responses: [{ ...answer, _rift: { script: { engine: 'rhai', code: 'fn respond(ctx) { ctx.state.incr_by("n", 1); pass() }' } } }] }],
    request: { method: 'GET', path: '/hello' },
    skip: ['mountebank'],
  },
  {
    // standin keeps the newest --journalCap (10,000) requests, so its RSS must level off.
    name: 'recordRequests',
    stubs: [{ responses: [answer] }],
    imposter: { recordRequests: true },
    request: { method: 'GET', path: '/recorded?run=1', headers: { 'X-Trace': 'abc-123' } },
    sampleRss: true,
  },
  {
    name: 'create+delete 200 imposters',
    stubs: [],
    api: { imposters: 200, stubsEach: 10 },
    request: { method: 'POST', path: '/imposters' },
    micro: false,
  },
];
