// mountebank's documented predicate examples (mbtest.dev predicates pages and httpStubTest.js),
// replayed as "first stub whose predicates all match" over http-shaped requests.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HttpRequest } from '../../src/model/request.js';
import { compilePredicates, MatchRequest } from '../../src/matching/index.js';

function http(overrides: Partial<HttpRequest>): HttpRequest {
  return { requestFrom: '127.0.0.1:50000', method: 'GET', path: '/', query: {}, headers: {}, body: '', ip: '127.0.0.1', ...overrides };
}

function stubsOf(...stubs: unknown[][]): (request: HttpRequest) => number {
  const matchers = stubs.map((predicates) => compilePredicates(predicates, { encoding: 'utf8' }));
  return (request) => {
    const matchRequest = new MatchRequest(request as unknown as Record<string, unknown>);
    return matchers.findIndex((matcher) => matcher(matchRequest));
  };
}

describe('documented examples', () => {
  it('equals: all fields, keys and values case-insensitive; body case-sensitive minus except', () => {
    const firstMatch = stubsOf(
      [
        { equals: { method: 'POST', path: '/test', query: { first: '1', second: '2' }, headers: { Accept: 'text/plain' } } },
        { equals: { body: 'hello, world' }, caseSensitive: true, except: '!$' },
      ],
      [{ equals: { headers: { Accept: 'application/xml' } } }],
      [{ equals: { method: 'PUT' } }],
      [{ equals: { method: 'PUT' } }],
    );
    const query = { Second: '2', First: '1' };
    assert.equal(firstMatch(http({ method: 'POST', path: '/test', query, headers: { accept: 'text/plain' }, body: 'hello, world!' })), 0);
    assert.equal(firstMatch(http({ method: 'POST', path: '/test', query, headers: { accept: 'text/plain' }, body: 'Hello, world!' })), -1);
    assert.equal(firstMatch(http({ method: 'POST', path: '/test', query, headers: { Accept: 'application/xml' }, body: '"hello, world!"' })), 1);
    assert.equal(firstMatch(http({ method: 'PUT', path: '/test', query, body: '"hello, world!"' })), 2);
  });

  it('deepEquals: {} means no query; extra keys fail', () => {
    const firstMatch = stubsOf(
      [{ deepEquals: { query: {} } }],
      [{ deepEquals: { query: { first: '1' } } }],
      [{ deepEquals: { query: { first: '1', second: '2' } } }],
    );
    assert.equal(firstMatch(http({ path: '/test' })), 0);
    assert.equal(firstMatch(http({ path: '/test', query: { First: '1' } })), 1);
    assert.equal(firstMatch(http({ path: '/test', query: { Second: '2', First: '1' } })), 2);
    assert.equal(firstMatch(http({ path: '/test', query: { Second: '2', First: '1', Third: '3' } })), -1);
  });

  it('matching arrays: deepEquals needs all values, equals a subset, a scalar any value', () => {
    const firstMatch = stubsOf(
      [{ deepEquals: { query: { key: ['first', 'second'] } } }],
      [{ equals: { query: { key: ['first', 'second'] } } }],
      [{ equals: { query: { key: 'first' } } }],
    );
    assert.equal(firstMatch(http({ query: { key: ['second', 'first'] } })), 0);
    assert.equal(firstMatch(http({ query: { key: ['second', 'first', 'third'] } })), 1);
    assert.equal(firstMatch(http({ query: { key: ['first', 'third'] } })), 2);
    assert.equal(firstMatch(http({ query: { key: ['third'] } })), -1);
  });

  it('exists: query keys and headers present or absent; body empty or not', () => {
    const firstMatch = stubsOf(
      [{ exists: { query: { q: true, search: false }, headers: { Accept: true, 'X-Rate-Limit': false } } }],
      [{ exists: { method: true, body: false } }],
      [{ exists: { body: true } }],
    );
    assert.equal(firstMatch(http({ query: { q: 'mountebank' }, headers: { Accept: 'text/plain' } })), 0);
    assert.equal(firstMatch(http({ query: { q: 'mountebank' }, headers: { Accept: 'text/plain', 'X-Rate-Limit': '5' } })), 1);
    assert.equal(firstMatch(http({})), 1);
    assert.equal(firstMatch(http({ method: 'POST', body: 'non-empty body' })), 2);
  });

  it('matches: a case-sensitive \\W and a case-insensitive \\s+', () => {
    const firstMatch = stubsOf([{ matches: { data: '^first\\Wsecond' }, caseSensitive: true }], [{ matches: { data: 'second\\s+request' } }]);
    const tcp = (data: string) => ({ requestFrom: '127.0.0.1:1', ip: '127.0.0.1', data }) as unknown as HttpRequest;
    assert.equal(firstMatch(tcp('first second\n')), 0);
    assert.equal(firstMatch(tcp('First second\n')), -1);
    assert.equal(firstMatch(tcp('Second Request\n')), 1);
  });

  it('a complex stub: every predicate must hold (httpStubTest)', () => {
    const firstMatch = stubsOf([
      { equals: { path: '/test', method: 'POST' } },
      { equals: { query: { key: 'value' } } },
      { exists: { headers: { 'X-One': true } } },
      { exists: { headers: { 'X-Two': true } } },
      { equals: { headers: { 'X-Two': 'Test' } } },
      { exists: { headers: { 'X-Three': false } } },
      { not: { exists: { headers: { 'X-Four': true } } } },
      { startsWith: { body: 'T' } },
      { contains: { body: 'ES' } },
      { endsWith: { body: 'T' } },
      { matches: { body: '^TEST$' } },
      { equals: { body: 'TEST' } },
      { exists: { body: true } },
    ]);
    const headers = { 'X-One': 'Test', 'X-Two': 'Test', 'Content-Type': 'text/plain' };
    const request = { method: 'POST', path: '/test', query: { key: 'value', next: 'true' }, headers, body: 'TEST' };
    assert.equal(firstMatch(http(request)), 0);
    assert.equal(firstMatch(http({ ...request, path: '/' })), -1, 'wrong path');
    assert.equal(firstMatch(http({ ...request, query: { key: 'different' } })), -1, 'wrong query');
    assert.equal(firstMatch(http({ ...request, method: 'PUT' })), -1, 'wrong method');
    assert.equal(firstMatch(http({ ...request, headers: { 'X-Two': 'Test' } })), -1, 'missing header');
    assert.equal(firstMatch(http({ ...request, headers: { ...headers, 'X-Two': 'Testing' } })), -1, 'wrong header value');
    assert.equal(firstMatch(http({ ...request, headers: { ...headers, 'X-Four': 'x' } })), -1, 'forbidden header');
    assert.equal(firstMatch(http({ ...request, body: 'TESTing' })), -1, 'wrong body');
  });

  it('deepEquals with operator names as query keys (httpStubTest)', () => {
    const firstMatch = stubsOf(
      [{ deepEquals: { query: {} } }],
      [{ deepEquals: { query: { equals: 1 } } }],
      [{ deepEquals: { query: { equals: 'true', contains: false } } }],
    );
    assert.equal(firstMatch(http({})), 0);
    assert.equal(firstMatch(http({ query: { equals: 'something' } })), -1);
    assert.equal(firstMatch(http({ query: { equals: '1' } })), 1);
    assert.equal(firstMatch(http({ query: { contains: 'false', equals: 'true' } })), 2);
    assert.equal(firstMatch(http({ query: { contains: 'false', equals: 'true', matches: 'yes' } })), -1);
  });

  it('form fields like query fields; an absent form matches no form predicate', () => {
    const firstMatch = stubsOf([{ equals: { form: { user: 'Bob' } } }], [{ equals: { form: { user: '' } } }]);
    assert.equal(firstMatch(http({ method: 'POST', body: 'user=bob', form: { user: 'bob' } })), 0);
    assert.equal(firstMatch(http({ method: 'POST', body: '{}' })), -1);
    assert.equal(firstMatch(http({ method: 'POST', body: 'user=', form: { user: '' } })), 1);
  });
});
