// tcp binary mode (encoding 'base64'): strings on both sides are base64-decoded before comparing,
// as in mountebank's *Test.js binary cases and the contains documentation example.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePredicate, compilePredicates, MatchRequest } from '../../src/matching/index.js';

const base64 = (bytes: number[] | string): string => Buffer.from(bytes as never).toString('base64');

function evaluate(predicate: unknown, data: string): boolean {
  return compilePredicate(predicate, { encoding: 'base64' })(new MatchRequest({ requestFrom: '127.0.0.1:5000', ip: '127.0.0.1', data }));
}

describe('binary mode', () => {
  const data = base64([1, 2, 3, 4]);
  const cases: ReadonlyArray<readonly [string, unknown, boolean]> = [
    ['equals on the same bytes', { equals: { data } }, true],
    ['equals on other bytes', { equals: { data: base64([1, 2, 4]) } }, false],
    ['contains a byte sequence', { contains: { data: base64([2, 3]) } }, true],
    ['contains not a byte sequence', { contains: { data: base64([2, 4]) } }, false],
    ['startsWith a byte sequence', { startsWith: { data: base64([1, 2]) } }, true],
    ['startsWith not a byte sequence', { startsWith: { data: base64([2]) } }, false],
    ['endsWith a byte sequence', { endsWith: { data: base64([2, 3, 4]) } }, true],
    ['endsWith not a byte sequence', { endsWith: { data: base64([1, 2, 3]) } }, false],
    ['deepEquals on the same bytes', { deepEquals: { data } }, true],
    ['deepEquals on other bytes', { deepEquals: { data: base64([1, 2, 4]) } }, false],
    ['exists on data', { exists: { data: true } }, true],
    ['not contains', { not: { contains: { data: base64([9]) } } }, true],
  ];
  for (const [name, predicate, expected] of cases) {
    it(`${expected ? 'matches' : 'does not match'}: ${name}`, () => assert.equal(evaluate(predicate, data), expected));
  }

  it('compares the decoded text, not the base64 text', () => {
    // "aGVsbG8=" (hello) does not contain "bGw=" as text, but "hello" contains "ll".
    assert.equal(evaluate({ contains: { data: base64('ll') } }, base64('hello')), true);
    // An expected value is decoded too, so plain text never matches.
    assert.equal(evaluate({ equals: { data: 'hello' } }, base64('hello')), false);
  });

  it('is case-insensitive on the decoded text unless caseSensitive', () => {
    assert.equal(evaluate({ equals: { data: base64('hello') } }, base64('HELLO')), true);
    assert.equal(evaluate({ equals: { data: base64('hello') }, caseSensitive: true }, base64('HELLO')), false);
  });

  it('follows the binary contains documentation example', () => {
    const stubs = [[{ contains: { data: 'AgM=' } }], [{ contains: { data: 'Bwg=' } }], [{ contains: { data: 'Bwg=' } }]].map((predicates) =>
      compilePredicates(predicates, { encoding: 'base64' }),
    );
    const firstMatch = (data: string): number => stubs.findIndex((stub) => stub(new MatchRequest({ data })));
    assert.equal(firstMatch('AQIDBA=='), 0);
    assert.equal(firstMatch('BQYHCA=='), 1);
    assert.equal(firstMatch('CQo='), -1);
  });
});
