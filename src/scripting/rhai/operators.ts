// Rhai's binary and unary operators. Integers are checked for overflow (standin's integers are
// JavaScript numbers, exact within ±2^53, so that is where they overflow); floats are IEEE.
import type { Pos } from './ast.js';
import { RhaiRuntimeError } from './errors.js';
import { compareValues, displayText, RhaiChar, RhaiFloat, RhaiRange, Timestamp, typeName, valuesEqual, copyValue, type RhaiMap, type Value } from './values.js';

export type BinaryOp = (a: Value, b: Value, pos: Pos) => Value;

export function operatorError(op: string, a: Value, b: Value | typeof NO_OPERAND, pos: Pos): RhaiRuntimeError {
  const types = b === NO_OPERAND ? typeName(a) : `${typeName(a)}, ${typeName(b)}`;
  return new RhaiRuntimeError(`operator '${op}' is not defined for (${types})`, pos);
}
export const NO_OPERAND: unique symbol = Symbol('none');

function checked(n: number, pos: Pos): number {
  if (!Number.isSafeInteger(n)) throw new RhaiRuntimeError('integer overflow (standin integers are exact within ±2^53)', pos);
  return n + 0;
}

/** The float value of a number, or undefined for non-numbers. */
function num(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof RhaiFloat) return v.value;
  return undefined;
}

function floatOp(a: Value, b: Value, op: string, pos: Pos, f: (x: number, y: number) => number): RhaiFloat {
  const x = num(a);
  const y = num(b);
  if (x === undefined || y === undefined) throw operatorError(op, a, b, pos);
  return new RhaiFloat(f(x, y));
}

export const add: BinaryOp = (a, b, pos) => {
  if (typeof a === 'number' && typeof b === 'number') return checked(a + b, pos);
  if (typeof a === 'string') return a + displayText(b);
  if (typeof b === 'string') return displayText(a) + b;
  if (a instanceof RhaiChar && b instanceof RhaiChar) return a.value + b.value;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b.map(copyValue)];
  if (a instanceof Map && b instanceof Map) {
    const out: RhaiMap = new Map(a);
    for (const [k, v] of b) out.set(k, copyValue(v));
    return out;
  }
  if (a instanceof Timestamp && num(b) !== undefined) return new Timestamp(a.ms + num(b)! * 1000);
  return floatOp(a, b, '+', pos, (x, y) => x + y);
};

export const subtract: BinaryOp = (a, b, pos) => {
  if (typeof a === 'number' && typeof b === 'number') return checked(a - b, pos);
  if (a instanceof Timestamp) {
    if (b instanceof Timestamp) return new RhaiFloat((a.ms - b.ms) / 1000);
    if (num(b) !== undefined) return new Timestamp(a.ms - num(b)! * 1000);
  }
  return floatOp(a, b, '-', pos, (x, y) => x - y);
};

export const multiply: BinaryOp = (a, b, pos) => {
  if (typeof a === 'number' && typeof b === 'number') return checked(a * b, pos);
  return floatOp(a, b, '*', pos, (x, y) => x * y);
};

export const divide: BinaryOp = (a, b, pos) => {
  if (typeof a === 'number' && typeof b === 'number') {
    if (b === 0) throw new RhaiRuntimeError('division by zero', pos);
    return Math.trunc(a / b) + 0; // integer division truncates toward zero, as in Rust
  }
  return floatOp(a, b, '/', pos, (x, y) => x / y);
};

export const modulo: BinaryOp = (a, b, pos) => {
  if (typeof a === 'number' && typeof b === 'number') {
    if (b === 0) throw new RhaiRuntimeError('division by zero (in %)', pos);
    return (a % b) + 0;
  }
  return floatOp(a, b, '%', pos, (x, y) => x % y);
};

export const power: BinaryOp = (a, b, pos) => {
  if (typeof a === 'number' && typeof b === 'number') {
    if (b < 0) throw new RhaiRuntimeError(`integer raised to a negative power (${b})`, pos);
    return checked(a ** b, pos);
  }
  return floatOp(a, b, '**', pos, (x, y) => x ** y);
};

