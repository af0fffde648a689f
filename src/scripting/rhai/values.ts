// Rhai values in JavaScript. Integers are plain numbers (the common case stays fast); floats are
// boxed so `1` and `1.0` stay distinct as in Rhai. Maps are JS Maps, arrays JS arrays, `()` is
// `undefined`. Arrays and maps are values in Rhai: copies are made where a value is stored.

export class RhaiFloat {
  constructor(readonly value: number) {}
}

export class RhaiChar {
  constructor(readonly value: string) {}
}

/** A function pointer: `Fn("name")` or a closure, with values curried or captured. */
export class FnPtr {
  constructor(
    readonly name: string,
    readonly curried: readonly Value[] = [],
    /** Set for closures: the compiled body, its parameter count, and the values it captured. */
    readonly closure?: ClosureBody,
  ) {}
}

export interface ClosureBody {
  readonly arity: number;
  /** The enclosing variables the closure uses, shared with the scope that made it. */
  readonly captured: readonly SharedCell[];
  /** `ctx` is the run's RunContext (runtime.ts), named here by the part of it this file needs: runtime.ts holds values. */
  run(args: Value[], captured: readonly SharedCell[], thisValue: Value, ctx: RunDeadline, pos: CallPosition): Value;
}

/** Where a call stands in the source (ast.ts's Pos: the syntax tree holds values, so this file names the shape itself). */
interface CallPosition {
  readonly line: number;
  readonly column: number;
}

export interface RunDeadline {
  readonly deadline: number;
}

/**
 * A variable captured by a closure: its frame slot holds this cell instead of the value, so the
 * closure and the enclosing function see each other's changes, as in Rhai. Never a value itself.
 */
export class SharedCell {
  constructor(public value: Value) {}
}

/** What a frame slot holds: a variable's value, or its cell once a closure shares it. */
export type Slot = Value | SharedCell;

/** A variable's value, through its cell if a closure shares it. */
export function readSlot(slots: readonly Slot[], slot: number): Value {
  const v = slots[slot];
  return v instanceof SharedCell ? v.value : v;
}

export function writeSlot(slots: Slot[], slot: number, value: Value): void {
  const cell = slots[slot];
  if (cell instanceof SharedCell) cell.value = value;
  else slots[slot] = value;
}

/** The cell of a variable a closure captures, made on the first capture. */
export function shareSlot(slots: Slot[], slot: number): SharedCell {
  const v = slots[slot];
  if (v instanceof SharedCell) return v;
  const cell = new SharedCell(v);
  slots[slot] = cell;
  return cell;
}

/** A JS object handed in by the host: its function properties are callable as methods. */
export class HostObject {
  constructor(readonly target: object) {}
}

/** `timestamp()`: an instant, in milliseconds of the performance clock. */
export class Timestamp {
  constructor(readonly ms: number) {}
}

export type RhaiMap = Map<string, Value>;

export type Value = undefined | boolean | number | string | RhaiFloat | RhaiChar | Value[] | RhaiMap | FnPtr | HostObject | Timestamp | RhaiRange;

export function float(n: number): RhaiFloat {
  return new RhaiFloat(n);
}

/** What `type_of()` answers, and what error messages show. */
export function typeName(v: Value): string {
  switch (typeof v) {
    case 'undefined':
      return '()';
    case 'boolean':
      return 'bool';
    case 'number':
      return 'i64';
    case 'string':
      return 'string';
  }
  if (v instanceof RhaiFloat) return 'f64';
  if (v instanceof RhaiChar) return 'char';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Map) return 'map';
  if (v instanceof FnPtr) return 'Fn';
  if (v instanceof Timestamp) return 'timestamp';
  if (v instanceof RhaiRange) return v.inclusive ? 'range=' : 'range';
  return 'host object';
}

/** A deep copy of arrays and maps (other values are immutable), for Rhai's value semantics. */
export function copyValue(v: Value): Value {
  if (Array.isArray(v)) return v.map(copyValue);
  if (v instanceof Map) {
    const out: RhaiMap = new Map();
    for (const [k, x] of v) out.set(k, copyValue(x));
    return out;
  }
  return v;
}

