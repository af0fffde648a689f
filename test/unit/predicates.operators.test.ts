// equals, contains, startsWith, endsWith, matches and exists against mountebank 2.9.1's own unit-test
// edge cases (test/models/predicates/*Test.js): case-insensitivity of keys and values, except,
// multi-valued keys, missing fields as "", numbers/booleans/null vs strings.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compilePredicate, MatchRequest, type CompileOptions } from '../../src/matching/index.js';

const utf8: CompileOptions = { encoding: 'utf8' };

function evaluate(predicate: unknown, request: Record<string, unknown>, options: CompileOptions = utf8): boolean {
  return compilePredicate(predicate, options)(new MatchRequest(request));
}

interface Case {
  readonly name: string;
  readonly predicate: unknown;
  readonly request: Record<string, unknown>;
  readonly expected: boolean;
}

function runCases(cases: readonly Case[]): void {
  for (const { name, predicate, request, expected } of cases) {
    it(`${expected ? 'matches' : 'does not match'}: ${name}`, () => {
      assert.equal(evaluate(predicate, request), expected);
    });
  }
}

describe('equals', () => {
  runCases([
    { name: 'mismatched strings', predicate: { equals: { field: 'value' } }, request: { field: 'other' }, expected: false },
    { name: 'matching strings', predicate: { equals: { field: 'value' } }, request: { field: 'value' }, expected: true },
    { name: 'values differing in case', predicate: { equals: { field: 'VALUE' } }, request: { field: 'Value' }, expected: true },
    {
      name: 'values differing in case when caseSensitive',
      predicate: { equals: { field: 'VALUE' }, caseSensitive: true },
      request: { field: 'Value' },
      expected: false,
    },
    { name: 'a key-value pair', predicate: { equals: { headers: { key: 'value' } } }, request: { headers: { key: 'value' } }, expected: true },
    { name: 'a missing key', predicate: { equals: { headers: { key: 'value' } } }, request: { headers: {} }, expected: false },
    { name: 'a mismatched key value', predicate: { equals: { headers: { key: 'value' } } }, request: { headers: { key: 'other' } }, expected: false },
    { name: 'object values differing in case', predicate: { equals: { headers: { key: 'VALUE' } } }, request: { headers: { key: 'Value' } }, expected: true },
    {
      name: 'object values differing in case when caseSensitive',
      predicate: { equals: { headers: { key: 'VALUE' } }, caseSensitive: true },
      request: { headers: { key: 'Value' } },
      expected: false,
    },
    { name: 'object keys differing in case', predicate: { equals: { headers: { KEY: 'value' } } }, request: { headers: { Key: 'value' } }, expected: true },
    {
      name: 'object keys differing in case when caseSensitive',
      predicate: { equals: { headers: { KEY: 'value' } }, caseSensitive: true },
      request: { headers: { Key: 'value' } },
      expected: false,
    },
    { name: 'top-level field names differing in case', predicate: { equals: { Path: '/x' } }, request: { path: '/X' }, expected: true },
    {
      name: 'top-level field names differing in case when caseSensitive',
      predicate: { equals: { Path: '/x' }, caseSensitive: true },
      request: { path: '/x' },
      expected: false,
    },
    { name: 'a missing field against ""', predicate: { equals: { field: '' } }, request: {}, expected: true },
    { name: 'a missing field against a value', predicate: { equals: { field: 'x' } }, request: {}, expected: false },
    { name: 'a missing query key against ""', predicate: { equals: { query: { x: '' } } }, request: { query: {} }, expected: true },
    { name: 'all fields equal', predicate: { equals: { first: '1', second: '2' } }, request: { first: '1', second: '2' }, expected: true },
    { name: 'one field not equal', predicate: { equals: { first: '1', second: '2' } }, request: { first: '1', second: '3' }, expected: false },
    {
      name: 'equal once the except pattern is stripped',
      predicate: { equals: { field: 'This is a test' }, except: '\\d+' },
      request: { field: '1This is 3a 2test' },
      expected: true,
    },
    {
      name: 'except is case-insensitive by default',
      predicate: { equals: { field: 'is is a test' }, except: '^tH' },
      request: { field: 'This is a test' },
      expected: true,
    },
    {
      name: 'except is case-sensitive when caseSensitive',
      predicate: { equals: { field: 'his is a test' }, except: '^t', caseSensitive: true },
      request: { field: 'This is a test' },
      expected: false,
    },
    {
      name: 'except strips every occurrence',
      predicate: { equals: { field: 'ac' }, except: 'B' },
      request: { field: 'abcb' },
      expected: true,
    },
    { name: 'any value of a multi-valued key', predicate: { equals: { query: { key: '234' } } }, request: { query: { key: ['123', '234'] } }, expected: true },
    { name: 'no value of a multi-valued key', predicate: { equals: { query: { key: '23' } } }, request: { query: { key: ['123', '234'] } }, expected: false },
    { name: 'a number against its string', predicate: { equals: { query: { id: 1 } } }, request: { query: { id: '1' } }, expected: true },
    { name: 'a number against another string', predicate: { equals: { query: { id: 1 } } }, request: { query: { id: '1.0' } }, expected: false },
    { name: 'a boolean against its string', predicate: { equals: { query: { on: true } } }, request: { query: { on: 'TRUE' } }, expected: true },
    { name: 'null against a JSON null', predicate: { equals: { body: { key: null } } }, request: { body: '{ "key": null }' }, expected: true },
    { name: 'null against a missing JSON key', predicate: { equals: { body: { key: null } } }, request: { body: '{}' }, expected: false },
    {
      name: 'null against the string "null" (mountebank)',
      predicate: { equals: { body: { key: null } } },
      request: { body: '{ "key": "null" }' },
      expected: false,
    },
    { name: 'a string against a JSON number', predicate: { equals: { body: { id: '5' } } }, request: { body: '{ "id": 5 }' }, expected: true },
    {
      name: 'the last of two headers that differ only in case',
      predicate: { equals: { headers: { 'x-a': '2' } } },
      request: { headers: { 'X-A': '1', 'x-a': '2' } },
      expected: true,
    },
    {
      name: 'the first of two headers that differ only in case',
      predicate: { equals: { headers: { 'x-a': '1' } } },
      request: { headers: { 'X-A': '1', 'x-a': '2' } },
      expected: false,
    },
    { name: 'an empty predicate object', predicate: { equals: {} }, request: { path: '/' }, expected: true },
    { name: 'operator-like keys as plain data', predicate: { equals: { query: { equals: 'x' } } }, request: { query: { equals: 'X' } }, expected: true },
  ]);
});

