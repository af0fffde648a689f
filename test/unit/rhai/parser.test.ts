// The parser: what it accepts as Rhai does, and the syntax errors it raises with their line and
// column (standin answers them as a 400 when an imposter is created).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRhai, RhaiSyntaxError } from '../../../src/scripting/rhai/index.js';

function syntaxError(source: string): RhaiSyntaxError {
  try {
    compileRhai(source);
  } catch (err) {
    assert.ok(err instanceof RhaiSyntaxError, `expected a RhaiSyntaxError, got ${String(err)}`);
    return err;
  }
  assert.fail(`expected a syntax error for: ${source}`);
}

function expectError(source: string, line: number, column: number, pattern: RegExp): void {
  const err = syntaxError(source);
  assert.match(err.message, pattern);
  assert.equal(err.line, line, `line of: ${err.message}`);
  assert.equal(err.column, column, `column of: ${err.message}`);
  assert.match(err.message, new RegExp(`\\(line ${line}, column ${column}\\)$`), 'the message names the line and column');
}

describe('Rhai parser: what it accepts', () => {
  it('takes comments, nested block comments, optional semicolons and trailing commas', () => {
    const program = compileRhai(`
      // a line comment
      /* a block /* nested */ comment */
      fn f(a, b,) {
        let list = [1, 2, 3,];
        let map = #{ a: 1, "b-c": 2, };
        if a > b { a } else { b };
        while false { } ;
        list.len() + map.len() // no semicolon on the last statement
      }
      ;;
    `);
    assert.equal(program.hasFunction('f'), true);
    assert.equal(program.hasFunction('g'), false);
    assert.equal(program.call('f', [1, 2]), 5);
  });

  it('follows Rhai precedence: comparisons below arithmetic, && below ==, ranges below +', () => {
    const p = compileRhai('fn f() { 1 + 2 * 3 == 7 && 10 - 2 - 3 == 5 || false }\nfn g() { let s = 0; for i in 1..1 + 2 { s += i; } s }');
    assert.equal(p.call('f', []), true);
    assert.equal(p.call('g', []), 3);
  });

  it('ignores a byte-order mark and accepts Windows line ends', () => {
    const p = compileRhai('\uFEFFfn f() {\r\n  let x = 2;\r\n  x * 21\r\n}\r\n');
    assert.equal(p.call('f', []), 42);
    const err = syntaxError('\uFEFFfn f() {\r\n  let x = 2\r\n  x\r\n}');
    assert.equal(err.line, 3);
    assert.equal(err.column, 3);
  });

  it('parses a multi-line script with a string continued across lines', () => {
    const p = compileRhai('fn f() {\n  let s = "one \\\n    two";\n  s\n}');
    assert.equal(p.call('f', []), 'one two');
  });
});

describe('Rhai parser: syntax errors name the line and column', () => {
  it('a missing semicolon between statements', () => {
    expectError('fn f() {\n  let x = 1\n  x\n}', 3, 3, /expected ';' to end this statement, found 'x'/);
  });

  it('a block that is never closed', () => {
    expectError('fn f() {\n  let x = 1;', 1, 8, /this block is never closed by '\}'/);
  });

  it('a string that is never closed', () => {
    expectError('fn f() { let s = "abc; }', 1, 18, /this string is never closed/);
    expectError('fn f() { `abc }', 1, 10, /never closed by `/);
  });

  it('an unexpected character and an unknown escape', () => {
    expectError('fn f() {\n  let x = 1 @ 2;\n}', 2, 13, /unexpected character '@'/);
    expectError('fn f() { "a\\qb" }', 1, 12, /invalid escape sequence '\\q'/);
  });

  it('an expression that stops short', () => {
    expectError('fn f() { let x = 1 + ; }', 1, 22, /expected an expression, found ';'/);
    expectError('fn f() { foo(1, 2 }', 1, 19, /expected '\)' to close the arguments, found '\}'/);
  });

  it('a function defined inside a block', () => {
    expectError('fn f() {\n  fn g() { }\n}', 2, 3, /functions can only be defined at the top level/);
  });

  it('break and continue outside a loop', () => {
    expectError('fn f() { break; }', 1, 10, /'break' can only be used inside a loop/);
    expectError('fn f() { if true { continue; } }', 1, 20, /'continue' can only be used inside a loop/);
  });

  it('assigning to a constant or to something that cannot be assigned', () => {
    expectError('fn f() { const X = 1; X = 2; }', 1, 23, /cannot assign to the constant 'X'/);
    expectError('fn f() { 1 + 1 = 2; }', 1, 16, /cannot assign to this expression/);
  });

  it('a property twice in one object map, and a function defined twice', () => {
    expectError('fn f() { #{a: 1, a: 2} }', 1, 18, /property 'a' appears twice/);
    expectError('fn f() { }\nfn f() { }', 2, 1, /function 'f' with 0 parameter\(s\) is defined twice/);
  });

  it('a reserved word used as a name', () => {
    expectError('fn f() { let if = 1; }', 1, 14, /'if' is a reserved word/);
  });

  it('an error inside a ${...} interpolation', () => {
    expectError('fn f() {\n  `a ${1 +} b`\n}', 2, 11, /expected an expression, found the end of the script/);
  });
});
