// The stub index (src/matching/stubIndex.ts) must pick exactly the stub a plain linear scan picks.
// A seeded generator (reproducible: the failing seed, stubs and request are printed) makes
// thousands of stubs whose predicates lean on method and path in every form the index reads or
// must refuse (case options, except, selectors, deepEquals, and/or/not, inject, odd key case,
// non-string values) and thousands of requests, and compares the two. It also checks that every
// matching stub is a candidate, that inject predicates run as often as without the index, and
// that the generator really makes the index skip stubs and produces both outcomes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePredicates, MatchRequest, type RequestMatcher } from '../../src/matching/index.js';
import { StubIndex } from '../../src/matching/stubIndex.js';
import { generator, pick, type Random } from '../support/random.js';

const PATHS = ['/', '/items/1', '/Items/1', '/items/2', '/a', '/A', '/ab', '', '/items/1?x', '/é', '/É'];
const METHODS = ['GET', 'get', 'POST', 'Put', 'DELETE'];
const FIELD_NAMES = ['path', 'method', 'Path', 'PATH', 'Method', 'body', 'query'];

function fieldValue(random: Random, name: string): unknown {
  const roll = random();
  if (roll < 0.08) return pick(random, [1, null, true, ['/a', '/A'], { a: 'b' }]);
  const lower = name.toLowerCase();
  if (lower === 'path') return pick(random, PATHS);
  if (lower === 'method') return pick(random, METHODS);
  if (lower === 'query') return pick(random, [{}, { q: '1' }]);
  return pick(random, ['', 'x', '{"a":"b"}']);
}

let injected = 0;
const compileInject = (source: string) => {
  // A deterministic "function" with a side effect to count: true when the path has the letter.
  const letter = source;
  return (request: Record<string, unknown>) => {
    injected++;
    return typeof request.path === 'string' && request.path.includes(letter);
  };
};

function fieldPredicate(random: Random): Record<string, unknown> {
  const operator = pick(random, ['equals', 'equals', 'equals', 'deepEquals', 'deepEquals', 'contains', 'startsWith', 'matches', 'exists']);
  const fields: Record<string, unknown> = {};
  const count = 1 + Math.floor(random() * 2);
  for (let i = 0; i < count; i++) {
    const name = random() < 0.75 ? pick(random, ['path', 'method']) : pick(random, FIELD_NAMES);
    fields[name] = operator === 'exists' ? random() < 0.5 : operator === 'matches' ? pick(random, ['^/items', 'a', 'GET', '1$']) : fieldValue(random, name);
  }
  const predicate: Record<string, unknown> = { [operator]: fields };
  const roll = random();
  if (roll < 0.2) predicate.caseSensitive = true;
  else if (roll < 0.25) predicate.caseSensitive = false;
  if (random() < 0.1) predicate.keyCaseSensitive = pick(random, [true, false]);
  if (random() < 0.08) predicate.except = pick(random, ['/items', '\\d+', '^/', 'T']);
  if (random() < 0.02) predicate.jsonpath = { selector: '$.a' };
  if (random() < 0.01) predicate.xpath = { selector: '//a' };
  return predicate;
}

function predicate(random: Random, depth: number): Record<string, unknown> {
  const roll = random();
  if (depth < 2 && roll < 0.12) return { and: Array.from({ length: Math.floor(random() * 3) + (random() < 0.1 ? 0 : 1) }, () => predicate(random, depth + 1)) };
  if (depth < 2 && roll < 0.24) return { or: Array.from({ length: Math.floor(random() * 3) + (random() < 0.1 ? 0 : 1) }, () => predicate(random, depth + 1)) };
  if (depth < 2 && roll < 0.3) return { not: predicate(random, depth + 1) };
  if (roll < 0.33) return { inject: pick(random, ['a', 'i', '1']) };
  return fieldPredicate(random);
}

function stubPredicates(random: Random): unknown {
  const roll = random();
  if (roll < 0.05) return undefined;
  if (roll < 0.08) return [];
  return Array.from({ length: 1 + Math.floor(random() * 3) }, () => predicate(random, 0));
}

function request(random: Random): Record<string, unknown> {
  const result: Record<string, unknown> = {
    requestFrom: '127.0.0.1:1234',
    method: pick(random, METHODS),
    path: pick(random, PATHS),
    query: random() < 0.5 ? {} : { q: '1' },
    headers: {},
    body: pick(random, ['', 'x', '{"a":"b"}']),
    ip: '127.0.0.1',
  };
  const roll = random();
  if (roll < 0.05) delete result.path;
  else if (roll < 0.08) result.path = pick(random, [['/a', '/A'], 5, null]);
  else if (roll < 0.12) result.PATH = pick(random, PATHS);
  else if (roll < 0.14) result.Method = pick(random, METHODS);
  return result;
}

interface TestStub {
  config: Record<string, unknown>;
  matcher: RequestMatcher;
}

