// The fast paths (src/matching/fastPaths.ts) must give exactly the generic walk's answers. This
// generates thousands of predicates and requests from a seeded generator (reproducible: the
// failing seed, predicate and request are printed) and compares the two compilations, and checks
// that the generator really exercises the fast paths and both outcomes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePredicateWith } from '../../src/matching/compilePredicate.js';
import { MatchRequest } from '../../src/matching/index.js';
import { generator, pick, type Random } from '../support/random.js';

const WORDS = ['', 'a', 'A', 'ab', 'Ab', 'aB', 'abc', 'b', 'x1', 'X1', '1', '12', 'true', 'null', 'Hello World', '/items/1', '/Items', 'é', 'É', 'a.b', 'GET'];
const KEYS = ['a', 'A', 'b', 'Key', 'key', 'x-id', 'X-Id', 'length', '0', 'Accept'];
const OPERATORS = ['equals', 'equals', 'contains', 'startsWith', 'endsWith', 'matches', 'exists'] as const;

function scalar(random: Random): unknown {
  const roll = random();
  if (roll < 0.7) return pick(random, WORDS);
  return pick(random, [1, 12, 0, true, false, null]);
}

function regexSafe(value: unknown): unknown {
  return typeof value === 'string' ? value.replace(/[^\w /]/g, '') : value;
}

function jsonValue(random: Random, depth: number): unknown {
  const roll = random();
  if (depth > 1 || roll < 0.5) return scalar(random);
  if (roll < 0.7) return [scalar(random), scalar(random)];
  const result: Record<string, unknown> = {};
  for (let i = 0; i < 2; i++) result[pick(random, KEYS)] = jsonValue(random, depth + 1);
  return result;
}

function stringMap(random: Random): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  const count = Math.floor(random() * 4);
  for (let i = 0; i < count; i++) {
    const roll = random();
    result[pick(random, KEYS)] = roll < 0.15 ? [pick(random, WORDS), pick(random, WORDS)] : roll < 0.2 ? pick(random, [5, null, true]) : pick(random, WORDS);
  }
  return result;
}

function request(random: Random): Record<string, unknown> {
  const bodyRoll = random();
  const result: Record<string, unknown> = {
    requestFrom: '127.0.0.1:1234',
    method: pick(random, ['GET', 'POST', 'get', 'Put']),
    path: pick(random, ['/', '/items/1', '/Items/1', '/a', '/ab']),
    query: stringMap(random),
    headers: stringMap(random),
    body: bodyRoll < 0.4 ? pick(random, WORDS) : bodyRoll < 0.8 ? JSON.stringify(jsonValue(random, 0)) : '',
    ip: '127.0.0.1',
  };
  const extra = random();
  if (extra < 0.2) result.form = stringMap(random);
  else if (extra < 0.3) result.data = pick(random, [['a', 'b'], 5, null, { a: 'b' }]);
  else if (extra < 0.35) delete result.body;
  if (random() < 0.1) result.PATH = pick(random, WORDS);
  return result;
}

/** Sometimes a value taken from the request (re-cased or cut for contains/startsWith/endsWith), so both outcomes occur. */
function fromRequest(random: Random, actual: unknown): unknown {
  if (typeof actual !== 'string') return Array.isArray(actual) && actual.length > 0 ? fromRequest(random, actual[0]) : scalar(random);
  const roll = random();
  if (roll < 0.3) return actual.toUpperCase();
  if (roll < 0.5) return actual.slice(0, Math.ceil(actual.length / 2));
  if (roll < 0.7) return actual.slice(Math.floor(actual.length / 2));
  return actual;
}

function fieldValue(random: Random, field: string, operator: string, target: Record<string, unknown>): unknown {
  const actual = target[field];
  const nested = field === 'query' || field === 'headers' || field === 'form' || (field === 'body' && random() < 0.3);
  let value: unknown;
  if (nested) {
    const result: Record<string, unknown> = {};
    const count = 1 + Math.floor(random() * 2);
    const known = typeof actual === 'object' && actual !== null ? Object.keys(actual) : [];
    for (let i = 0; i < count; i++) {
      const useActual = known.length > 0 && random() < 0.7;
      const key = useActual ? pick(random, known) : pick(random, KEYS);
      result[random() < 0.2 ? key.toUpperCase() : key] = useActual
        ? fromRequest(random, (actual as Record<string, unknown>)[key])
        : random() < 0.1
          ? jsonValue(random, 1)
          : scalar(random);
    }
    value = result;
  } else {
    value = random() < 0.6 && actual !== undefined ? fromRequest(random, actual) : random() < 0.05 ? [scalar(random), scalar(random)] : scalar(random);
  }
  if (operator === 'matches') value = mapLeaves(value, regexSafe);
  if (operator === 'exists') value = mapLeaves(value, () => random() < 0.6);
  return value;
}

