// The xpath predicate parameter: mountebank's xpathTest.js cases (namespaces, count(), boolean(),
// empty elements, case), the xpath docs example, per-request caching and validation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DOMParser } from '@xmldom/xmldom';
import { StandinError } from '../../src/model/errors.js';
import { compilePredicate, compilePredicates, MatchRequest } from '../../src/matching/index.js';

function evaluate(predicate: unknown, request: Record<string, unknown>): boolean {
  return compilePredicate(predicate, { encoding: 'utf8' })(new MatchRequest(request));
}

const namespacedRoot =
  '<root xmlns:thisa="http://example.com/a" xmlns:thisb="http://example.com/b">' +
  '  <thisa:child>First</thisa:child>  <thisa:child>Second</thisa:child>  <thisa:child>Third</thisa:child></root>';
const swappedRoot =
  '<root xmlns:b="http://example.com/a" xmlns:a="http://example.com/b">' +
  '  <a:child>First</a:child>  <a:child>Second</a:child>  <a:child>Third</a:child></root>';
const abNamespaces = { a: 'http://example.com/a', b: 'http://example.com/b' };
const book = '<book xmlns:bookml="http://example.com/book"><bookml:title>Harry Potter</bookml:title></book>';
const upperBook = '<book xmlns:bookml="http://EXAMPLE.COM/book"><bookml:title>Harry Potter</bookml:title></book>';
const namespaced = '//*[local-name(.)="title" and namespace-uri(.)="myns"]';

