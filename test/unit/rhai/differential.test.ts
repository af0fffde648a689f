// Random well-typed integer and boolean expressions, evaluated by the interpreter and by
// JavaScript. For + - * %, unary minus, comparisons, ! && || and parentheses the two languages
// agree on precedence and on the results for small integers, so any difference is a bug.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRhai } from '../../../src/scripting/rhai/index.js';

/** A small deterministic generator, so a failure can be reproduced from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function intExpr(next: () => number, depth: number): string {
  if (depth <= 0 || next() < 0.3) return String(Math.floor(next() * 20));
  const a = intExpr(next, depth - 1);
  const b = intExpr(next, depth - 1);
  switch (Math.floor(next() * 6)) {
    case 0:
      return `${a} + ${b}`;
    case 1:
      return `${a} - ${b}`;
    case 2:
      return `${a} * ${b}`;
    case 3:
      return `(${a}) % 7 + 1`;
    case 4:
      return `-(${a})`;
    default:
      return `(${a} - ${b})`;
  }
}

function boolExpr(next: () => number, depth: number): string {
  if (depth <= 0 || next() < 0.25) {
    const ops = ['<', '<=', '>', '>=', '==', '!='];
    return `${intExpr(next, 2)} ${ops[Math.floor(next() * ops.length)]} ${intExpr(next, 2)}`;
  }
  const a = boolExpr(next, depth - 1);
  const b = boolExpr(next, depth - 1);
  switch (Math.floor(next() * 4)) {
    case 0:
      return `${a} && ${b}`;
    case 1:
      return `${a} || ${b}`;
    case 2:
      return `!(${a})`;
    default:
      return `(${a}) == (${b})`;
  }
}

describe('Rhai expressions agree with JavaScript', () => {
  it('on 300 random integer and boolean expressions', () => {
    const next = random(20261201);
    const cases = Array.from({ length: 150 }, () => intExpr(next, 4)).concat(Array.from({ length: 150 }, () => boolExpr(next, 3)));
    const program = compileRhai(cases.map((c, i) => `fn e${i}() { ${c} }`).join('\n'));
    cases.forEach((c, i) => {
      // JavaScript's == on numbers and booleans matches Rhai's here; -0 prints as 0 in Rhai.
      const expected = new Function(`return ${c.replace(/==/g, '===').replace(/!=/g, '!==')};`)() as number | boolean;
      assert.equal(program.call(`e${i}`, []), typeof expected === 'number' ? expected + 0 : expected, c);
    });
  });
});
