// not, or, and, inject: mountebank's notTest/orTest/andTest/injectTest cases and the tcp doc
// examples; parameters on and/or/not do not cascade to their children.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StandinError } from '../../src/model/errors.js';
import type { ProtocolRequest } from '../../src/model/request.js';
import { compilePredicate, compilePredicates, MatchRequest, type CompileOptions } from '../../src/matching/index.js';

function evaluate(predicate: unknown, request: Record<string, unknown>, options: CompileOptions = { encoding: 'utf8' }): boolean {
  return compilePredicate(predicate, options)(new MatchRequest(request));
}

describe('not', () => {
  it('inverts a non-matching sub-predicate', () => {
    assert.equal(evaluate({ not: { equals: { field: 'this' } } }, { field: 'that' }), true);
  });
  it('inverts a matching sub-predicate', () => {
    assert.equal(evaluate({ not: { equals: { field: 'this' } } }, { field: 'this' }), false);
  });
  it('refuses an invalid sub-predicate with "missing predicate"', () => {
    const inner = { invalid: { field: 'this' } };
    assert.throws(
      () => compilePredicate({ not: inner }, { encoding: 'utf8' }),
      (error: unknown) =>
        error instanceof StandinError &&
        error.code === 'bad data' &&
        error.message.startsWith('missing predicate: "invalid" is not a predicate operator') &&
        error.source === inner,
    );
  });
  it('follows the tcp documentation example', () => {
    const stubs = [[{ not: { equals: { data: 'test\n' } } }], [{ equals: { data: 'test\n' } }]].map((predicates) =>
      compilePredicates(predicates, { encoding: 'utf8' }),
    );
    const firstMatch = (data: string): number => stubs.findIndex((stub) => stub(new MatchRequest({ data })));
    assert.equal(firstMatch('production\n'), 0);
    assert.equal(firstMatch('test\n'), 1);
  });
});

describe('or', () => {
  it('matches when any sub-predicate matches', () => {
    assert.equal(evaluate({ or: [{ equals: { field: 'this' } }, { equals: { field: 'that' } }] }, { field: 'that' }), true);
  });
  it('does not match when no sub-predicate matches', () => {
    assert.equal(evaluate({ or: [{ equals: { field: 'this' } }, { equals: { field: 'that' } }] }, { field: 'what' }), false);
  });
  it('never matches when empty', () => {
    assert.equal(evaluate({ or: [] }, { field: 'what' }), false);
  });
  it('follows the tcp documentation example', () => {
    const predicate = { or: [{ startsWith: { data: 'start' } }, { endsWith: { data: 'end\n' } }, { contains: { data: 'middle' } }] };
    assert.equal(evaluate(predicate, { data: 'start data transmission\n' }), true);
    assert.equal(evaluate(predicate, { data: 'data transmission end\n' }), true);
    assert.equal(evaluate(predicate, { data: 'data middle transmission\n' }), true);
    assert.equal(evaluate(predicate, { data: 'data transmission\n' }), false);
  });
});

describe('and', () => {
  it('matches when every sub-predicate matches', () => {
    assert.equal(evaluate({ and: [{ equals: { field: 'this' } }, { startsWith: { field: 'th' } }] }, { field: 'this' }), true);
  });
  it('does not match when a sub-predicate does not', () => {
    assert.equal(evaluate({ and: [{ equals: { field: 'this' } }, { equals: { field: 'that' } }] }, { field: 'this' }), false);
  });
  it('always matches when empty', () => {
    assert.equal(evaluate({ and: [] }, { field: 'what' }), true);
  });
  it('follows the tcp documentation example', () => {
    const predicate = { and: [{ startsWith: { data: 'start' } }, { endsWith: { data: 'end\n' } }, { contains: { data: 'middle' } }] };
    assert.equal(evaluate(predicate, { data: 'start middle end\n' }), true);
    assert.equal(evaluate(predicate, { data: 'start end\n' }), false);
  });
  it('nests inside or and not', () => {
    const predicate = { or: [{ and: [{ equals: { method: 'GET' } }, { not: { startsWith: { path: '/admin' } } }] }, { equals: { method: 'DELETE' } }] };
    assert.equal(evaluate(predicate, { method: 'GET', path: '/users' }), true);
    assert.equal(evaluate(predicate, { method: 'GET', path: '/admin/x' }), false);
    assert.equal(evaluate(predicate, { method: 'DELETE', path: '/admin/x' }), true);
  });
});