describe('xpath', () => {
  const cases: ReadonlyArray<readonly [string, unknown, Record<string, unknown>, boolean]> = [
    ['equals on a field that is not XML', { equals: { field: 'VALUE' }, xpath: { selector: '//title' } }, { field: 'VALUE' }, false],
    ['equals on an empty field', { equals: { field: 'VALUE' }, xpath: { selector: '//title' } }, { field: '' }, false],
    ['equals on the selected value', { equals: { field: 'VALUE' }, xpath: { selector: '//title' } }, { field: '<doc><title>value</title></doc>' }, true],
    ['equals on another value', { equals: { field: 'NOT VALUE' }, xpath: { selector: '//title' } }, { field: '<doc><title>value</title></doc>' }, false],
    [
      'a selector and document differing in case',
      { equals: { field: 'VALUE' }, xpath: { selector: '//Title' } },
      { field: '<DOC><TITLE>value</TITLE></DOC>' },
      true,
    ],
    [
      'a case-sensitive selector not matching',
      { equals: { field: 'value' }, xpath: { selector: '//Title' }, caseSensitive: true },
      { field: '<DOC><TITLE>value</TITLE></DOC>' },
      false,
    ],
    [
      'a case-sensitive selector matching',
      { equals: { field: 'value' }, xpath: { selector: '//Title' }, caseSensitive: true },
      { field: '<Doc><Title>value</Title></Doc>' },
      true,
    ],
    [
      'except stripped from the selection',
      { equals: { field: 've' }, xpath: { selector: '//Title' }, caseSensitive: true, except: 'alu' },
      { field: '<Doc><Title>value</Title></Doc>' },
      true,
    ],
    [
      'except leaving another value',
      { equals: { field: 'v' }, xpath: { selector: '//Title' }, caseSensitive: true, except: 'alu' },
      { field: '<Doc><Title>value</Title></Doc>' },
      false,
    ],
    ['deepEquals on a field that is not XML', { deepEquals: { field: 'VALUE' }, xpath: { selector: '//title' } }, { field: 'VALUE' }, false],
    [
      'deepEquals on an attribute',
      { deepEquals: { field: 'VALUE' }, xpath: { selector: '//title/@href' } },
      { field: '<doc><title href="value">text</title></doc>' },
      true,
    ],
    [
      'deepEquals on another attribute value',
      { deepEquals: { field: 'NOT VALUE' }, xpath: { selector: '//title/@attr' } },
      { field: '<doc><title attr="value">text</title></doc>' },
      false,
    ],
    [
      'deepEquals on every selected value',
      { deepEquals: { field: ['first', 'second'] }, xpath: { selector: '//title' } },
      { field: '<doc><title>first</title><title>second</title></doc>' },
      true,
    ],
    [
      'deepEquals with a selected value missing from the predicate',
      { deepEquals: { field: ['first', 'second'] }, xpath: { selector: '//title' } },
      { field: '<doc><title>first</title><title>second</title><title>third</title></doc>' },
      false,
    ],
    [
      'deepEquals on values out of order',
      { deepEquals: { field: ['first', 'second'] }, xpath: { selector: '//title' } },
      { field: '<doc><title>second</title><title>first</title></doc>' },
      true,
    ],
    [
      'contains in a text node',
      { contains: { field: 'value' }, xpath: { selector: '//title/text()' } },
      { field: '<doc><title>this is a value</title></doc>' },
      true,
    ],
    [
      'contains not in a text node',
      { contains: { field: 'VALUE' }, xpath: { selector: '//title/text()' }, caseSensitive: true },
      { field: '<doc><title>this is a value</title></doc>' },
      false,
    ],
    [
      'startsWith on a default-namespaced node',
      { startsWith: { field: 'Harry' }, xpath: { selector: namespaced } },
      { field: '<book><title xmlns="myns">Harry Potter</title></book>' },
      true,
    ],
    [
      'startsWith not on a default-namespaced node',
      { startsWith: { field: 'Potter' }, xpath: { selector: namespaced } },
      { field: '<book><title xmlns="myns">Harry Potter</title></book>' },
      false,
    ],
    [
      'startsWith without a namespaced node',
      { startsWith: { field: 'Harry' }, xpath: { selector: namespaced } },
      { field: '<book><title>Harry Potter</title></book>' },
      false,
    ],
    [
      'endsWith with an aliased namespace',
      { endsWith: { field: 'Potter' }, xpath: { selector: '//bookml:title/text()', ns: { bookml: 'http://example.com/book' } } },
      { field: book },
      true,
    ],
    [
      'endsWith with capitals in the namespace URL',
      { endsWith: { field: 'Potter' }, xpath: { selector: '//bookml:title/text()', ns: { bookml: 'http://EXAMPLE.COM/book' } } },
      { field: upperBook },
      true,
    ],
    [
      'equals with capitals in the namespace URL when caseSensitive',
      { equals: { field: 'Harry Potter' }, caseSensitive: true, xpath: { selector: '//bookml:title/text()', ns: { bookml: 'http://EXAMPLE.COM/book' } } },
      { field: upperBook },
      true,
    ],
    [
      'endsWith with an aliased namespace not ending so',
      { endsWith: { field: 'Harry' }, xpath: { selector: '//bookml:title/text()', ns: { bookml: 'http://example.com/book' } } },
      { field: '<b:book xmlns:b="http://example.com/book"><b:title>Harry Potter</b:title></b:book>' },
      false,
    ],
    ['equals on any matched node', { equals: { field: 'Second' }, xpath: { selector: '//a:child', ns: abNamespaces } }, { field: namespacedRoot }, true],
    [
      'equals where only the aliases match, not the URLs',
      { equals: { field: 'Second' }, xpath: { selector: '//a:child', ns: abNamespaces } },
      { field: swappedRoot },
      false,
    ],
    ['matches on a field that is not XML', { matches: { field: 'VALUE' }, xpath: { selector: '//title' } }, { field: 'VALUE' }, false],
    ['matches on the selected value', { matches: { field: '^v' }, xpath: { selector: '//title' } }, { field: '<doc><title>value</title></doc>' }, true],
    ['matches not on the selected value', { matches: { field: 'v$' }, xpath: { selector: '//title' } }, { field: '<doc><title>value</title></doc>' }, false],
    ['matches uses the selector as written', { matches: { body: '^v' }, xpath: { selector: '//a' } }, { body: '<A>value</A>' }, false],
    ['matches with a selector in the document case', { matches: { body: '^v' }, xpath: { selector: '//A' } }, { body: '<A>value</A>' }, true],
    ['exists with a selection', { exists: { field: true }, xpath: { selector: '//title' } }, { field: '<doc><title>value</title></doc>' }, true],
    ['exists without a selection', { exists: { field: true }, xpath: { selector: '//title' } }, { field: '<doc><summary>value</summary></doc>' }, false],
    [
      'a number from count()',
      { equals: { field: 2 }, xpath: { selector: 'count(//title)' } },
      { field: '<doc><title>first</title><title>second</title></doc>' },
      true,
    ],
    [
      'another number from count()',
      { equals: { field: 3 }, xpath: { selector: 'count(//title)' } },
      { field: '<doc><title>first</title><title>second</title></doc>' },
      false,
    ],
    ['false from boolean()', { equals: { field: false }, xpath: { selector: 'boolean(//title)' } }, { field: '<doc></doc>' }, true],
    ['true from boolean()', { equals: { field: 'true' }, xpath: { selector: 'boolean(//title)' } }, { field: '<doc><title/></doc>' }, true],
    // Text without elements has no document in mountebank 2.9.3 and later (2.9.1 counted 0).
    ['count() of text without elements', { equals: { body: 0 }, xpath: { selector: 'count(//a)' } }, { body: 'hello' }, false],
    ['count() of an empty body (no document)', { equals: { body: 0 }, xpath: { selector: 'count(//a)' } }, { body: '' }, false],
    ['a string() result', { equals: { body: 'x' }, xpath: { selector: 'string(//a)' } }, { body: '<r><a>X</a></r>' }, true],
    ['an empty element exists (issue #163)', { exists: { field: true }, xpath: { selector: '//book' } }, { field: '<books><book></book></books>' }, true],
    ['a missing element does not exist (issue #163)', { exists: { field: true }, xpath: { selector: '//book' } }, { field: '<books></books>' }, false],
    [
      'an element with child elements exists (issue #163)',
      { exists: { field: true }, xpath: { selector: '//book' } },
      { field: '<books><book><title>Game of Thrones</title></book></books>' },
      true,
    ],
    [
      'an array of values',
      { equals: { field: ['first', 'third', 'second'] }, xpath: { selector: '//value' } },
      { field: '<values><value>first</value><value>second</value><value>third</value></values>' },
      true,
    ],
    [
      'an array with a value not selected',
      { equals: { field: ['first', 'fourth'] }, xpath: { selector: '//value' } },
      { field: '<values><value>first</value><value>second</value></values>' },
      false,
    ],
    [
      'matches keeping the selector usable without caseSensitive (issue #361)',
      { matches: { body: '111\\.222\\.333\\.*' }, xpath: { selector: '/ipAddress' } },
      { body: '<ipAddress>111.222.333.456</ipAddress>' },
      true,
    ],
    ['an entity in a text node', { equals: { body: '&t' }, xpath: { selector: '//c' } }, { body: '<a><c>&amp;t</c></a>' }, true],
    ['a comment as the first child', { equals: { body: 'x' }, xpath: { selector: '//c' } }, { body: '<a><c><!--x-->t</c></a>' }, true],
    ['several text nodes', { equals: { body: 'u' }, xpath: { selector: '/a/text()' } }, { body: '<a>t<b/>u</a>' }, true],
    [
      'a query value selected (selection applies to every string)',
      { equals: { query: { q: 't' } }, xpath: { selector: '//c' } },
      { query: { q: '<a><c>t</c></a>' }, body: 'zzz' },
      true,
    ],
    // mountebank 2.9.3 and later (xmldom 0.9): malformed text has no document, so nothing is selected.
    ['a document cut short by malformed text', { exists: { body: true }, xpath: { selector: '/r/a/text()' } }, { body: '<r><a>1</a><>x</></r>' }, false],
    ['two root elements', { equals: { body: 'x' }, xpath: { selector: '//a' } }, { body: '<a>x</a><b/>' }, false],
    ['an unclosed element', { exists: { body: false }, xpath: { selector: '//a' } }, { body: '<a>x' }, true],
    ['text after the root (a warning only)', { equals: { body: 'x' }, xpath: { selector: '//a' } }, { body: '<a>x</a>trailing' }, true],
  ];
  for (const [name, predicate, request, expected] of cases) {
    it(`${expected ? 'matches' : 'does not match'}: ${name}`, () => assert.equal(evaluate(predicate, request), expected));
  }

  it('follows the xpath documentation example', () => {
    const isbn = 'http://schemas.isbn.org/ns/1999/basic.dtd';
    const stubs = [
      [
        { equals: { body: 'Harry Potter' }, xpath: { selector: '//title' }, caseSensitive: true },
        { equals: { body: 'POTTER' }, xpath: { selector: '//TITLE' }, except: 'HARRY ' },
        { matches: { body: '^Harry' }, xpath: { selector: '//title' } },
        { exists: { body: true }, xpath: { selector: '//title' } },
        { exists: { body: false }, xpath: { selector: '//title/@first' } },
        { equals: { body: 3 }, xpath: { selector: 'count(//title)' } },
        { equals: { body: true }, xpath: { selector: 'boolean(//title)' } },
      ],
      [
        { contains: { body: 'dragons' }, xpath: { selector: '//isbn:summary', ns: { isbn } } },
        { contains: { body: 'dragons' }, xpath: { selector: `//*[local-name(.)='summary' and namespace-uri(.)='${isbn}']` } },
        { exists: { body: false }, xpath: { selector: '//title/@first' } },
      ],
      [
        { deepEquals: { body: '3' }, xpath: { selector: '//books/@count' } },
        { deepEquals: { body: ['false', 'false', 'true'] }, xpath: { selector: '//title/@first' } },
      ],
    ].map((predicates) => compilePredicates(predicates, { encoding: 'utf8' }));
    const firstMatch = (body: string): number => {
      const request = new MatchRequest({ method: 'POST', path: '/', body });
      return stubs.findIndex((stub) => stub(request));
    };
    const books = (attributes: string, title: (name: string, index: number) => string): string =>
      `<books ${attributes} xmlns:isbn="${isbn}">` +
      ['Game of Thrones', 'Harry Potter', 'The Hobbit']
        .map(
          (name, index) =>
            `<book>${title(name, index)}<isbn:summary>${['Dragons and political intrigue', 'Dragons and a boy wizard', 'A dragon and short people'][index]}</isbn:summary></book>`,
        )
        .join('') +
      '</books>';
    assert.equal(firstMatch(books('', (name) => `<title>${name}</title>`)), 0);
    assert.equal(firstMatch(books('', (name) => `<isbn:title>${name}</isbn:title>`)), 1);
    assert.equal(firstMatch(books('count="3"', (name, index) => `<title first="${index === 2}">${name}</title>`)), 2);
    assert.equal(firstMatch(books('count="4"', (name, index) => `<title first="${index === 2}">${name}</title>`)), -1);
  });

  it('parses one XML document per request for every xpath predicate on the same field', () => {
    const matchers = ['//a', '//b', 'count(//*)', '//c'].map((selector) =>
      compilePredicate({ exists: { body: true }, xpath: { selector } }, { encoding: 'utf8' }),
    );
    const parse = DOMParser.prototype.parseFromString;
    let parses = 0;
    DOMParser.prototype.parseFromString = function (this: DOMParser, ...args: Parameters<typeof parse>) {
      parses++;
      return parse.apply(this, args);
    };
    try {
      // A comment sends the body to xmldom (the fast parser refuses it), where parses can be counted.
      const request = new MatchRequest({ body: '<r><!-- x --><a>1</a><b>2</b></r>' });
      assert.deepEqual(
        matchers.map((matcher) => matcher(request)),
        [true, true, true, false],
      );
      assert.equal(parses, 1);
      // A new request parses its own body.
      assert.equal((matchers[0] as (request: MatchRequest) => boolean)(new MatchRequest({ body: '<r><!-- x --></r>' })), false);
      assert.equal(parses, 2);
    } finally {
      DOMParser.prototype.parseFromString = parse;
    }
  });
});