describe('contains', () => {
  runCases([
    { name: 'a field without the text', predicate: { contains: { field: 'middle' } }, request: { field: 'begin end' }, expected: false },
    { name: 'a field with the text', predicate: { contains: { field: 'middle' } }, request: { field: 'begin middle end' }, expected: true },
    { name: 'text differing in case', predicate: { contains: { field: 'MIDDLE' } }, request: { field: 'begin Middle end' }, expected: true },
    {
      name: 'text differing in case when caseSensitive',
      predicate: { contains: { field: 'MIDDLE' }, caseSensitive: true },
      request: { field: 'begin Middle end' },
      expected: false,
    },
    {
      name: 'a key value with the text',
      predicate: { contains: { headers: { key: 'middle' } } },
      request: { headers: { key: 'begin middle end' } },
      expected: true,
    },
    { name: 'a missing key', predicate: { contains: { headers: { key: 'middle' } } }, request: { headers: {} }, expected: false },
    {
      name: 'a key value without the text',
      predicate: { contains: { headers: { key: 'middle' } } },
      request: { headers: { key: 'begin end' } },
      expected: false,
    },
    {
      name: 'a key value differing in case',
      predicate: { contains: { headers: { key: 'Middle' } } },
      request: { headers: { key: 'begin MIDDLE end' } },
      expected: true,
    },
    {
      name: 'a key value differing in case when caseSensitive',
      predicate: { contains: { headers: { key: 'Middle' } }, caseSensitive: true },
      request: { headers: { key: 'begin MIDDLE end' } },
      expected: false,
    },
    {
      name: 'one value of a repeated key',
      predicate: { contains: { query: { key: 'mid' } } },
      request: { query: { key: ['begin', 'middle', 'end'] } },
      expected: true,
    },
    {
      name: 'no value of a repeated key',
      predicate: { contains: { query: { key: 'bid' } } },
      request: { query: { key: ['begin', 'middle', 'end'] } },
      expected: false,
    },
    {
      name: 'every array element in some value',
      predicate: { contains: { field: ['be', 'nd', 'iddl'] } },
      request: { field: ['begin', 'middle', 'end'] },
      expected: true,
    },
    {
      name: 'an array element in no value',
      predicate: { contains: { query: { key: ['be', 'nd', 'iddl', 'wtf'] } } },
      request: { query: { key: ['begin', 'middle', 'end'] } },
      expected: false,
    },
    {
      name: 'a subset of a longer array',
      predicate: { contains: { query: { key: ['fi', 'se'] } } },
      request: { query: { key: ['first', 'second', 'third'] } },
      expected: true,
    },
    {
      name: 'arrays of objects',
      predicate: { contains: { query: { key: [{ key1: '1' }, { key1: '2' }] } } },
      request: { query: { key: [{ key1: 'value1' }, { key1: 'value2' }] } },
      expected: true,
    },
    {
      name: 'arrays of objects with one missing',
      predicate: { contains: { query: { key: [{ key1: '1' }, { key1: '2' }] } } },
      request: { query: { key: [{ key1: 'value1' }, { key1: 'value3' }] } },
      expected: false,
    },
    { name: 'a JSON number containing the digits', predicate: { contains: { body: { amount: '23' } } }, request: { body: '{"amount": 1234}' }, expected: true },
    { name: 'a JSON number without the digits', predicate: { contains: { body: { amount: '5' } } }, request: { body: '{"amount": 1234}' }, expected: false },
    { name: 'a JSON null as "null"', predicate: { contains: { body: { a: 'ul' } } }, request: { body: '{"a": null}' }, expected: true },
    { name: 'a JSON object never contains text', predicate: { contains: { body: { a: 'object' } } }, request: { body: '{"a": {"b": 1}}' }, expected: false },
  ]);
});