describe('parameters on and/or/not', () => {
  it('do not cascade caseSensitive to the children', () => {
    const predicate = { and: [{ equals: { path: '/API' } }, { equals: { method: 'GET' } }], caseSensitive: true };
    assert.equal(evaluate(predicate, { method: 'get', path: '/api' }), true);
  });
  it('do not cascade except to the children', () => {
    const predicate = { or: [{ equals: { path: 'users' } }, { equals: { path: 'posts' } }], except: '^/api/' };
    assert.equal(evaluate(predicate, { path: '/api/users' }), false);
    assert.equal(evaluate(predicate, { path: 'users' }), true);
  });
  it('do not cascade jsonpath to the children', () => {
    const predicate = { and: [{ equals: { body: 'john' } }], jsonpath: { selector: '$.user.name' } };
    assert.equal(evaluate(predicate, { body: '{"user": {"name": "john"}}' }), false);
    assert.equal(evaluate(predicate, { body: 'john' }), true);
  });
});

describe('inject', () => {
  const compiled: string[] = [];
  const allowInjection: CompileOptions = {
    encoding: 'utf8',
    compileInject: (source, predicate) => {
      compiled.push(source);
      assert.equal(predicate.inject, source);
      const fn = new Function(`return (${source});`)() as (request: ProtocolRequest) => unknown;
      return (request) => fn(request) as boolean;
    },
  };

  it('matches when the function returns true', () => {
    assert.equal(evaluate({ inject: 'function () { return true; }' }, {}, allowInjection), true);
  });
  it('does not match when the function returns false', () => {
    assert.equal(evaluate({ inject: 'function () { return false; }' }, {}, allowInjection), false);
  });
  it('treats a truthy result as a match', () => {
    assert.equal(evaluate({ inject: 'function () { return "yes"; }' }, {}, allowInjection), true);
    assert.equal(evaluate({ inject: 'function () { return 0; }' }, {}, allowInjection), false);
  });
  it('passes the request to the function', () => {
    const predicate = { inject: "function (request) { return request.path === '/' && request.method === 'GET'; }" };
    assert.equal(evaluate(predicate, { path: '/', method: 'GET' }, allowInjection), true);
    assert.equal(evaluate(predicate, { path: '/x', method: 'GET' }, allowInjection), false);
  });
  it('compiles the source once, not per request', () => {
    compiled.length = 0;
    const matcher = compilePredicate({ inject: 'function (r) { return r.n > 1; }' }, allowInjection);
    assert.deepEqual(
      [1, 2, 3].map((n) => matcher(new MatchRequest({ n }))),
      [false, true, true],
    );
    assert.equal(compiled.length, 1);
  });

  const refusedWithoutInjection = (predicate: unknown, offending: unknown): void => {
    assert.throws(
      () => compilePredicate(predicate, { encoding: 'utf8' }),
      (error: unknown) =>
        error instanceof StandinError &&
        error.code === 'invalid injection' &&
        error.message === 'JavaScript injection is not allowed unless mb is run with the --allowInjection flag' &&
        error.source === offending,
    );
  };
  it('is refused without compileInject', () => {
    const predicate = { inject: 'function () { return true; }' };
    refusedWithoutInjection(predicate, predicate);
  });
  it('is refused nested inside and/or/not without compileInject', () => {
    const inner = { inject: 'function () { return true; }' };
    refusedWithoutInjection({ and: [{ equals: { path: '/' } }, inner] }, inner);
    refusedWithoutInjection({ or: [inner] }, inner);
    refusedWithoutInjection({ not: inner }, inner);
    refusedWithoutInjection({ not: { or: [{ and: [inner] }] } }, inner);
  });
  it('refuses a non-string function', () => {
    const predicate = { inject: 42 };
    assert.throws(
      () => compilePredicate(predicate, allowInjection),
      (error: unknown) => error instanceof StandinError && error.code === 'bad data' && /inject predicate must be a string/.test(error.message),
    );
  });
});
