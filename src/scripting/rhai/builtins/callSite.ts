// What a built-in function sees of its call: the run, the position, and a way to replace its
// receiver (Rhai's in-place string methods such as `trim` and `replace`).
import type { Pos } from '../ast.js';
import { RhaiRuntimeError } from '../errors.js';
import type { RunContext } from '../runtime.js';
import { RhaiChar, RhaiFloat, typeName, type Value } from '../values.js';

export class CallSite {
  updated = false;
  receiver: Value;

  constructor(
    readonly ctx: RunContext,
    readonly pos: Pos,
    readonly name: string,
  ) {}

  /** The method changed its receiver; a method call on a variable writes this back. */
  update(value: Value): undefined {
    this.updated = true;
    this.receiver = value;
    return undefined;
  }

  error(reason: string): RhaiRuntimeError {
    return new RhaiRuntimeError(reason, this.pos);
  }
}

export type Builtin = (args: Value[], site: CallSite) => Value;

export function notFound(name: string, args: readonly Value[], pos: Pos): RhaiRuntimeError {
  return new RhaiRuntimeError(`function not found: ${name} (${args.map(typeName).join(', ')})`, pos);
}

/** The error for a built-in called with arguments it has no version for. */
export function noMatch(args: readonly Value[], site: CallSite): never {
  throw notFound(site.name, args, site.pos);
}

/**
 * The value a method is called on, as the type its table was chosen for (tableFor in index.ts):
 * the check never fails there, and turns a mismatch anywhere else into Rhai's "function not found".
 */
export function receiverOf<T>(args: Value[], site: CallSite, type: abstract new (...args: never[]) => T): T {
  const v = args[0];
  if (!(v instanceof type)) noMatch(args, site);
  return v;
}

export function intArg(v: Value, site: CallSite, what: string): number {
  if (typeof v !== 'number') throw site.error(`${site.name}: ${what} must be an integer, found ${typeName(v)}`);
  return v;
}

export function textArg(v: Value): string | undefined {
  if (typeof v === 'string') return v;
  if (v instanceof RhaiChar) return v.value;
  return undefined;
}

export function numberArg(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof RhaiFloat) return v.value;
  return undefined;
}

// ---- strings by character (Rhai counts Unicode characters, JavaScript UTF-16 units) ----

const SURROGATE = /[\uD800-\uDFFF]/;

/** The characters of a string, or undefined when every character is one UTF-16 unit. */
export function wideChars(s: string): string[] | undefined {
  return SURROGATE.test(s) ? Array.from(s) : undefined;
}

export function charLength(s: string): number {
  const wide = wideChars(s);
  return wide ? wide.length : s.length;
}

/** Characters [start, start+count) of s, clamped to the string, as Rhai's sub_string does. */
export function charSlice(s: string, start: number, count: number): string {
  const wide = wideChars(s);
  const length = wide ? wide.length : s.length;
  if (start < 0) start = Math.max(0, length + start);
  if (start >= length || count <= 0) return '';
  const end = Math.min(length, start + count);
  return wide ? wide.slice(start, end).join('') : s.slice(start, end);
}

export function charAt(s: string, index: number): string | undefined {
  const wide = wideChars(s);
  const length = wide ? wide.length : s.length;
  if (index < 0) index += length;
  if (index < 0 || index >= length) return undefined;
  return wide ? wide[index] : s[index];
}

/** The character index of needle in s from character `from`, or -1. */
export function charIndexOf(s: string, needle: string, from: number): number {
  const wide = wideChars(s);
  if (!wide) return s.indexOf(needle, Math.max(0, from < 0 ? s.length + from : from));
  const length = wide.length;
  const start = Math.max(0, from < 0 ? length + from : from);
  const unitIndex = s.indexOf(needle, Array.from(s).slice(0, start).join('').length);
  return unitIndex < 0 ? -1 : Array.from(s.slice(0, unitIndex)).length;
}
