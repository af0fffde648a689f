// deepEquals: exact key sets per top-level field, arrays as sets, forceStrings, {} = "nothing",
// JSON bodies; cases from mountebank's deepEqualsTest.js and httpStubTest.js.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePredicate, MatchRequest } from '../../src/matching/index.js';

function evaluate(predicate: unknown, request: Record<string, unknown>, encoding: 'utf8' | 'base64' = 'utf8'): boolean {
  return compilePredicate(predicate, { encoding })(new MatchRequest(request));
}

const base64 = (bytes: number[]): string => Buffer.from(bytes).toString('base64');

describe('deepEquals', () => {
  const cases: ReadonlyArray<readonly [string, unknown, Record<string, unknown>, boolean]> = [
    ['mismatched strings', { deepEquals: { field: 'value' } }, { field: 'other' }, false],
    ['matching strings', { deepEquals: { field: 'value' } }, { field: 'value' }, true],
    ['strings differing in case', { deepEquals: { field: 'VALUE' } }, { field: 'Value' }, true],
    ['strings differing in case when caseSensitive', { deepEquals: { field: 'VALUE' }, caseSensitive: true }, { field: 'Value' }, false],
    ['{} against an empty query', { deepEquals: { query: {} } }, { query: {} }, true],
    ['{} against a non-empty query', { deepEquals: { query: {} } }, { query: { q: 'test' } }, false],
    ['exact key-value pairs', { deepEquals: { headers: { key: 'value' } } }, { headers: { key: 'value' } }, true],
    ['an extra key in the request', { deepEquals: { headers: { key: 'value' } } }, { headers: { key: 'value', other: 'other' } }, false],
    ['ignoring request fields not named', { deepEquals: { query: { key: 'value' } } }, { query: { key: 'value' }, field: 'true' }, true],
    ['a missing key', { deepEquals: { headers: { key: 'value' } } }, { headers: {} }, false],
    ['a mismatched value', { deepEquals: { headers: { key: 'value' } } }, { headers: { key: 'other' } }, false],
    ['values differing in case', { deepEquals: { headers: { key: 'VALUE' } } }, { headers: { key: 'Value' } }, true],
    ['values differing in case when caseSensitive', { deepEquals: { headers: { key: 'VALUE' } }, caseSensitive: true }, { headers: { key: 'Value' } }, false],
    ['keys differing in case', { deepEquals: { headers: { KEY: 'value' } } }, { headers: { Key: 'value' } }, true],
    ['keys differing in case when caseSensitive', { deepEquals: { headers: { KEY: 'value' } }, caseSensitive: true }, { headers: { Key: 'value' } }, false],
    ['a missing field against "" (unlike equals)', { deepEquals: { field: '' } }, {}, false],
    ['all fields equal', { deepEquals: { first: '1', second: '2' } }, { first: '1', second: '2' }, true],
    ['one field not equal', { deepEquals: { first: '1', second: '2' } }, { first: '1', second: '3' }, false],
    ['equal once except is stripped', { deepEquals: { field: 'This is a test' }, except: '\\d+' }, { field: '1This is 3a 2test' }, true],
    [
      'ints, bools and floats against their strings',
      { deepEquals: { query: { int: 1, float: 1.1, bool: true } } },
      { query: { int: '1', float: '1.1', bool: 'true' } },
      true,
    ],
    [
      'every value of a multi-valued key',
      { deepEquals: { query: { key: ['first', 'second'] } } },
      { query: { key: ['first', 'second'] }, field: 'true' },
      true,
    ],
    ['a multi-valued key missing a value', { deepEquals: { query: { key: ['first', 'second', 'third'] } } }, { query: { key: ['first', 'second'] } }, false],
    [
      'a multi-valued key with an extra value',
      { deepEquals: { query: { key: ['first', 'second'] } } },
      { query: { key: ['first', 'second', 'third'] } },
      false,
    ],
    ['a multi-valued key out of order', { deepEquals: { query: { key: ['first', 'second'] } } }, { query: { key: ['second', 'first'] } }, true],
    ['duplicates counted', { deepEquals: { query: { a: ['1', '1'] } } }, { query: { a: ['1', '2'] } }, false],
    ['null against null', { deepEquals: { field: null } }, { field: null }, true],
    ['null against a JSON null', { deepEquals: { body: { value: null } } }, { body: '{"value": null}' }, true],
    ['"null" against a JSON null', { deepEquals: { body: { value: 'null' } } }, { body: '{"value": null}' }, true],
    ['operator names as query keys', { deepEquals: { query: { equals: 1 } } }, { query: { equals: '1' } }, true],
    [
      'operator names as query keys, extra key',
      { deepEquals: { query: { equals: 'true', contains: false } } },
      { query: { contains: 'false', equals: 'true', matches: 'yes' } },
      false,
    ],
    ['an empty deepEquals', { deepEquals: {} }, { path: '/' }, true],
  ];
  for (const [name, predicate, request, expected] of cases) {
    it(`${expected ? 'matches' : 'does not match'}: ${name}`, () => assert.equal(evaluate(predicate, request), expected));
  }

  it('compares binary data after base64-decoding both sides', () => {
    assert.equal(evaluate({ deepEquals: { field: base64([1, 2, 3, 4]) } }, { field: base64([1, 2, 3, 4]) }, 'base64'), true);
    assert.equal(evaluate({ deepEquals: { field: base64([1, 2, 4]) } }, { field: base64([1, 2, 3, 4]) }, 'base64'), false);
  });
});