describe('startsWith', () => {
  runCases([
    { name: 'a field not starting with the text', predicate: { startsWith: { field: 'middle' } }, request: { field: 'begin middle end' }, expected: false },
    { name: 'a field starting with the text', predicate: { startsWith: { field: 'begin' } }, request: { field: 'begin middle end' }, expected: true },
    { name: 'text differing in case', predicate: { startsWith: { field: 'BEGIN' } }, request: { field: 'Begin middle end' }, expected: true },
    {
      name: 'text differing in case when caseSensitive',
      predicate: { startsWith: { field: 'BEGIN' }, caseSensitive: true },
      request: { field: 'Begin middle end' },
      expected: false,
    },
    {
      name: 'a key value starting with the text',
      predicate: { startsWith: { headers: { key: 'begin' } } },
      request: { headers: { key: 'begin middle end' } },
      expected: true,
    },
    { name: 'a missing key', predicate: { startsWith: { headers: { key: 'begin' } } }, request: { headers: {} }, expected: false },
    {
      name: 'a key value not starting with the text',
      predicate: { startsWith: { headers: { key: 'begin' } } },
      request: { headers: { key: 'middle end' } },
      expected: false,
    },
    {
      name: 'one value of a repeated key',
      predicate: { startsWith: { query: { key: 'mid' } } },
      request: { query: { key: ['begin', 'middle', 'end'] } },
      expected: true,
    },
    {
      name: 'no value of a repeated key',
      predicate: { startsWith: { query: { key: 'egin' } } },
      request: { query: { key: ['begin', 'middle', 'end'] } },
      expected: false,
    },
    { name: 'a JSON number by its digits', predicate: { startsWith: { body: { id: '12' } } }, request: { body: '{"id": 123}' }, expected: true },
  ]);
});

