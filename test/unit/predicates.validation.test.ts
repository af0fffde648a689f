// Compile-time validation: every bad predicate is refused with a StandinError naming the problem,
// with `source` = the offending (possibly nested) predicate, before any request is seen.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StandinError } from '../../src/model/errors.js';
import { compilePredicate, compilePredicates, MatchRequest, type CompileOptions } from '../../src/matching/index.js';

const utf8: CompileOptions = { encoding: 'utf8' };
const binary: CompileOptions = { encoding: 'base64' };

function refused(compile: () => unknown, code: string, message: string | RegExp, source: unknown): void {
  assert.throws(compile, (error: unknown) => {
    assert.ok(error instanceof StandinError, `expected a StandinError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    assert.equal(error.source, source);
    return true;
  });
}

describe('predicate validation', () => {
  it('refuses a predicate that is not an object with "missing predicate"', () => {
    for (const predicate of ['equals', 42, null, [{ equals: { path: '/' } }], true]) {
      refused(() => compilePredicate(predicate, utf8), 'bad data', 'missing predicate', predicate);
    }
  });

  it('refuses an object without a known operator with "missing predicate" and what would do', () => {
    for (const predicate of [{}, { equal: { path: '/' } }, { caseSensitive: true }, { Equals: { path: '/' } }]) {
      refused(() => compilePredicate(predicate, utf8), 'bad data', /^missing predicate: .*; use one of equals, deepEquals, /, predicate);
    }
    const typo = { equal: { path: '/' } };
    refused(() => compilePredicate(typo, utf8), 'bad data', /"equal" is not a predicate operator \(did you mean "equals"\?\)/, typo);
  });

  it('refuses two operators in one predicate object', () => {
    const predicate = { equals: { path: '/test' }, contains: { path: 'other' } };
    refused(() => compilePredicate(predicate, utf8), 'bad data', /^each predicate object must have only one predicate operator.*equals, contains/, predicate);
  });

  it('refuses and/or that are not arrays and not that is not an object', () => {
    const and = { and: { equals: { path: '/' } } };
    const or = { or: 'x' };
    const not = { not: [{ equals: { path: '/' } }] };
    refused(() => compilePredicate(and, utf8), 'bad data', 'the and predicate must be an array of predicates', and);
    refused(() => compilePredicate(or, utf8), 'bad data', 'the or predicate must be an array of predicates', or);
    refused(() => compilePredicate(not, utf8), 'bad data', 'the not predicate must be a predicate object', not);
  });

  it('refuses an operator whose value is not an object of fields', () => {
    for (const predicate of [{ equals: 'x' }, { deepEquals: null }, { contains: ['a'] }, { exists: true }, { matches: 5 }]) {
      refused(() => compilePredicate(predicate, utf8), 'bad data', /^the \w+ predicate must be an object of request fields/, predicate);
    }
  });

  it('refuses a bad regular expression in matches, naming the pattern and the JavaScript error', () => {
    const predicate = { matches: { body: '(unclosed' } };
    refused(() => compilePredicate(predicate, utf8), 'bad data', /"\(unclosed".*Invalid regular expression.*Unterminated group/, predicate);
    const nested = { matches: { query: { key: ['^ok', { deep: '[z-a]' }] } } };
    refused(() => compilePredicate(nested, utf8), 'bad data', /"\[z-a\]".*Invalid regular expression/, nested);
  });

  it('refuses a bad regular expression in except', () => {
    const predicate = { equals: { body: 'x' }, except: '*oops' };
    refused(() => compilePredicate(predicate, utf8), 'bad data', /except regular expression "\*oops".*Invalid regular expression/, predicate);
    const onMatches = { matches: { body: 'x' }, except: '(' };
    refused(() => compilePredicate(onMatches, utf8), 'bad data', /except regular expression "\(".*Invalid regular expression/, onMatches);
  });

  it('refuses an except that is not a string', () => {
    const predicate = { equals: { body: 'x' }, except: { pattern: 'x' } };
    refused(() => compilePredicate(predicate, utf8), 'bad data', /except parameter must be a string/, predicate);
  });

  it('refuses matches, xpath and jsonpath in binary mode', () => {
    const matches = { matches: { data: 'dGVzdA==' } };
    const xpath = { equals: { data: 'dGVzdA==' }, xpath: { selector: '//a' } };
    const jsonpath = { contains: { data: 'dGVzdA==' }, jsonpath: { selector: '$.a' } };
    refused(() => compilePredicate(matches, binary), 'bad data', 'the matches predicate is not allowed in binary mode', matches);
    refused(() => compilePredicate(xpath, binary), 'bad data', 'the xpath predicate parameter is not allowed in binary mode', xpath);
    refused(() => compilePredicate(jsonpath, binary), 'bad data', 'the jsonpath predicate parameter is not allowed in binary mode', jsonpath);
  });

  it('validates predicates nested in and/or/not and names the nested one', () => {
    const badRegex = { matches: { path: '[' } };
    const twoOperators = { equals: { path: '/' }, exists: { body: true } };
    const badXPath = { equals: { body: 'x' }, xpath: { selector: '=*INVALID*=' } };
    refused(() => compilePredicate({ and: [{ equals: { path: '/' } }, badRegex] }, utf8), 'bad data', /Invalid regular expression/, badRegex);
    refused(() => compilePredicate({ or: [{ not: twoOperators }] }, utf8), 'bad data', /only one predicate operator/, twoOperators);
    refused(() => compilePredicate({ not: { and: [badXPath] } }, utf8), 'bad data', 'malformed xpath predicate selector', badXPath);
    const binaryMatches = { matches: { data: 'x' } };
    refused(() => compilePredicate({ or: [binaryMatches] }, binary), 'bad data', 'the matches predicate is not allowed in binary mode', binaryMatches);
  });

  it('validates every predicate of a stub and names the offending one', () => {
    const bad = { startsWith: { path: '/' }, endsWith: { path: 'x' } };
    refused(() => compilePredicates([{ equals: { path: '/' } }, bad], utf8), 'bad data', /only one predicate operator/, bad);
  });

  it('refuses a predicates field that is not an array', () => {
    const predicates = { equals: { path: '/' } };
    refused(() => compilePredicates(predicates, utf8), 'bad data', /predicates field must be an array/, predicates);
  });

  it('matches every request when predicates are undefined, null or []', () => {
    const request = new MatchRequest({ method: 'GET', path: '/anything' });
    for (const predicates of [undefined, null, []]) assert.equal(compilePredicates(predicates, utf8)(request), true);
  });

  it('ANDs the predicates of a stub', () => {
    const matcher = compilePredicates([{ equals: { method: 'GET' } }, { startsWith: { path: '/a' } }, { not: { contains: { path: 'x' } } }], utf8);
    assert.equal(matcher(new MatchRequest({ method: 'GET', path: '/abc' })), true);
    assert.equal(matcher(new MatchRequest({ method: 'POST', path: '/abc' })), false);
    assert.equal(matcher(new MatchRequest({ method: 'GET', path: '/b' })), false);
    assert.equal(matcher(new MatchRequest({ method: 'GET', path: '/ax' })), false);
  });

  it('ignores unknown parameters, as mountebank does', () => {
    assert.equal(compilePredicate({ equals: { path: '/x' }, comment: 'why' }, utf8)(new MatchRequest({ path: '/X' })), true);
  });
});