/** Map keys in Rhai's order: object maps are B-tree maps, so keys iterate sorted. */
export function sortedKeys(m: RhaiMap): string[] {
  return [...m.keys()].sort(); // the default order compares UTF-16 code units, as `<` does
}

// ---- text ----

// Rhai prints floats naturally inside this band and in exponent form outside it.
const MAX_NATURAL_FLOAT = 1e15;
const MIN_NATURAL_FLOAT = 1e-10;

export function floatText(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  const abs = Math.abs(n);
  if (abs === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  if (abs > MAX_NATURAL_FLOAT || abs < MIN_NATURAL_FLOAT) return n.toExponential().replace('e+', 'e');
  const text = String(n);
  return Number.isInteger(n) ? text + '.0' : text;
}

/** `to_string()`, `print` and `${...}`: strings and characters bare, `()` empty. */
export function displayText(v: Value): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return String(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return '';
  }
  if (v instanceof RhaiChar) return v.value;
  return debugText(v);
}

/** `debug()` and the elements of printed arrays and maps: strings quoted, `()` shown. */
export function debugText(v: Value): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return String(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return '()';
  }
  if (v instanceof RhaiFloat) return floatText(v.value);
  if (v instanceof RhaiChar) return v.value === "'" ? "'\\''" : `'${JSON.stringify(v.value).slice(1, -1)}'`;
  if (Array.isArray(v)) return `[${v.map(debugText).join(', ')}]`;
  if (v instanceof Map)
    return `#{${sortedKeys(v)
      .map((k) => `${JSON.stringify(k)}: ${debugText(v.get(k))}`)
      .join(', ')}}`;
  if (v instanceof FnPtr) return `Fn(${v.name})`;
  if (v instanceof Timestamp) return '<timestamp>';
  if (v instanceof RhaiRange) return `${v.start}..${v.inclusive ? '=' : ''}${v.end}`;
  return '<host object>';
}

// ---- comparison ----

function numeric(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof RhaiFloat) return v.value;
  return undefined;
}

/** `==`: integers and floats compare by value; arrays and maps element by element; other
 * mixed types are simply not equal (Rhai answers false, not an error). */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return typeof a !== 'number' || !Number.isNaN(a);
  const x = numeric(a);
  if (x !== undefined) {
    const y = numeric(b);
    return y !== undefined && x === y;
  }
  if (a instanceof RhaiChar) return b instanceof RhaiChar && a.value === b.value;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => valuesEqual(item, b[i]));
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, item] of a) if (!b.has(k) || !valuesEqual(item, b.get(k))) return false;
    return true;
  }
  if (a instanceof FnPtr) return b instanceof FnPtr && a.name === b.name && !a.closure && !b.closure;
  if (a instanceof Timestamp) return b instanceof Timestamp && a.ms === b.ms;
  if (a instanceof RhaiRange) {
    return b instanceof RhaiRange && a.start === b.start && a.end === b.end && a.inclusive === b.inclusive;
  }
  return false;
}

/** `<` and friends: a negative, zero or positive number, or undefined when the two values
 * cannot be ordered (Rhai then answers false). */
export function compareValues(a: Value, b: Value): number | undefined {
  const x = numeric(a);
  if (x !== undefined) {
    const y = numeric(b);
    return y === undefined ? undefined : x - y;
  }
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof RhaiChar && b instanceof RhaiChar) return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (a instanceof Timestamp && b instanceof Timestamp) return a.ms - b.ms;
  if (a === undefined && b === undefined) return 0;
  return undefined;
}

/** `a..b` and `a..=b`: integer ranges, as `for` loops, `in` and `switch` cases use them. */
export class RhaiRange {
  constructor(
    readonly start: number,
    readonly end: number,
    readonly inclusive: boolean,
  ) {}

  /** The first integer past the range. */
  get stop(): number {
    return this.inclusive ? this.end + 1 : this.end;
  }

  contains(n: number): boolean {
    return n >= this.start && n < this.stop;
  }
}