describe('endsWith', () => {
  runCases([
    { name: 'a field not ending with the text', predicate: { endsWith: { field: 'middle' } }, request: { field: 'begin middle end' }, expected: false },
    { name: 'a field ending with the text', predicate: { endsWith: { field: 'end' } }, request: { field: 'begin middle end' }, expected: true },
    { name: 'text differing in case', predicate: { endsWith: { field: 'END' } }, request: { field: 'begin middle End' }, expected: true },
    {
      name: 'text differing in case when caseSensitive',
      predicate: { endsWith: { field: 'END' }, caseSensitive: true },
      request: { field: 'begin middle End' },
      expected: false,
    },
    {
      name: 'a key value ending with the text',
      predicate: { endsWith: { headers: { field: 'end' } } },
      request: { headers: { field: 'begin middle end' } },
      expected: true,
    },
    { name: 'a missing key', predicate: { endsWith: { headers: { field: 'end' } } }, request: { headers: {} }, expected: false },
    {
      name: 'a key value not ending with the text',
      predicate: { endsWith: { headers: { field: 'begin' } } },
      request: { headers: { field: 'begin middle end' } },
      expected: false,
    },
    {
      name: 'one value of a repeated key',
      predicate: { endsWith: { query: { key: 'gin' } } },
      request: { query: { key: ['begin', 'middle', 'end'] } },
      expected: true,
    },
    {
      name: 'no value of a repeated key',
      predicate: { endsWith: { query: { key: 'begi' } } },
      request: { query: { key: ['begin', 'middle', 'end'] } },
      expected: false,
    },
    { name: 'text longer than the field', predicate: { endsWith: { field: 'xend' } }, request: { field: 'end' }, expected: false },
    { name: 'a JSON number by its digits', predicate: { endsWith: { body: { id: '23' } } }, request: { body: '{"id": 123}' }, expected: true },
  ]);
});

describe('matches', () => {
  runCases([
    { name: 'a field not matching', predicate: { matches: { field: 'middle$' } }, request: { field: 'begin middle end' }, expected: false },
    { name: 'a field matching', predicate: { matches: { field: 'end$' } }, request: { field: 'begin middle end' }, expected: true },
    { name: 'case-insensitively by default', predicate: { matches: { field: 'END$' } }, request: { field: 'begin middle End' }, expected: true },
    {
      name: 'case-sensitively when caseSensitive',
      predicate: { matches: { field: 'END$' }, caseSensitive: true },
      request: { field: 'begin middle End' },
      expected: false,
    },
    { name: 'upper-case metacharacters kept (\\d\\D\\d)', predicate: { matches: { field: '\\d\\D\\d' } }, request: { field: '1a2' }, expected: true },
    { name: '\\W kept', predicate: { matches: { data: '^first\\Wsecond' }, caseSensitive: true }, request: { data: 'first second' }, expected: true },
    { name: 'a key value', predicate: { matches: { headers: { field: 'end$' } } }, request: { headers: { field: 'begin middle end' } }, expected: true },
    { name: 'a missing key', predicate: { matches: { headers: { field: 'end$' } } }, request: { headers: {} }, expected: false },
    {
      name: 'a key value not matching',
      predicate: { matches: { headers: { field: 'begin\\d+' } } },
      request: { headers: { field: 'begin middle end' } },
      expected: false,
    },
    {
      name: 'one value of a repeated key',
      predicate: { matches: { query: { key: 'iddle$' } } },
      request: { query: { key: ['begin', 'middle', 'end'] } },
      expected: true,
    },
    {
      name: 'no value of a repeated key',
      predicate: { matches: { query: { key: '^iddle' } } },
      request: { query: { key: ['begin', 'middle', 'end'] } },
      expected: false,
    },
    {
      name: 'an array of regexes, each matching some value',
      predicate: { matches: { query: { key: ['^begin', '^middle', 'end$'] } } },
      request: { query: { key: ['begin', 'middle', 'end'] } },
      expected: true,
    },
    {
      name: 'an array of regexes with one matching nothing',
      predicate: { matches: { query: { key: ['^begin', '^middle', '^nd'] } } },
      request: { query: { key: ['begin', 'middle', 'end'] } },
      expected: false,
    },
    {
      name: 'arrays of objects',
      predicate: { matches: { query: { key: [{ key1: 'value1$' }, { key1: '^value2' }] } } },
      request: { query: { key: [{ key1: 'value1' }, { key1: 'value2' }] } },
      expected: true,
    },
    {
      name: 'arrays of objects with one not matching',
      predicate: { matches: { query: { key: [{ key1: 'value1$' }, { key1: '^value2' }] } } },
      request: { query: { key: [{ key1: 'value1' }, { key1: '^alue2' }] } },
      expected: false,
    },
    {
      name: 'object keys differing in case (issue #169)',
      predicate: { matches: { headers: { field: 'end$' } } },
      request: { headers: { FIELD: 'begin middle end' } },
      expected: true,
    },
    {
      name: 'object keys differing in case when caseSensitive',
      predicate: { matches: { headers: { field: 'end$' } }, caseSensitive: true },
      request: { headers: { FIELD: 'begin middle end' } },
      expected: false,
    },
    {
      name: 'values differing in case when caseSensitive',
      predicate: { matches: { headers: { field: 'end$' } }, caseSensitive: true },
      request: { headers: { field: 'begin middle END' } },
      expected: false,
    },
    {
      name: 'same-case keys and values when caseSensitive',
      predicate: { matches: { headers: { field: 'end$' } }, caseSensitive: true },
      request: { headers: { field: 'begin middle end' } },
      expected: true,
    },
    { name: 'after except strips the match', predicate: { matches: { field: 'ab' }, except: 'ab' }, request: { field: 'abcde' }, expected: false },
    { name: 'after except strips non-digits', predicate: { matches: { field: '^\\d{1,10}$' }, except: '\\D' }, request: { field: '1+2' }, expected: true },
    { name: 'except is not applied to the regex itself', predicate: { matches: { field: '^a1$' }, except: '\\d' }, request: { field: 'a1' }, expected: false },
    { name: 'except is case-sensitive for matches', predicate: { matches: { field: '^x' }, except: 'A' }, request: { field: 'aAx' }, expected: false },
    { name: 'a number as a regex', predicate: { matches: { query: { n: 12 } } }, request: { query: { n: 'a12b' } }, expected: true },
    { name: 'a JSON number', predicate: { matches: { body: { n: '^\\d+$' } } }, request: { body: '{"n": 42}' }, expected: true },
  ]);
});

