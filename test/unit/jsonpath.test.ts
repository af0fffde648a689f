// The jsonpath predicate parameter: mountebank's jsonpathTest.js cases, the jsonpath docs example,
// per-request caching of the parsed body, and selector validation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StandinError } from '../../src/model/errors.js';
import { compilePredicate, compilePredicates, MatchRequest } from '../../src/matching/index.js';
import { countJsonParses } from '../support/countJsonParses.js';

function evaluate(predicate: unknown, request: Record<string, unknown>): boolean {
  return compilePredicate(predicate, { encoding: 'utf8' })(new MatchRequest(request));
}

const field = (value: unknown): { field: string } => ({ field: JSON.stringify(value) });

describe('jsonpath', () => {
  const cases: ReadonlyArray<readonly [string, unknown, Record<string, unknown>, boolean]> = [
    ['equals on a field that is not JSON', { equals: { field: 'VALUE' }, jsonpath: { selector: '$..title' } }, { field: 'VALUE' }, false],
    ['equals on the selected value', { equals: { field: 'VALUE' }, jsonpath: { selector: '$..title' } }, field({ title: 'VALUE' }), true],
    ['equals on another value', { equals: { field: 'NOT VALUE' }, jsonpath: { selector: '$..title' } }, field({ title: 'VALUE' }), false],
    ['a selector differing in case', { equals: { field: 'VALUE' }, jsonpath: { selector: '$..Title' } }, field({ title: 'VALUE' }), true],
    [
      'a case-sensitive selector not matching',
      { equals: { field: 'value' }, jsonpath: { selector: '$..title' }, caseSensitive: true },
      field({ TITLE: 'value' }),
      false,
    ],
    [
      'a case-sensitive selector matching',
      { equals: { field: 'value' }, jsonpath: { selector: '$..Title' }, caseSensitive: true },
      field({ Title: 'value' }),
      true,
    ],
    [
      'except stripped from the selection',
      { equals: { field: 've' }, jsonpath: { selector: '$..Title' }, caseSensitive: true, except: 'alu' },
      field({ Title: 'value' }),
      true,
    ],
    [
      'except leaving another value',
      { equals: { field: 'v' }, jsonpath: { selector: '$..Title' }, caseSensitive: true, except: 'alu' },
      field({ Title: 'value' }),
      false,
    ],
    ['deepEquals on a field that is not JSON', { deepEquals: { field: 'VALUE' }, jsonpath: { selector: '$..title' } }, { field: 'VALUE' }, false],
    [
      'deepEquals on another value',
      { deepEquals: { field: 'NOT VALUE' }, jsonpath: { selector: '$.title..attribute' } },
      field({ Title: { attribute: 'value' } }),
      false,
    ],
    [
      'deepEquals on a singly embedded value',
      { deepEquals: { field: 'value' }, jsonpath: { selector: '$.title.attribute' } },
      field({ title: { attribute: 'value' } }),
      true,
    ],
    [
      'deepEquals on a doubly embedded value',
      { deepEquals: { field: 'value' }, jsonpath: { selector: '$.title.attribute.test' } },
      field({ title: { attribute: { test: 'value' } } }),
      true,
    ],
    [
      'deepEquals on several selected values',
      { deepEquals: { field: ['value', 'other value'] }, jsonpath: { selector: '$.title..attribute' } },
      field({ title: [{ attribute: 'value' }, { attribute: 'other value' }] }),
      true,
    ],
    [
      'deepEquals on one indexed value (a string, not an array)',
      { deepEquals: { field: 'value' }, jsonpath: { selector: '$..title[0].attribute' } },
      field({ title: [{ attribute: 'value' }, { attribute: 'other value' }] }),
      true,
    ],
    [
      'deepEquals on several values out of order',
      { deepEquals: { field: ['other value', 'value'] }, jsonpath: { selector: '$.title..attribute' } },
      field({ title: [{ attribute: 'value' }, { attribute: 'other value' }] }),
      true,
    ],
    [
      'deepEquals missing a selected value',
      { deepEquals: { field: ['value', 'other value'] }, jsonpath: { selector: '$.title..attribute' } },
      field({ title: [{ attribute: 'value' }, { attribute: 'other value' }, { attribute: 'last value' }] }),
      false,
    ],
    ['contains in the selected value', { contains: { field: 'value' }, jsonpath: { selector: '$..title' } }, field({ title: 'this is a value' }), true],
    [
      'contains not in the selected value',
      { contains: { field: 'VALUE' }, jsonpath: { selector: '$..title' }, caseSensitive: true },
      field({ title: 'this is a value' }),
      false,
    ],
    ['startsWith on the selected value', { startsWith: { field: 'this' }, jsonpath: { selector: '$..title' } }, field({ title: 'this is a value' }), true],
    [
      'startsWith not on the selected value',
      { startsWith: { field: 'this' }, jsonpath: { selector: '$..title' } },
      field({ title: 'if this is a value, it is a value' }),
      false,
    ],
    ['exists with a selection', { exists: { field: true }, jsonpath: { selector: '$..title' } }, field({ title: 'value' }), true],
    [
      'exists without a selection',
      { exists: { field: true }, jsonpath: { selector: '$..title' } },
      field({ newTitle: 'if this is a value, it is a value' }),
      false,
    ],
    ['exists on a selected 0', { exists: { body: true }, jsonpath: { selector: '$.a' } }, { body: '{"a":0}' }, true],
    ['exists on a selected ""', { exists: { body: true }, jsonpath: { selector: '$.a' } }, { body: '{"a":""}' }, false],
    ['matches on the selected value', { matches: { field: '^v' }, jsonpath: { selector: '$..title' } }, field({ title: 'value' }), true],
    ['matches not on the selected value', { matches: { field: 'v$' }, jsonpath: { selector: '$..title' } }, field({ title: 'value' }), false],
    ['deepEquals on a boolean', { deepEquals: { field: false }, jsonpath: { selector: '$..active' } }, { field: '{ "active": false }' }, true],
    ['equals on a boolean', { equals: { field: false }, jsonpath: { selector: '$..active' } }, { field: '{ "active": false }' }, true],
    ['deepEquals on a number', { deepEquals: { body: { b: '1' } }, jsonpath: { selector: '$.a' } }, { body: '{"a":{"b":1}}' }, true],
    [
      'matches keeping the selector usable without caseSensitive (issue #361)',
      { matches: { body: '111\\.222\\.333\\.*' }, jsonpath: { selector: '$.ipAddress' } },
      { body: '{ "ipAddress": "111.222.333.456" }' },
      true,
    ],
    [
      'matches with caseSensitive and an upper-case selector',
      { matches: { body: 'x' }, jsonpath: { selector: '$.A' }, caseSensitive: true },
      { body: '{"A":"x"}' },
      true,
    ],
    ['an indexed selector on the unsorted array', { equals: { body: 'a' }, jsonpath: { selector: '$.list[1]' } }, { body: '{"list":["b","a"]}' }, true],
    ['any of several selected values', { equals: { body: 'x' }, jsonpath: { selector: '$.a' } }, { body: '{"a":["Y","X"]}' }, true],
    ['an object selected, compared as a string', { equals: { body: 'x' }, jsonpath: { selector: '$.a' } }, { body: '{"a":{"b":"x"}}' }, false],
    ['an object selected, compared as an object', { equals: { body: { b: 'x' } }, jsonpath: { selector: '$.a' } }, { body: '{"a":{"b":"x"}}' }, true],
    ['a JSON scalar body with $', { equals: { body: '5' }, jsonpath: { selector: '$' } }, { body: '5' }, true],
    [
      'a filter expression',
      { equals: { body: 'cheap' }, jsonpath: { selector: '$.items[?(@.price < 10)].name' } },
      { body: '{"items":[{"name":"cheap","price":5},{"name":"dear","price":50}]}' },
      true,
    ],
    [
      'a filter expression excluding the value',
      { equals: { body: 'dear' }, jsonpath: { selector: '$.items[?(@.price < 10)].name' } },
      { body: '{"items":[{"name":"cheap","price":5},{"name":"dear","price":50}]}' },
      false,
    ],
    [
      'a query value selected (selection applies to every string)',
      { equals: { query: { q: 'v' } }, jsonpath: { selector: '$.a' } },
      { query: { q: '{"a":"v"}' } },
      true,
    ],
    [
      'except emptying the body before selection',
      { equals: { body: 'john' }, except: '\\{.*\\}', jsonpath: { selector: '$.user.name' } },
      { body: '{"user": {"name": "john"}}' },
      false,
    ],
  ];
  for (const [name, predicate, request, expected] of cases) {
    it(`${expected ? 'matches' : 'does not match'}: ${name}`, () => assert.equal(evaluate(predicate, request), expected));
  }

  it('follows the jsonpath documentation example', () => {
    const stubs = [
      [
        { equals: { body: 'Catcher in the Rye' }, jsonpath: { selector: '$..title' }, caseSensitive: true },
        { equals: { body: 'RYE' }, jsonpath: { selector: '$..TITLE' }, except: 'CATCHER IN THE ' },
        { matches: { body: '^Catcher' }, jsonpath: { selector: '$..title' } },
        { exists: { body: true }, jsonpath: { selector: '$..title' } },
        { exists: { body: false }, jsonpath: { selector: '$..publisher' } },
      ],
      [
        { deepEquals: { body: 'Robert Cecil Martin' }, jsonpath: { selector: '$.book[1].author' } },
        { deepEquals: { body: ['J. K. Rowling', 'Robert Cecil Martin', 'Dr. Seuss'] }, jsonpath: { selector: '$.book..author' } },
      ],
    ].map((predicates) => compilePredicates(predicates, { encoding: 'utf8' }));
    const firstMatch = (body: unknown): number => {
      const request = new MatchRequest({ method: 'POST', path: '/', body: JSON.stringify(body) });
      return stubs.findIndex((stub) => stub(request));
    };
    const book = (title: string, author: string) => ({ title, 'isbn:summary': 'x', author });
    assert.equal(
      firstMatch({
        book: [
          book('Game of Thrones', 'George R.R. Martin'),
          book('Catcher in the Rye', 'J. D. Salinger'),
          book('Notes from the Underground', 'Fyodor Dostoyevsky'),
        ],
      }),
      0,
    );
    assert.equal(
      firstMatch({ book: [book('Harry Potter', 'J. K. Rowling'), book('Clean Code', 'Robert Cecil Martin'), book('The Cat in the Hat', 'Dr. Seuss')] }),
      1,
    );
    assert.equal(firstMatch({ book: [book('Harry Potter', 'J. K. Rowling'), book('Clean Code', 'Robert Cecil Martin')] }), -1);
  });

  it('parses a body once per request for every jsonpath predicate on it', () => {
    const matchers = ['$.a', '$.b', '$..c', '$.a'].map((selector) => compilePredicate({ equals: { body: 'x' }, jsonpath: { selector } }, { encoding: 'utf8' }));
    const { result, parses } = countJsonParses(() => {
      const request = new MatchRequest({ body: '{"a":"y","b":"y","c":"x"}' });
      return matchers.map((matcher) => matcher(request));
    });
    assert.deepEqual(result, [false, false, true, false]);
    assert.equal(parses, 1);
  });
});

