// The injection sandbox and the behaviors' small parts, without sockets: compiling, time limits,
// callbacks and promises; CSV parsing; token replacement in values and keys.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileScript, runSync, runWithCallback, InjectionSyntaxError, InjectionTimeoutError } from '../../src/injection/index.js';
import { parseCsv } from '../../src/responses/csvTable.js';
import { replaceEverywhere } from '../../src/responses/replaceTokens.js';

describe('compileScript', () => {
  it('compiles function expressions, arrows and async functions once', () => {
    assert.equal(compileScript('function (a, b) { return a + b; }', 't')(1, 2), 3);
    assert.equal(compileScript('(x) => x * 2', 't')(4), 8);
    assert.equal(typeof compileScript('async function () {}', 't'), 'function');
  });

  it('refuses what does not compile or is not a function', () => {
    assert.throws(() => compileScript('function ( {', 't'), InjectionSyntaxError);
    assert.throws(() => compileScript('42', 't'), /expected a JavaScript function, got number/);
    assert.throws(() => compileScript('}) ; (function () {', 't'), InjectionSyntaxError);
  });

  it('gives scripts require', () => {
    assert.equal(compileScript("function () { return require('node:path').join('a', 'b'); }", 't')(), 'a/b');
  });
});

describe('runSync', () => {
  it('returns, rethrows, and stops a loop after the limit', () => {
    assert.equal(runSync(compileScript('function (x) { return x + 1; }', 't'), [1], 1_000), 2);
    assert.equal(runSync(compileScript('function (x) { return x + 1; }', 't'), [1], 0), 2);
    assert.throws(() => runSync(compileScript("function () { throw new TypeError('no'); }", 't'), [], 1_000), TypeError);
    assert.throws(() => runSync(compileScript('function () { while (true) {} }', 't'), [], 100), InjectionTimeoutError);
  });
});

describe('runWithCallback', () => {
  it('takes a returned value, a promise, or a callback', async () => {
    assert.equal(await runWithCallback(compileScript('() => 1', 't'), () => [], 1_000), 1);
    assert.equal(await runWithCallback(compileScript('async () => 2', 't'), () => [], 1_000), 2);
    assert.equal(await runWithCallback(compileScript('(cb) => { setTimeout(() => cb(3), 5); }', 't'), (cb) => [cb], 1_000), 3);
  });

  it('fails on a callback never called, a rejected promise and a throwing timer callback', async () => {
    await assert.rejects(
      runWithCallback(compileScript('() => undefined', 't'), () => [], 100),
      /did not call back within 100 ms/,
    );
    await assert.rejects(
      runWithCallback(compileScript("async () => { throw new Error('r'); }", 't'), () => [], 1_000),
      /^Error: r$/,
    );
    await assert.rejects(
      runWithCallback(compileScript("() => { setTimeout(() => { throw new Error('t'); }, 1); }", 't'), () => [], 1_000),
      /^Error: t$/,
    );
    await assert.rejects(
      runWithCallback(compileScript('() => { setImmediate(() => { for (;;) {} }); }', 't'), () => [], 100),
      InjectionTimeoutError,
    );
  });
});

describe('parseCsv', () => {
  it('reads quoted fields, doubled quotes, line breaks in quotes, CRLF, delimiters and skips blank lines', () => {
    assert.deepEqual(parseCsv('a,b\r\n"x, y","say ""hi"""\n\n"multi\nline",2\n', ','), [
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['multi\nline', '2'],
    ]);
    assert.deepEqual(parseCsv('a;b\n1;2', ';'), [
      ['a', 'b'],
      ['1', '2'],
    ]);
    assert.deepEqual(parseCsv('a,,c', ','), [['a', '', 'c']]);
  });
});

describe('replaceEverywhere', () => {
  it('replaces in string values and object keys at any depth, arrays included, leaving other values', () => {
    const response = { statusCode: 'T', headers: { 'X-T': 'T' }, body: { T: ['T1', { deep: 'xTx' }], n: 5, none: null } };
    replaceEverywhere(response, (s) => s.replaceAll('T', 'v'));
    assert.deepEqual(response, { statusCode: 'v', headers: { 'X-v': 'v' }, body: { v: ['v1', { deep: 'xvx' }], n: 5, none: null } });
  });
});