function compileStubs(configs: unknown[]): TestStub[] {
  return configs.map((predicates) => ({
    config: predicates === undefined ? { responses: [] } : { predicates, responses: [] },
    matcher: compilePredicates(predicates, { encoding: 'utf8', compileInject }),
  }));
}

function linearFirst(stubs: readonly TestStub[], req: Record<string, unknown>): number {
  const match = new MatchRequest(req);
  return stubs.findIndex((stub) => stub.matcher(match));
}

function indexedFirst(index: StubIndex<TestStub>, req: Record<string, unknown>): { first: number; candidates: readonly number[] | null } {
  const match = new MatchRequest(req);
  const candidates = index.candidates(match);
  const order = candidates ?? index.stubs.map((_, i) => i);
  for (const position of order) if (index.stubs[position]!.matcher(match)) return { first: position, candidates };
  return { first: -1, candidates };
}

describe('stub index', () => {
  it('picks the same stub as a linear scan over thousands of generated stubs and requests', () => {
    let compared = 0;
    let matched = 0;
    let skipped = 0;
    let stubCount = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const random = generator(seed);
      const configs = Array.from({ length: 1 + Math.floor(random() * 40) }, () => stubPredicates(random));
      const stubs = compileStubs(configs);
      stubCount += stubs.length;
      const index = new StubIndex(stubs);
      for (let r = 0; r < 40; r++) {
        const req = request(random);
        // Built only on failure: the stubs printed for every request would dominate the run time.
        const context = () => `seed ${seed}, request ${r}: ${JSON.stringify(req)}\nstubs: ${JSON.stringify(configs)}`;
        injected = 0;
        const expected = linearFirst(stubs, req);
        const linearInjects = injected;
        injected = 0;
        const { first, candidates } = indexedFirst(index, req);
        if (first !== expected) assert.fail(`index chose ${first}, linear scan ${expected}; ${context()}`);
        if (injected !== linearInjects) assert.fail(`inject predicates ran ${injected} times, not ${linearInjects}; ${context()}`);
        if (candidates !== null) {
          for (let i = 1; i < candidates.length; i++) {
            if (!(candidates[i - 1]! < candidates[i]!)) assert.fail(`candidates not ascending: ${candidates}; ${context()}`);
          }
          const match = new MatchRequest(req);
          stubs.forEach((stub, i) => {
            if (stub.matcher(match) && !candidates.includes(i)) assert.fail(`matching stub ${i} is not a candidate; ${context()}`);
          });
          skipped += stubs.length - candidates.length;
        }
        compared++;
        if (expected !== -1) matched++;
      }
    }
    assert.ok(stubCount > 3000, `generated ${stubCount} stubs`);
    assert.equal(compared, 8_000);
    assert.ok(matched > compared * 0.2 && matched < compared * 0.9, `matched ${matched} of ${compared}`);
    assert.ok(skipped > compared * 3, `the index skipped only ${skipped} stubs in ${compared} requests`);
  });

  it('tries only the stubs keyed on the request, in order, with one catch-all last', () => {
    const configs: unknown[] = Array.from({ length: 100 }, (_, i) => [{ equals: { method: 'GET', path: `/items/${i + 1}` } }]);
    configs.push(undefined);
    const index = new StubIndex(compileStubs(configs));
    const at = (method: string, path: string) => index.candidates(new MatchRequest({ method, path }));
    assert.deepEqual(at('GET', '/items/100'), [99, 100]);
    assert.deepEqual(at('get', '/ITEMS/7'), [6, 100], 'equals is case-insensitive unless caseSensitive');
    assert.deepEqual(at('POST', '/items/7'), [100]);
    assert.deepEqual(at('GET', '/none'), [100]);
    assert.equal(new StubIndex(compileStubs([undefined, [{ contains: { path: 'a' } }]])).candidates(new MatchRequest({ path: '/a' })), null);
  });

  it('keys or-ed paths on each path, and reads caseSensitive, except and deepEquals as the matcher does', () => {
    const index = new StubIndex(
      compileStubs([
        [{ or: [{ equals: { path: '/a' } }, { equals: { path: '/b' } }] }],
        [{ equals: { path: '/C' }, caseSensitive: true }],
        [{ equals: { path: '/d' }, except: 'x' }],
        [{ deepEquals: { path: '/e' } }],
      ]),
    );
    const at = (path: string) => index.candidates(new MatchRequest({ method: 'GET', path }));
    assert.deepEqual(at('/B'), [0, 2]);
    assert.deepEqual(at('/c'), [2], 'a case-sensitive /C is not a candidate for /c');
    assert.deepEqual(at('/C'), [1, 2]);
    assert.deepEqual(at('/E'), [2, 3]);
  });

  it('keeps every stub a candidate in binary mode and for requests without a string path', () => {
    const stubs = compileStubs([[{ equals: { path: '/a' } }]]);
    assert.equal(new StubIndex(stubs, 'base64').candidates(new MatchRequest({ path: '/b' })), null);
    assert.equal(new StubIndex(stubs).candidates(new MatchRequest({ data: 'x' })), null);
  });
});
