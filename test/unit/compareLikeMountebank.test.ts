// Expected arrays are sorted with mountebank's comparator, JavaScript's `<` over each value's
// string form for objects and over the value itself otherwise. standin's typed version must order
// every pair of JSON-ish values exactly as that plain `<` does, nulls and mixed types included.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonical } from '../../src/matching/canonical.js';
import { compareLikeMountebank } from '../../src/matching/normalize.js';

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;

// mountebank's own formula, as JavaScript evaluates it.
function plainComparable(value: unknown): any {
  if (!isObject(value)) return value;
  return Array.isArray(value) ? value.map((element) => (isObject(element) ? plainComparable(element) : element)).join(',') : '[object Object]';
}
function plainCompare(a: unknown, b: unknown): number {
  if (isObject(a) && isObject(b)) return plainCompare(canonical(a), canonical(b));
  return plainComparable(a) < plainComparable(b) ? -1 : 1;
}

const VALUES: unknown[] = [null, undefined, 0, 1, -1, 1.5, Number.NaN, '', '0', '1', '10', '9', 'a', 'B', 'null', 'true', true, false];
const ALL: unknown[] = [...VALUES, [], [1, 2], ['a'], [null], [[1], 2], {}, { a: 1 }, { b: [null] }];

describe('compareLikeMountebank', () => {
  it('orders every pair of values as JavaScript `<` does in mountebank', () => {
    for (const a of ALL) {
      for (const b of ALL) assert.equal(compareLikeMountebank(a, b), plainCompare(a, b), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
  });

  it('sorts a mixed expected array the same way', () => {
    assert.deepEqual([...ALL].sort(compareLikeMountebank), [...ALL].sort(plainCompare));
  });
});
