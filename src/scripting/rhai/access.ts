// Reading and writing through `.name` and `[index]`, and calling script functions and host
// methods: the operations the compiled closures share.
import type { Pos } from './ast.js';
import { toJs, toRhai } from './boundary.js';
import { CallSite, findGetter } from './builtins/index.js';
import { charAt } from './builtins/callSite.js';
import { RhaiRuntimeError } from './errors.js';
import { isHostFunction, MAX_CALL_DEPTH, ReturnSignal, type RunContext } from './runtime.js';
import { HostObject, RhaiChar, typeName, type Slot, type Value } from './values.js';

/** A function's local variables, its `this`, and the run it belongs to. */
export interface Frame {
  readonly slots: Slot[];
  thisValue: Value;
  readonly ctx: RunContext;
}

export type Ev = (f: Frame) => Value;

export interface CompiledFunction {
  readonly name: string;
  readonly arity: number;
  /** Filled in once the body is compiled (functions may call functions defined later). */
  slots: number;
  body: Ev;
}

/** A frame for `fn` whose parameters are `args[from..]`. */
export function newFrame(fn: CompiledFunction, args: readonly Value[], thisValue: Value, ctx: RunContext, from = 0): Frame {
  const slots = new Array<Slot>(fn.slots);
  for (let i = 0; i < fn.arity; i++) slots[i] = args[i + from];
  return { slots, thisValue, ctx };
}

/** Runs a function body in its frame; `return` ends it early by throwing a ReturnSignal. */
export function runFrame(body: Ev, frame: Frame, pos: Pos): Value {
  const ctx = frame.ctx;
  if (ctx.depth >= MAX_CALL_DEPTH) throw new RhaiRuntimeError(`too many nested function calls (more than ${MAX_CALL_DEPTH})`, pos);
  ctx.tick(pos);
  ctx.depth++;
  try {
    return body(frame);
  } catch (e) {
    if (e instanceof ReturnSignal) return e.value;
    throw e;
  } finally {
    ctx.depth--;
  }
}

/** Calls a host object's method with `args[from..]`, converted to JavaScript. */
export function callHostMethod(host: HostObject, name: string, args: readonly Value[], from: number, ctx: RunContext, pos: Pos, label: string): Value {
  const target = host.target;
  const method: unknown = Reflect.get(target, name);
  if (!isHostFunction(method)) {
    throw new RhaiRuntimeError(`the host object has no method '${name}'`, pos);
  }
  const jsArgs = new Array<unknown>(args.length - from);
  for (let i = from; i < args.length; i++) jsArgs[i - from] = toJs(args[i]);
  return ctx.hostCall(method, target, jsArgs, toRhai, label, pos);
}

function indexOutOfBounds(kind: string, index: number, length: number, pos: Pos): RhaiRuntimeError {
  return new RhaiRuntimeError(`${kind} index ${index} is out of bounds: it has ${length} element${length === 1 ? '' : 's'}`, pos);
}

export function readProperty(target: Value, name: string, safe: boolean, ctx: RunContext, pos: Pos): Value {
  if (target instanceof Map) return target.get(name); // a missing property is ()
  if (target instanceof HostObject) {
    const v: unknown = Reflect.get(target.target, name);
    if (typeof v === 'function') throw new RhaiRuntimeError(`'${name}' is a method of the host object: call it as .${name}(...)`, pos);
    return toRhai(v);
  }
  if (target === undefined && safe) return undefined;
  const getter = findGetter(name, target);
  if (getter) return getter([target], new CallSite(ctx, pos, name));
  throw new RhaiRuntimeError(`cannot read property '${name}' of ${typeName(target)}`, pos);
}

export function writeProperty(target: Value, name: string, value: Value, pos: Pos): void {
  if (target instanceof Map) {
    target.set(name, value);
    return;
  }
  if (target instanceof HostObject) {
    // An assignment (a getter-only or read-only property throws as it would in JavaScript).
    Object.assign(target.target, { [name]: toJs(value) });
    return;
  }
  throw new RhaiRuntimeError(`cannot set property '${name}' on ${typeName(target)}`, pos);
}

export function readIndex(target: Value, index: Value, safe: boolean, ctx: RunContext, pos: Pos): Value {
  if (Array.isArray(target)) {
    if (typeof index !== 'number') throw new RhaiRuntimeError(`an array index must be an integer, found ${typeName(index)}`, pos);
    const i = index < 0 ? index + target.length : index;
    if (i < 0 || i >= target.length) throw indexOutOfBounds('array', index, target.length, pos);
    return target[i];
  }
  if (target instanceof Map) {
    const key = typeof index === 'string' ? index : index instanceof RhaiChar ? index.value : undefined;
    if (key === undefined) throw new RhaiRuntimeError(`an object map index must be a string, found ${typeName(index)}`, pos);
    return target.get(key);
  }
  if (typeof target === 'string') {
    if (typeof index !== 'number') throw new RhaiRuntimeError(`a string index must be an integer, found ${typeName(index)}`, pos);
    const c = charAt(target, index);
    if (c === undefined) throw indexOutOfBounds('string', index, [...target].length, pos);
    return new RhaiChar(c);
  }
  if (typeof target === 'number' && typeof index === 'number') {
    // Bit fields: `n[3]` is bit 3 of n.
    if (index < 0 || index > 63) throw new RhaiRuntimeError(`bit index ${index} is out of range 0..63`, pos);
    return ((BigInt(target) >> BigInt(index)) & 1n) === 1n;
  }
  if (target instanceof HostObject && typeof index === 'string') return readProperty(target, index, false, ctx, pos);
  if (target === undefined && safe) return undefined;
  throw new RhaiRuntimeError(`cannot index into ${typeName(target)}`, pos);
}

/** Writes `target[index] = value`; for a string, answers the new string to store back. */
export function writeIndex(target: Value, index: Value, value: Value, pos: Pos): string | undefined {
  if (Array.isArray(target)) {
    if (typeof index !== 'number') throw new RhaiRuntimeError(`an array index must be an integer, found ${typeName(index)}`, pos);
    const i = index < 0 ? index + target.length : index;
    if (i < 0 || i >= target.length) throw indexOutOfBounds('array', index, target.length, pos);
    target[i] = value;
    return undefined;
  }
  if (target instanceof Map) {
    const key = typeof index === 'string' ? index : index instanceof RhaiChar ? index.value : undefined;
    if (key === undefined) throw new RhaiRuntimeError(`an object map index must be a string, found ${typeName(index)}`, pos);
    target.set(key, value);
    return undefined;
  }
  if (typeof target === 'string') {
    if (typeof index !== 'number') throw new RhaiRuntimeError(`a string index must be an integer, found ${typeName(index)}`, pos);
    if (!(value instanceof RhaiChar)) throw new RhaiRuntimeError(`only a character can be stored into a string, found ${typeName(value)}`, pos);
    const chars = [...target];
    const i = index < 0 ? index + chars.length : index;
    if (i < 0 || i >= chars.length) throw indexOutOfBounds('string', index, chars.length, pos);
    chars[i] = value.value;
    return chars.join('');
  }
  if (target instanceof HostObject && typeof index === 'string') {
    writeProperty(target, index, value, pos);
    return undefined;
  }
  throw new RhaiRuntimeError(`cannot index into ${typeName(target)}`, pos);
}