function mapLeaves(value: unknown, map: (leaf: unknown) => unknown): unknown {
  if (Array.isArray(value)) return value.map((element) => mapLeaves(element, map));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, mapLeaves(child, map)]));
  }
  return map(value);
}

/** The same request with some strings re-cased. */
function recased(random: Random, target: Record<string, unknown>): Record<string, unknown> {
  return mapLeaves(target, (leaf) => (typeof leaf === 'string' && random() < 0.3 ? leaf.toUpperCase() : leaf)) as Record<string, unknown>;
}

function predicate(random: Random, target: Record<string, unknown>): Record<string, unknown> {
  const operator = pick(random, OPERATORS);
  const fields: Record<string, unknown> = {};
  const count = 1 + Math.floor(random() * 2);
  for (let i = 0; i < count; i++) {
    const field = pick(random, ['method', 'path', 'method', 'path', 'body', 'query', 'headers', 'headers', 'form', 'data', 'missing']);
    fields[random() < 0.1 ? field.toUpperCase() : field] = fieldValue(random, field, operator, target);
  }
  const result: Record<string, unknown> = { [operator]: fields };
  if (random() < 0.3) result.caseSensitive = true;
  if (random() < 0.05) result.keyCaseSensitive = pick(random, [true, false]);
  if (random() < 0.1) result.except = pick(random, ['\\d', 'a', '^/']);
  return result;
}

describe('fast paths agree with the generic walk', () => {
  it('on thousands of random predicates and requests', () => {
    const seed = 20240611;
    const random = generator(seed);
    let fastFields = 0;
    const outcomes = { true: 0, false: 0 };
    const settingsFast = { fastPaths: true, onFastPath: () => fastFields++ };
    const settingsGeneric = { fastPaths: false };
    for (let i = 0; i < 6000; i++) {
      const target = request(random);
      const config = predicate(random, target);
      const fast = compilePredicateWith(config, { encoding: 'utf8' }, settingsFast);
      const generic = compilePredicateWith(config, { encoding: 'utf8' }, settingsGeneric);
      for (let j = 0; j < 3; j++) {
        const raw = j === 0 ? target : j === 1 ? recased(random, target) : request(random);
        // Separate MatchRequests, so neither side can reuse a view the other computed.
        const expected = generic(new MatchRequest(raw));
        const actual = fast(new MatchRequest(raw));
        assert.equal(actual, expected, `seed ${seed}, case ${i}/${j}\npredicate: ${JSON.stringify(config)}\nrequest: ${JSON.stringify(raw)}`);
        outcomes[String(expected) as 'true' | 'false']++;
        // And with a shared MatchRequest, as stubs share one in production.
        const shared = new MatchRequest(raw);
        assert.equal(generic(shared), expected);
        assert.equal(fast(shared), expected);
      }
    }
    assert.ok(fastFields > 4000, `only ${fastFields} fields compiled to fast paths`);
    assert.ok(outcomes.true > 3000 && outcomes.false > 3000, `outcomes too lopsided: ${JSON.stringify(outcomes)}`);
  });

  it('uses a fast path for the common shapes and not for except, selectors or deepEquals', () => {
    const fastFieldCount = (config: unknown): number => {
      let count = 0;
      compilePredicateWith(config, { encoding: 'utf8' }, { fastPaths: true, onFastPath: () => count++ });
      return count;
    };
    assert.equal(fastFieldCount({ equals: { method: 'GET', path: '/x' } }), 2);
    assert.equal(fastFieldCount({ contains: { headers: { 'X-Id': '1', Accept: 'json' } } }), 1);
    assert.equal(fastFieldCount({ matches: { query: { q: '^a' } }, caseSensitive: true }), 1);
    assert.equal(fastFieldCount({ exists: { body: true } }), 1);
    assert.equal(fastFieldCount({ equals: { path: '/x' }, except: '\\d' }), 0);
    assert.equal(fastFieldCount({ equals: { body: 'x' }, jsonpath: { selector: '$.a' } }), 0);
    assert.equal(fastFieldCount({ deepEquals: { path: '/x' } }), 0);
    assert.equal(fastFieldCount({ equals: { body: { user: { id: '1' } } } }), 0);
    assert.equal(fastFieldCount({ equals: { query: { key: ['a', 'b'] } } }), 0);
  });
});