function bitwise(op: string, f: (x: bigint, y: bigint) => bigint, onBool?: (x: boolean, y: boolean) => boolean): BinaryOp {
  return (a, b, pos) => {
    if (typeof a === 'number' && typeof b === 'number') return checked(Number(BigInt.asIntN(64, f(BigInt(a), BigInt(b)))), pos);
    if (onBool && typeof a === 'boolean' && typeof b === 'boolean') return onBool(a, b);
    throw operatorError(op, a, b, pos);
  };
}

function shift(op: string, f: (x: bigint, y: bigint) => bigint): BinaryOp {
  const apply = bitwise(op, f);
  return (a, b, pos) => {
    if (typeof b === 'number' && (b < 0 || b > 63)) throw new RhaiRuntimeError(`shift by ${b} bits is out of range 0..63`, pos);
    return apply(a, b, pos);
  };
}

export const equals: BinaryOp = (a, b) => valuesEqual(a, b);
export const notEquals: BinaryOp = (a, b) => !valuesEqual(a, b);

function ordering(test: (c: number) => boolean): BinaryOp {
  return (a, b) => {
    const c = compareValues(a, b);
    return c !== undefined && test(c);
  };
}

export const contains: BinaryOp = (item, container, pos) => {
  if (typeof container === 'string') {
    if (typeof item === 'string') return container.includes(item);
    if (item instanceof RhaiChar) return container.includes(item.value);
  } else if (Array.isArray(container)) {
    return container.some((x) => valuesEqual(x, item));
  } else if (container instanceof Map) {
    if (typeof item === 'string') return container.has(item);
    if (item instanceof RhaiChar) return container.has(item.value);
  } else if (container instanceof RhaiRange) {
    return typeof item === 'number' && container.contains(item);
  }
  throw operatorError('in', item, container, pos);
};

function range(inclusive: boolean): BinaryOp {
  return (a, b, pos) => {
    if (typeof a === 'number' && typeof b === 'number') return new RhaiRange(a, b, inclusive);
    throw operatorError(inclusive ? '..=' : '..', a, b, pos);
  };
}

/** Every binary operator except the short-circuiting `&&`, `||` and `??`. */
export const BINARY_OPERATORS: Record<string, BinaryOp> = {
  '+': add,
  '-': subtract,
  '*': multiply,
  '/': divide,
  '%': modulo,
  '**': power,
  '<<': shift('<<', (x, y) => x << y),
  '>>': shift('>>', (x, y) => x >> y),
  '&': bitwise(
    '&',
    (x, y) => x & y,
    (x, y) => x && y,
  ),
  '|': bitwise(
    '|',
    (x, y) => x | y,
    (x, y) => x || y,
  ),
  '^': bitwise(
    '^',
    (x, y) => x ^ y,
    (x, y) => x !== y,
  ),
  '==': equals,
  '!=': notEquals,
  '<': ordering((c) => c < 0),
  '<=': ordering((c) => c <= 0),
  '>': ordering((c) => c > 0),
  '>=': ordering((c) => c >= 0),
  in: contains,
  '!in': (a, b, pos) => !contains(a, b, pos),
  '..': range(false),
  '..=': range(true),
};

export function negate(v: Value, pos: Pos): Value {
  if (typeof v === 'number') return checked(0 - v, pos);
  if (v instanceof RhaiFloat) return new RhaiFloat(-v.value);
  throw operatorError('-', v, NO_OPERAND, pos);
}

export function plus(v: Value, pos: Pos): Value {
  if (typeof v === 'number' || v instanceof RhaiFloat) return v;
  throw operatorError('+', v, NO_OPERAND, pos);
}

export function not(v: Value, pos: Pos): Value {
  if (typeof v === 'boolean') return !v;
  throw operatorError('!', v, NO_OPERAND, pos);
}
