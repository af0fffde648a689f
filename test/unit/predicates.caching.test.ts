// MatchRequest caches each normalized view once per request, shared by every compiled predicate:
// a field is read and lower-cased once however many stubs look at it, the body is parsed as
// JSON once, and nothing leaks from one request to the next.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePredicate, compilePredicates, MatchRequest } from '../../src/matching/index.js';
import { countJsonParses } from '../support/countJsonParses.js';

/** A request whose fields count how often they are read. */
function countingRequest(fields: Record<string, unknown>): { request: Record<string, unknown>; reads: Map<string, number> } {
  const reads = new Map<string, number>();
  const request: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    Object.defineProperty(request, name, {
      enumerable: true,
      get: () => {
        reads.set(name, (reads.get(name) ?? 0) + 1);
        return value;
      },
    });
  }
  return { request, reads };
}

describe('per-request caching', () => {
  it('reads and lower-cases a field once for 100 stubs with the same parameters', () => {
    const stubs = Array.from({ length: 100 }, (_, i) => compilePredicates([{ equals: { method: 'GET', path: `/items/${i}` } }], { encoding: 'utf8' }));
    const { request, reads } = countingRequest({ method: 'GET', path: '/Items/99', query: {}, headers: {}, body: '' });
    const matchRequest = new MatchRequest(request);
    assert.equal(
      stubs.findIndex((stub) => stub(matchRequest)),
      99,
    );
    assert.equal(reads.get('path'), 1);
    assert.equal(reads.get('method'), 1);
    assert.equal(reads.get('body'), undefined);
  });

  it('reads a field once per distinct normalization (case-insensitive vs case-sensitive vs except)', () => {
    const matchers = [
      { equals: { path: '/a' } },
      { contains: { path: 'a' } },
      { equals: { path: '/A' }, caseSensitive: true },
      { startsWith: { path: '/A' }, caseSensitive: true },
      { equals: { path: '/' }, except: 'a' },
    ].map((predicate) => compilePredicate(predicate, { encoding: 'utf8' }));
    const { request, reads } = countingRequest({ path: '/A' });
    const matchRequest = new MatchRequest(request);
    assert.deepEqual(
      matchers.map((matcher) => matcher(matchRequest)),
      [true, true, true, true, true],
    );
    // At most: one lower-cased view (shared by equals and contains), the raw value for each of the
    // two case-sensitive predicates, one except view. Without sharing it would be 5.
    assert.ok((reads.get('path') ?? 0) <= 4, `path read ${reads.get('path')} times`);
  });

  it('parses a JSON body once for every stub reaching into it', () => {
    const stubs = Array.from({ length: 50 }, (_, i) => compilePredicate({ equals: { body: { user: { id: String(i) } } } }, { encoding: 'utf8' }));
    const { result, parses } = countJsonParses(() => {
      const request = new MatchRequest({ body: '{"user": {"id": 42}}' });
      return stubs.findIndex((stub) => stub(request));
    });
    assert.equal(result, 42);
    assert.equal(parses, 1);
  });

  it('keeps views per request: a second request sees its own values', () => {
    const matcher = compilePredicate({ equals: { path: '/a', headers: { 'x-id': '1' } } }, { encoding: 'utf8' });
    assert.equal(matcher(new MatchRequest({ path: '/A', headers: { 'X-Id': '1' } })), true);
    assert.equal(matcher(new MatchRequest({ path: '/b', headers: { 'X-Id': '1' } })), false);
    assert.equal(matcher(new MatchRequest({ path: '/a', headers: { 'X-Id': '2' } })), false);
  });

  it('caches undefined results (a missing field) without recomputing them', () => {
    const matchers = Array.from({ length: 10 }, () => compilePredicate({ exists: { form: false } }, { encoding: 'utf8' }));
    const { request, reads } = countingRequest({ path: '/', form: undefined });
    const matchRequest = new MatchRequest(request);
    assert.deepEqual(
      matchers.map((matcher) => matcher(matchRequest)),
      Array(10).fill(true),
    );
    assert.equal(reads.get('form'), 1);
    assert.equal(reads.get('path'), undefined);
  });

  it('never mutates the request', () => {
    const request = { method: 'POST', path: '/A', query: { Key: ['B', 'A'] }, headers: { 'X-Id': 'V' }, body: '{"Key": [2, 1]}' };
    const snapshot = structuredClone(request);
    for (const predicate of [
      { equals: { query: { key: 'a' } } },
      { deepEquals: { query: { key: ['a', 'b'] } } },
      { deepEquals: { body: { key: [1, 2] } } },
      { matches: { headers: { 'x-id': 'v' } } },
      { equals: { body: '1' }, jsonpath: { selector: '$.Key[1]' } },
    ]) {
      assert.equal(compilePredicate(predicate, { encoding: 'utf8' })(new MatchRequest(request)), true, JSON.stringify(predicate));
    }
    assert.deepEqual(request, snapshot);
  });
});