describe('deepEquals on JSON bodies', () => {
  const cases: ReadonlyArray<readonly [string, unknown, Record<string, unknown>, boolean]> = [
    ['a field that is not JSON', { deepEquals: { field: { key: 'VALUE' } } }, { field: '"key": "VALUE"' }, false],
    ['a JSON attribute', { deepEquals: { field: { key: 'VALUE' } } }, { field: '{"key": "VALUE"}' }, true],
    ['a JSON attribute with another value', { deepEquals: { field: { key: 'test' } } }, { field: '{ "key": "VALUE"}' }, false],
    [
      'nested objects',
      { deepEquals: { field: { key: 'value', outer: { inner: 'value' } } } },
      { field: '{"key": "VALUE", "outer": { "inner": "value" } }' },
      true,
    ],
    ['a missing key', { deepEquals: { field: { key: 'value', outer: { inner: 'value' } } } }, { field: '{"outer": { "inner": "value" } }' }, false],
    ['an extra JSON key', { deepEquals: { body: { key: 'value' } } }, { body: '{"key": "value", "other": 1}' }, false],
    ['arrays regardless of order', { deepEquals: { field: { key: [2, 1, 3] } } }, { field: '{"key": [3, 1, 2] }' }, true],
    ['arrays of objects', { deepEquals: { examples: [{ key: 'first' }, { key: 'second' }] } }, { examples: '[{ "key": "first" }, { "key": "second" }]' }, true],
    [
      'arrays of objects with an extra element',
      { deepEquals: { examples: [{ key: 'first' }, { key: 'second' }] } },
      { examples: '[{ "key": "first" }, { "different": true }, { "key": "second" }]' },
      false,
    ],
    [
      'arrays of objects out of order',
      { deepEquals: { examples: [{ key: 'second' }, { key: 'first' }] } },
      { examples: '[{ "key": "first" }, { "key": "second" }]' },
      true,
    ],
    ['keys differing in case', { deepEquals: { body: { KEY: 'Value' } } }, { body: '{ "Key": "value" }' }, true],
    ['keys differing in case when caseSensitive', { deepEquals: { body: { KEY: 'Value' } }, caseSensitive: true }, { body: '{ "Key": "value" }' }, false],
    [
      'numbers against strings',
      { deepEquals: { body: { config: { ports: ['8080', '3000'], timeout: '30' } } } },
      { body: '{"config": {"ports": [3000, 8080], "timeout": 30}}' },
      true,
    ],
    ['{} against an empty body', { deepEquals: { body: {} } }, { body: '' }, false],
    ['{} against "{}"', { deepEquals: { body: {} } }, { body: '{}' }, true],
    ['a JSON string body compared as a string', { deepEquals: { body: '{"a":1}' } }, { body: '{"a":1}' }, true],
  ];
  for (const [name, predicate, request, expected] of cases) {
    it(`${expected ? 'matches' : 'does not match'}: ${name}`, () => assert.equal(evaluate(predicate, request), expected));
  }

  it('matches the documented JSON-body stub (httpStubTest)', () => {
    const request = { body: '{"key": "value", "arr": [3,2,1]}' };
    assert.equal(evaluate({ deepEquals: { body: { key: 'value', arr: [2, 1, 3] } } }, request), true);
    assert.equal(evaluate({ deepEquals: { body: { key: 'value', arr: [2, 1] } } }, request), false);
  });
});
