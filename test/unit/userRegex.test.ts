// Users' regexes: how their backtracking cost is rated, and that the linear engine (re2js, fed
// the pattern rewritten by toRe2Syntax) answers what V8 answers, on random texts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { regexCost } from '../../src/matching/regexCost.js';
import { compileUserRegex, linearRegex } from '../../src/matching/userRegex.js';
import { generator, pick } from '../support/random.js';

describe('regexCost', () => {
  const cases: [string, string, number][] = [
    ['hello', '', 1],
    ['^/orders/\\d+/lines/7$', '', 1],
    ['^\\d{4}-\\d{2}$', '', 0],
    ['[a-z]+$', '', 2],
    ['.*foo.*', '', 3],
    ['^(.*)-(.*)$', '', 2],
    ['^\\d+\\d+$', 'm', 3],
    ['a|b*', '', 2],
    ['x{0,1000}y', '', 2],
    ['^(a+)+$', '', Infinity],
    ['(a|ab)*c', '', Infinity],
    ['(\\w+\\s?)*$', '', Infinity],
    ['^(?:abc)*$', '', 1],
    ['^(\\.\\d+)?$', '', 1],
    ['[(+*]+x', '', 2],
    ['\\(a+\\)+', '', 3],
  ];
  for (const [pattern, flags, degree] of cases) {
    it(`${pattern} (${flags || 'no flags'}) has degree ${degree}`, () => {
      assert.equal(regexCost(pattern, flags).degree, degree);
    });
  }

  it('knows which patterns need a backtracking engine', () => {
    assert.equal(regexCost('(a)\\1', '').needsBacktracking, true);
    assert.equal(regexCost('(?<x>a)\\k<x>', '').needsBacktracking, true);
    assert.equal(regexCost('a(?=b)', '').needsBacktracking, true);
    assert.equal(regexCost('(?<!a)b', '').needsBacktracking, true);
    assert.equal(regexCost('(?<name>a+)b', '').needsBacktracking, false);
    assert.equal(regexCost('[\\1]', '').needsBacktracking, false);
  });
});

describe('the linear engine answers what V8 answers', () => {
  const patterns = [
    '[a-z]+$',
    '^(a+)+$',
    '(\\w+\\s?)*$',
    '.*foo.*',
    'a.c',
    '\\s+x',
    '\\S+\\s*$',
    '^\\d+\\d+$',
    '(?<word>[a-z]+)-\\d+',
    '\\u00e9+',
    '[^]a',
    '[\\s,]+$',
    '^(ab|a)*$',
    'x\\/y+',
    '\\bfo+\\b',
    'a{2,}$',
    '(?:ab)+c?$',
  ];
  const alphabet = ['a', 'b', 'c', 'x', 'y', '-', '1', '2', ' ', '\t', '\n', '\r', '\v', '\u00a0', '\u2028', '\u00e9', 'É', 'f', 'o', ',', '/', 'A'];
  const random = generator(19);
  const texts = Array.from({ length: 300 }, () => Array.from({ length: Math.floor(random() * 24) }, () => pick(random, alphabet)).join(''));
  texts.push('aaaa', 'ab-12', 'foo', 'x/yy', 'éé', `${'a'.repeat(12)}!`);
  for (const pattern of patterns) {
    for (const flags of ['', 'i']) {
      it(`${pattern} /${flags}`, () => {
        const v8 = new RegExp(pattern, flags);
        const linear = linearRegex(pattern, flags);
        assert.ok(linear, 'RE2 compiles it');
        for (const text of texts) {
          assert.equal(linear.test(text), v8.test(text), `test(${JSON.stringify(text)})`);
          assert.deepEqual(linear.exec(text)?.[0], v8.exec(text)?.[0], `exec(${JSON.stringify(text)})`);
          assert.equal(linear.replaceAll(text, ''), text.replace(new RegExp(pattern, `g${flags}`), ''), `replace(${JSON.stringify(text)})`);
        }
      });
    }
  }
});

describe('compileUserRegex', () => {
  it('keeps V8 RegExp objects for linear patterns (no cost, same semantics)', () => {
    assert.ok(compileUserRegex('^/orders/\\d+$', 'i', 50) instanceof RegExp);
  });

  it('answers a catastrophic pattern at once', () => {
    const regex = compileUserRegex('^(a+)+$', 'i', 50);
    const started = Date.now();
    assert.equal(regex.test(`${'a'.repeat(5_000)}!`), false);
    assert.equal(regex.test('aAa'), true);
    assert.ok(Date.now() - started < 1_000);
  });

  it('strips an except pattern the way String.replace does', () => {
    const regex = compileUserRegex('[a-z]+!', 'g', 50);
    const text = `${'a'.repeat(5_000)}! ok`;
    assert.equal(text.replace(regex, ''), ' ok');
  });

  it('stops a backreference pattern only V8 can run at the stall limit on the clock, failing the request', () => {
    const regex = compileUserRegex('^(a+)+\\1$', '', 50);
    assert.equal(regex.test('aa'), true);
    const started = performance.now();
    assert.throws(() => regex.test(`${'a'.repeat(40)}!`), /ran for more than 50 ms on this request and was stopped \(--stallLimit\)/);
    assert.ok(performance.now() - started < 1_000);
  });
});