describe('exists', () => {
  runCases([
    { name: 'an integer field with true', predicate: { exists: { field: true } }, request: { field: 0 }, expected: true },
    { name: 'an object field with true', predicate: { exists: { field: true } }, request: { field: {} }, expected: true },
    { name: 'a non-empty string with true', predicate: { exists: { field: true } }, request: { field: 'nonempty' }, expected: true },
    { name: 'an empty string with true', predicate: { exists: { field: true } }, request: { field: '' }, expected: false },
    { name: 'an undefined field with true', predicate: { exists: { field: true } }, request: { field: undefined }, expected: false },
    { name: 'a missing field with true', predicate: { exists: { field: true } }, request: {}, expected: false },
    { name: 'an integer field with false', predicate: { exists: { field: false } }, request: { field: 0 }, expected: false },
    { name: 'an object field with false', predicate: { exists: { field: false } }, request: { field: {} }, expected: false },
    { name: 'a non-empty string with false', predicate: { exists: { field: false } }, request: { field: 'nonempty' }, expected: false },
    { name: 'an empty string with false', predicate: { exists: { field: false } }, request: { field: '' }, expected: true },
    { name: 'an undefined field with false', predicate: { exists: { field: false } }, request: { field: undefined }, expected: true },
    { name: 'a missing key with true', predicate: { exists: { headers: { field: true } } }, request: { headers: {} }, expected: false },
    { name: 'a missing key with false', predicate: { exists: { headers: { field: false } } }, request: { headers: {} }, expected: true },
    { name: 'a non-empty key with true', predicate: { exists: { headers: { key: true } } }, request: { headers: { key: 'nonempty' } }, expected: true },
    { name: 'an empty key with true', predicate: { exists: { headers: { key: true } } }, request: { headers: { key: '' } }, expected: false },
    { name: 'a non-empty key with false', predicate: { exists: { headers: { key: false } } }, request: { headers: { key: 'nonempty' } }, expected: false },
    { name: 'an empty key with false', predicate: { exists: { headers: { key: false } } }, request: { headers: { key: '' } }, expected: true },
    {
      name: 'header names case-insensitively',
      predicate: { exists: { headers: { 'X-One': true } } },
      request: { headers: { 'x-one': 'Test' } },
      expected: true,
    },
    { name: 'a repeated key with true (array short-cut)', predicate: { exists: { query: { a: true } } }, request: { query: { a: ['', ''] } }, expected: true },
    { name: 'a repeated key with false', predicate: { exists: { query: { a: false } } }, request: { query: { a: ['x', 'y'] } }, expected: false },
    { name: 'an empty query value with true', predicate: { exists: { query: { param: true } } }, request: { query: { param: '' } }, expected: false },
    { name: 'a JSON key on an empty body with false (mountebank)', predicate: { exists: { body: { a: false } } }, request: { body: '' }, expected: false },
  ]);
});
