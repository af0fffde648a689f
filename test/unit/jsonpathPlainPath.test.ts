// The plain-path walk must answer exactly what jsonpath-plus answers for every selector it takes,
// and leave every other selector to jsonpath-plus. Random documents × random selectors.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { plainPathWalk, selectWithJsonPathPlus } from '../../src/matching/jsonpathSelector.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const NAMES = ['a', 'b', 'tier', 'length', '0', '1', '2', 'x y', 'constructor', '__proto__', 'toString', 'A', ''];

function randomValue(r: () => number, depth: number): unknown {
  const kind = Math.floor(r() * (depth > 3 ? 6 : 9));
  switch (kind) {
    case 0:
      return null;
    case 1:
      return 0;
    case 2:
      return Math.floor(r() * 100) - 20;
    case 3:
      return r() < 0.5;
    case 4:
      return '';
    case 5:
      return ['abc', 'gold', 'x'][Math.floor(r() * 3)];
    case 6:
    case 7: {
      const o: Record<string, unknown> = {};
      const n = Math.floor(r() * 4);
      for (let i = 0; i < n; i++)
        Object.defineProperty(o, NAMES[Math.floor(r() * NAMES.length)]!, {
          value: randomValue(r, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return o;
    }
    default:
      return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
  }
}

function randomSelector(r: () => number): string {
  const parts: string[] = [];
  const n = 1 + Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const name = NAMES[Math.floor(r() * NAMES.length)]!;
    const style = r();
    if (/^\d+$/.test(name) && style < 0.5) parts.push(`[${name}]`);
    else if (style < 0.7 && /^[A-Za-z_]\w*$/.test(name)) parts.push(`.${name}`);
    else parts.push(`['${name}']`);
  }
  const special = r() < 0.5 ? '' : ['', '.*', '..tier', '[0,1]', '[-1:]', '[?(@.a)]', '.~', '^', '[(@.length-1)]', '.@string()'][Math.floor(r() * 10)]!;
  const at = Math.floor(r() * (parts.length + 1));
  parts.splice(at, 0, special);
  return (r() < 0.9 ? '$' : '') + parts.join('');
}

describe('jsonpath plain-path walk', () => {
  it('agrees with jsonpath-plus on every selector it walks, over random documents', () => {
    const r = rng(20261201);
    let walked = 0;
    let left = 0;
    for (let i = 0; i < 4000; i++) {
      const selector = randomSelector(r);
      const walk = plainPathWalk(selector);
      if (walk === null) {
        left++;
        continue;
      }
      walked++;
      for (let d = 0; d < 5; d++) {
        const doc = randomValue(r, 0);
        assert.deepEqual(walk(doc), selectWithJsonPathPlus(selector, doc), `${selector} on ${JSON.stringify(doc)}`);
      }
    }
    assert.ok(walked > 1000 && left > 500, `walked ${walked}, left to jsonpath-plus ${left}`);
  });

  it('walks the common shapes and leaves the special forms to jsonpath-plus', () => {
    for (const s of ['$.customer.tier', '$.lines[0].sku', "$['x y'].a", 'customer.tier', '$.a.length']) assert.notEqual(plainPathWalk(s), null, s);
    for (const s of ['$', '$.*', '$..tier', '$.a[0,1]', '$.a[-1:]', '$.a[?(@.b)]', '$.a~', '$.a^', '$.a[(@.length-1)]', '$.a.@string()'])
      assert.equal(plainPathWalk(s), null, s);
    const doc = { customer: { tier: 'gold' }, lines: [{ sku: 'x1' }], 'x y': { a: 0 }, a: 'abc' };
    assert.deepEqual(plainPathWalk('$.customer.tier')!(doc), ['gold']);
    assert.deepEqual(plainPathWalk('$.lines[0].sku')!(doc), ['x1']);
    assert.deepEqual(plainPathWalk("$['x y'].a")!(doc), [0]);
    assert.deepEqual(plainPathWalk('$.a.length')!(doc), [3]);
    assert.deepEqual(plainPathWalk('$.customer.missing')!(doc), []);
  });
});
