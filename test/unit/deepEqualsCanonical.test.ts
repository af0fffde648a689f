// deepEquals reads a string field as JSON in one pass; it must give exactly the canonical string
// of mountebank's step-by-step normalization, for any text and any case/except settings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalOfJsonText, canonicalOfJsonTextStepwise } from '../../src/matching/deepEquals.js';
import type { TextSpec } from '../../src/matching/normalize.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const KEYS = ['a', 'A', 'Name', 'name', '__proto__', '1', '10', 'x y', 'NULL', 'ab'];
const STRINGS = ['', 'abc', 'ABC', 'aabb', 'Null', 'null', 'True', '1', 'É', 'x y'];

function randomValue(r: () => number, depth: number): unknown {
  const kind = Math.floor(r() * (depth > 2 ? 5 : 7));
  if (kind === 0) return null;
  if (kind === 1) return [0, 1, -2.5, 1e21, 10][Math.floor(r() * 5)];
  if (kind === 2) return r() < 0.5;
  if (kind <= 4) return STRINGS[Math.floor(r() * STRINGS.length)];
  if (kind === 5) return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
  const pairs = Array.from(
    { length: Math.floor(r() * 4) },
    () => `${JSON.stringify(KEYS[Math.floor(r() * KEYS.length)])}:${JSON.stringify(randomValue(r, depth + 1))}`,
  );
  return JSON.parse(`{${pairs.join(',')}}`);
}

const SPECS: TextSpec[] = [
  { lowerKeys: true, lowerValues: true, except: null, binary: false },
  { lowerKeys: false, lowerValues: false, except: null, binary: false },
  { lowerKeys: true, lowerValues: true, except: /ab/gi, binary: false },
  { lowerKeys: false, lowerValues: false, except: /l/g, binary: false },
];

describe('deepEquals canonical JSON in one pass', () => {
  it('equals the step-by-step normalization over random texts and settings', () => {
    const r = rng(7);
    for (let i = 0; i < 3000; i++) {
      const value = randomValue(r, 0);
      let text = JSON.stringify(value);
      if (r() < 0.1) text = text.slice(0, Math.max(0, text.length - 1)); // often no longer JSON
      if (r() < 0.1) text = text.toUpperCase();
      for (const spec of SPECS) {
        assert.equal(
          canonicalOfJsonText(text, spec),
          canonicalOfJsonTextStepwise(text, spec),
          `${text} with ${JSON.stringify({ ...spec, except: String(spec.except) })}`,
        );
      }
    }
  });
});
