// Treating string fields as JSON when the predicate value is an object (mountebank's jsonTest.js):
// equals/contains/startsWith/endsWith/matches/exists reaching into JSON bodies, arrays in JSON,
// the old "array of objects" syntax, case and except inside JSON.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePredicate, MatchRequest } from '../../src/matching/index.js';

function evaluate(predicate: unknown, request: Record<string, unknown>): boolean {
  return compilePredicate(predicate, { encoding: 'utf8' })(new MatchRequest(request));
}

const cases: ReadonlyArray<readonly [string, unknown, Record<string, unknown>, boolean]> = [
  ['equals on a field that is not JSON', { equals: { field: { key: 'VALUE' } } }, { field: 'KEY: VALUE' }, false],
  ['equals on a JSON value', { equals: { field: { key: 'VALUE' } } }, { field: '{ "key": "VALUE" }' }, true],
  ['equals on plain text', { equals: { field: { key: 'VALUE' } } }, { field: 'Not value' }, false],
  ['equals with keys and values differing in case', { equals: { field: { KEY: 'value' } } }, { field: '{ "key": "VALUE" }' }, true],
  ['equals differing in case when caseSensitive', { equals: { field: { KEY: 'value' } }, caseSensitive: true }, { field: '{ "key": "VALUE" }' }, false],
  ['equals after except, caseSensitive', { equals: { field: { key: 'VE' } }, caseSensitive: true, except: 'ALU' }, { field: '{ "key": "VALUE" }' }, true],
  [
    'equals after except with different values',
    { equals: { field: { key: 'V' } }, caseSensitive: true, except: 'ALU' },
    { field: '{ "key": "VALUE" }' },
    false,
  ],
  ['contains in a JSON value', { contains: { field: { key: 'alu' } } }, { field: '{ "key": "VALUE" }' }, true],
  ['contains not in a JSON value', { contains: { field: { key: 'VALUE' } }, caseSensitive: true }, { field: '{"key": "test"}' }, false],
  ['startsWith on a JSON value', { startsWith: { field: { key: 'Harry' } } }, { field: '{"key": "Harry Potter"}' }, true],
  ['startsWith not on a JSON value', { startsWith: { field: { key: 'Potter' } } }, { field: '{"key":"Harry Potter"}' }, false],
  ['endsWith on a JSON value', { endsWith: { field: { key: 'Potter' } } }, { field: '{"key": "Harry Potter"}' }, true],
  ['endsWith not on a JSON value', { endsWith: { field: { key: 'Harry' } } }, { field: '{"key": "Harry Potter"}' }, false],
  ['equals on any element of a JSON array', { equals: { field: { key: 'Second' } } }, { field: '{"key": ["First", "Second", "Third"] }' }, true],
  ['equals on no element of a JSON array', { equals: { field: { key: 'Second' } } }, { field: '{"key": ["first", "third"] }' }, false],
  ['matches on a field that is not JSON', { matches: { field: { key: 'VALUE' } } }, { field: '"key": "value"' }, false],
  ['matches on a JSON value', { matches: { field: { key: '^v' } } }, { field: '{"key": "Value"}' }, true],
  ['matches not on a JSON value', { matches: { field: { key: 'v$' } } }, { field: '{"key":"value"}' }, false],
  ['exists on a JSON key', { exists: { field: { key: true } } }, { field: '{"key":"exists"}' }, true],
  ['exists on a missing JSON key', { exists: { field: { key: true } } }, { field: '{}' }, false],
  ['exists on a JSON array key', { exists: { field: { key: true } } }, { field: '{"key": []}' }, true],
  ['exists false on a JSON array key', { exists: { body: { a: false } } }, { body: '{"a": []}' }, false],
  ['exists on an empty JSON string', { exists: { body: { field: true } } }, { body: '{"field": ""}' }, false],
  ['exists on a nested empty JSON string', { exists: { body: { user: { name: true } } } }, { body: '{"user": {"name": ""}}' }, false],
  [
    'equals on a key of any object in an array (old syntax)',
    { equals: { examples: { key: 'third' } } },
    { examples: '[{ "key": "first" }, { "different": true }, { "key": "third" }]' },
    true,
  ],
  [
    'equals on a key of no object in an array',
    { equals: { examples: { key: true } } },
    { examples: '[{ "key": "first" }, { "different": true }, { "key": "third" }]' },
    false,
  ],
  ['null for a JSON null', { equals: { json: { key: null } } }, { json: '{ "key": null }' }, true],
  ['matches with an upper-case JSON key (issue #228)', { matches: { body: { Key: '^Value' } } }, { body: '{ "Key": "Value" }' }, true],
  ['matches with JSON keys differing in case', { matches: { body: { KEY: '^Value' } } }, { body: '{ "Key": "Value" }' }, true],
  [
    'matches with JSON keys differing in case, caseSensitive',
    { matches: { body: { KEY: '^Value' } }, caseSensitive: true },
    { body: '{ "Key": "Value" }' },
    false,
  ],
  ['a JSON number in an array against a number', { equals: { body: { arr: 3 } } }, { body: '{"key": "value", "arr": [3,2,1]}' }, true],
  ['a JSON array subset', { equals: { body: { arr: [1, 3] } } }, { body: '{"arr": [3,2,1]}' }, true],
  ['a JSON array missing an element', { equals: { body: { arr: [1, 4] } } }, { body: '{"arr": [3,2,1]}' }, false],
  [
    'a top-level JSON array in any order (deviation: mountebank compares it by position against the sorted predicate)',
    { equals: { body: ['b', 'a'] } },
    { body: '["b","a"]' },
    true,
  ],
  ['a top-level JSON array missing an element', { equals: { body: ['c'] } }, { body: '["b","a"]' }, false],
  ['nested objects', { contains: { body: { user: { email: '@example.com' } } } }, { body: '{"user": {"name": "john", "email": "john@example.com"}}' }, true],
  ['nested objects, wrong value', { contains: { body: { user: { email: '@example.org' } } } }, { body: '{"user": {"email": "john@example.com"}}' }, false],
  ['a JSON object against an empty body', { equals: { body: {} } }, { body: '' }, false],
  ['an empty object against any text', { equals: { body: {} } }, { body: 'x' }, true],
  ['a JSON value with a "__proto__" key as data', { equals: { body: { __proto__x: 'y' } } }, { body: '{"__proto__": {"a": 1}, "__proto__x": "y"}' }, true],
  ['an object against a JSON null body (mountebank throws)', { equals: { body: { a: 'x' } } }, { body: 'null' }, false],
  ['except inside JSON values', { equals: { body: { a: '' } }, except: '\\d' }, { body: '{"a":"11"}' }, true],
];