describe('jsonpath validation', () => {
  const refused = (predicate: unknown, message: RegExp): void => {
    assert.throws(
      () => compilePredicate(predicate, { encoding: 'utf8' }),
      (error: unknown) => error instanceof StandinError && error.code === 'bad data' && message.test(error.message) && error.source === predicate,
    );
  };
  it('refuses a missing, empty or non-string selector', () => {
    refused({ equals: { body: 'x' }, jsonpath: {} }, /jsonpath predicate parameter must be an object with a non-empty string selector/);
    refused({ equals: { body: 'x' }, jsonpath: { selector: '' } }, /non-empty string selector/);
    refused({ equals: { body: 'x' }, jsonpath: { selector: 5 } }, /non-empty string selector/);
    refused({ equals: { body: 'x' }, jsonpath: '$.a' }, /non-empty string selector/);
  });
  it('refuses a filter expression that cannot parse', () => {
    refused({ equals: { body: 'x' }, jsonpath: { selector: '$.a[?(@.b ===]' } }, /^malformed jsonpath predicate selector/);
  });
  it('refuses jsonpath in binary mode', () => {
    const predicate = { equals: { data: 'eA==' }, jsonpath: { selector: '$.a' } };
    assert.throws(
      () => compilePredicate(predicate, { encoding: 'base64' }),
      (error: unknown) =>
        error instanceof StandinError && error.message === 'the jsonpath predicate parameter is not allowed in binary mode' && error.source === predicate,
    );
  });
  it('accepts a valid filter expression', () => {
    assert.doesNotThrow(() => compilePredicate({ equals: { body: 'x' }, jsonpath: { selector: '$..book[?(@.price < 10)].title' } }, { encoding: 'utf8' }));
  });
});