describe('xpath validation', () => {
  const refused = (predicate: unknown, message: string | RegExp, encoding: 'utf8' | 'base64' = 'utf8'): void => {
    assert.throws(
      () => compilePredicate(predicate, { encoding }),
      (error: unknown) =>
        error instanceof StandinError &&
        error.code === 'bad data' &&
        (typeof message === 'string' ? error.message === message : message.test(error.message)) &&
        error.source === predicate,
    );
  };
  it('refuses a malformed selector', () => {
    refused({ equals: { field: 'value' }, xpath: { selector: '=*INVALID*=' } }, 'malformed xpath predicate selector');
  });
  it('refuses a selector with an undeclared prefix or unknown function', () => {
    refused({ equals: { field: 'value' }, xpath: { selector: '//b:c' } }, 'malformed xpath predicate selector');
    refused({ equals: { field: 'value' }, xpath: { selector: 'nosuchfunction(//a)' } }, 'malformed xpath predicate selector');
  });
  it('refuses a missing selector and non-string namespace URIs', () => {
    refused({ equals: { field: 'value' }, xpath: {} }, /xpath predicate parameter must be an object with a non-empty string selector/);
    refused({ equals: { field: 'value' }, xpath: { selector: '//a', ns: { a: 1 } } }, /optional ns object of string URIs/);
  });
  it('refuses xpath in binary mode', () => {
    refused({ equals: { field: 'dGVzdA==' }, xpath: { selector: 'dGVzdA==' } }, 'the xpath predicate parameter is not allowed in binary mode', 'base64');
  });
  it('accepts a prefix declared in ns', () => {
    assert.doesNotThrow(() => compilePredicate({ equals: { field: 'v' }, xpath: { selector: '//b:c', ns: { b: 'urn:b' } } }, { encoding: 'utf8' }));
  });
});