describe('predicates on JSON strings', () => {
  for (const [name, predicate, request, expected] of cases) {
    it(`${expected ? 'matches' : 'does not match'}: ${name}`, () => assert.equal(evaluate(predicate, request), expected));
  }

  it('matches the documented JSON-body predicates together (httpStubTest)', () => {
    const request = { body: '{"key": "value", "arr": [3,2,1]}' };
    const predicates = [
      { equals: { body: { key: 'value' } } },
      { equals: { body: { arr: 3 } } },
      { deepEquals: { body: { key: 'value', arr: [2, 1, 3] } } },
      { matches: { body: { key: '^v' } } },
    ];
    for (const predicate of predicates) assert.equal(evaluate(predicate, request), true, JSON.stringify(predicate));
    assert.equal(evaluate({ equals: { body: { key: 'other' } } }, request), false);
  });
});

describe('hostile JSON bodies', () => {
  it('never throws on a body nested deeper than the stack allows', () => {
    const depth = 200_000;
    const body = '['.repeat(depth) + ']'.repeat(depth);
    const request = new MatchRequest({ body, query: {} });
    for (const predicate of [
      { equals: { body: { a: 'x' } } },
      { contains: { body: ['x'] } },
      { deepEquals: { body: { a: 'x' } } },
      { deepEquals: { body: [] } },
      { equals: { body: 'x' }, jsonpath: { selector: '$..a' } },
    ]) {
      assert.equal(compilePredicate(predicate, { encoding: 'utf8' })(request), false, JSON.stringify(predicate));
    }
    // Still read as text.
    assert.equal(compilePredicate({ startsWith: { body: '[[[' } }, { encoding: 'utf8' })(request), true);
  });
});
