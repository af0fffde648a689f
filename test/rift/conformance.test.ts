// Rift's SDK conformance corpus (test/rift/conformance/, vendored from Rift with its license),
// replayed against a real standin the way Rift's reference replayer does: each fixture imposter
// is created (one step), then for every stub carrying `_verify` a fresh copy of the whole imposter
// is created without a port (clean cycle and scenario state) and its sequence is driven, one step
// per request, asserting `status`, `bodyEquals` and `bodyContains`. 15 fixtures, 78 steps.
//
// The corpus's fixtures point proxies and `defaultForward` at fixture 01 on port 4501; here every
// imposter gets a free port, so `http://localhost:4501` is rewritten to where fixture 01 runs.
// Steps where standin answers as mountebank does and Rift differently are listed in
// MOUNTEBANK_FIRST (docs/rift.md names each): the test asserts that they do fail, for that reason.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { del, freePort, post, request } from '../support/http.js';
import { repoRoot, startStandin, type StandinProcess } from '../support/standinProcess.js';

type Json = Record<string, any>;

interface Step {
  request: { method?: string; path: string; headers?: Record<string, string>; body?: string };
  expect: { status?: number; bodyContains?: string; bodyEquals?: string };
}

const corpusDir = join(repoRoot, 'test', 'rift', 'conformance', 'corpus');
const manifest = JSON.parse(readFileSync(join(repoRoot, 'test', 'rift', 'conformance', 'manifest.json'), 'utf8')) as {
  fixtures: { file: string; name: string }[];
};
const UPSTREAM = 'http://localhost:4501';

interface Answer {
  status: number;
  body: string;
}
type Exception = { why: string; holds(answer: Answer, expect: Step['expect']): boolean };

/** mountebank prints a JSON body indented, Rift compactly: the same JSON, printed mountebank's way. */
const indentedJson: Exception = {
  why: 'a JSON body is printed indented',
  holds: ({ status, body }, expect) => status === expect.status && compact(body).includes(expect.bodyContains!),
};
/** mountebank's copy and lookup with a regex take the whole match, Rift the capture group. */
const wholeMatch = (text: string): Exception => ({
  why: 'a regex selector takes the whole match',
  holds: ({ status, body }, expect) => status === expect.status && body.includes(text),
});
/** mountebank hands decorate the response as it is: a JSON body as an object, no headers unless the response has some. */
const decorateSeesMountebanksResponse: Exception = {
  why: "decorate sees mountebank's response object, and fails as mountebank does",
  holds: ({ status, body }) => status === 500 && body.includes('invalid decorator injection'),
};

/**
 * Steps that fail because standin keeps mountebank's behaviour where Rift's differs (docs/rift.md
 * names each): the test checks that standin gives mountebank's answer instead.
 */
const MOUNTEBANK_FIRST: Record<string, Exception> = {
  '02-predicates.json stub #0 _verify[0] GET /eq': indentedJson,
  '02-predicates.json stub #3 _verify[0] POST /whatever': indentedJson,
  '02-predicates.json stub #6 _verify[0] GET /id/123': indentedJson,
  '02-predicates.json stub #8 _verify[0] GET /red': indentedJson,
  '02-predicates.json stub #8 _verify[1] GET /blue': indentedJson,
  '02-predicates.json stub #9 _verify[0] GET /open': indentedJson,
  '02-predicates.json stub #11 _verify[0] POST /xmlthing': indentedJson,
  '03-behaviors.json stub #2 _verify[2] GET /retry-me': indentedJson,
  '03-behaviors.json stub #3 _verify[0] GET /decorated': decorateSeesMountebanksResponse,
  '03-behaviors.json stub #4 _verify[0] GET /orders/42': wholeMatch('"orderId": "/orders/42"'),
  '03-behaviors.json stub #6 _verify[0] GET /catalog/123': wholeMatch('${row}[name]'),
  '05-scripting-engines.json stub #3 _verify[0] GET /health': indentedJson,
  '07-proxy-record.json stub #0 _verify[0] GET /api/products': indentedJson,
  '07-proxy-record.json stub #0 _verify[1] GET /api/products': indentedJson,
  '10-correlated-isolation.json stub #0 _verify[0] GET /data': indentedJson,
  '10-correlated-isolation.json stub #1 _verify[0] GET /data': indentedJson,
  '13-js-config-decorate.json stub #0 _verify[0] GET /js-arrow': decorateSeesMountebanksResponse,
  '14-verify-annotations.json stub #1 _verify[0] GET /orders/77': wholeMatch('id=/orders/77'),
  '16-behaviors-advanced.json stub #0 _verify[0] GET /from-header': indentedJson,
  '16-behaviors-advanced.json stub #2 _verify[0] GET /catalog/456': wholeMatch('${row}[name]'),
};

/** Steps whose features standin does not have yet: reported, not asserted. */
const PENDING: [RegExp, string][] = [];

function compact(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body));
  } catch {
    return body;
  }
}

function stepName(file: string, stub: number, i: number, step: Step): string {
  return `${file} stub #${stub} _verify[${i}] ${(step.request.method ?? 'GET').toUpperCase()} ${step.request.path}`;
}

/** The fixture as JSON with fixture 01's address put where it runs in this test. */
function loadFixture(file: string, upstream: string): Json {
  const text = readFileSync(join(corpusDir, '..', file), 'utf8');
  return JSON.parse(text.split(UPSTREAM).join(upstream)) as Json;
}

let standin: StandinProcess;
let upstream = UPSTREAM;
const results: { name: string; passed: boolean; why?: string | undefined }[] = [];

async function drive(port: number, step: Step) {
  const headers: Record<string, string> = { ...(step.request.headers ?? {}) };
  return request((step.request.method ?? 'GET').toUpperCase(), `http://127.0.0.1:${port}${step.request.path}`, {
    headers,
    body: step.request.body,
  });
}

/** Why a response fails an expectation, or undefined when it holds (Rift's replayer's three checks). */
function mismatch(expect: Step['expect'], status: number, body: string): string | undefined {
  if (expect.status !== undefined && status !== expect.status)
    return `status ${status} != expected ${expect.status} (body ${JSON.stringify(body.slice(0, 300))})`;
  if (expect.bodyEquals !== undefined && body !== expect.bodyEquals) return `body ${JSON.stringify(body)} != expected ${JSON.stringify(expect.bodyEquals)}`;
  if (expect.bodyContains !== undefined && !body.includes(expect.bodyContains)) {
    return `body ${JSON.stringify(body.slice(0, 300))} does not contain ${JSON.stringify(expect.bodyContains)}`;
  }
  return undefined;
}

before(async () => {
  standin = await startStandin(['--allowInjection'], { cwd: corpusDir });
});

after(async () => {
  const passed = results.filter((r) => r.passed).length;
  console.log(`# rift conformance corpus: ${passed} of ${results.length} steps pass`);
  for (const r of results) if (!r.passed) console.log(`#   not passing: ${r.name}: ${r.why ?? ''}`);
  await standin?.stop();
});

for (const fixture of manifest.fixtures) {
  const file = fixture.file.split('/').pop()!;
  const raw = JSON.parse(readFileSync(join(corpusDir, '..', fixture.file), 'utf8')) as Json;

  describe(fixture.name, () => {
    const todo = PENDING.find(([pattern]) => pattern.test(`${file} create`))?.[1];
    it(`${file} create`, { todo }, async () => {
      const config = loadFixture(fixture.file, upstream);
      const port = await freePort();
      const res = await post(`${standin.url}/imposters`, { ...config, port });
      results.push({ name: `${file} create`, passed: res.status === 201, why: res.body.slice(0, 300) });
      assert.equal(res.status, 201, res.body);
      if (file.startsWith('01-')) upstream = `http://localhost:${port}`;
    });

    (raw.stubs as Json[]).forEach((stub, index) => {
      const sequence = (stub._verify?.sequence ?? []) as Step[];
      if (sequence.length === 0) return;
      describe(`stub #${index} _verify`, () => {
        let port = 0;
        before(async () => {
          const config = loadFixture(fixture.file, upstream);
          delete config.port;
          const res = await post(`${standin.url}/imposters`, config);
          if (res.status === 201) port = res.json().port;
        });
        after(async () => {
          if (port !== 0) await del(`${standin.url}/imposters/${port}`);
        });
        sequence.forEach((step, i) => {
          const name = stepName(file, index, i, step);
          const exception = MOUNTEBANK_FIRST[name];
          const todo = PENDING.find(([pattern]) => pattern.test(name))?.[1];
          it(exception ? `${name} (answers as mountebank: ${exception.why})` : name, { todo }, async () => {
            if (port === 0) results.push({ name, passed: false, why: 'the fresh copy of the imposter was refused' });
            assert.notEqual(port, 0, 'the fresh copy of the imposter was refused');
            const res = await drive(port, step);
            const why = mismatch(step.expect, res.status, res.body);
            results.push({ name, passed: why === undefined, why });
            if (exception) {
              assert.ok(why !== undefined, `${name} now passes: take it out of MOUNTEBANK_FIRST and docs/rift.md`);
              assert.ok(exception.holds(res, step.expect), `expected mountebank's answer (${exception.why}), got ${res.status} ${res.body}`);
            } else {
              assert.equal(why, undefined, why);
            }
          });
        });
      });
    });
  });
}
