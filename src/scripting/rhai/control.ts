// Compiling the control-flow expressions: if, switch and the loops. A loop whose body has no
// `break`/`continue` of its own runs the body without a try/catch around it.
import type { Block, Expr, Pos } from './ast.js';
import type { Ev, Frame } from './access.js';
import { RhaiRuntimeError } from './errors.js';
import { BreakSignal, CONTINUE } from './runtime.js';
import type { LoopInfo, Scope } from './scope.js';
import { copyValue, RhaiChar, RhaiRange, typeName, valuesEqual, writeSlot, type Value } from './values.js';

/** What these compilers need from the main one. */
export interface ControlCompiler {
  readonly scope: Scope;
  expr(e: Expr): Ev;
  block(b: Block): Ev;
}

export function notBool(v: Value, what: string, pos: Pos): RhaiRuntimeError {
  return new RhaiRuntimeError(`${what} must be a bool, found ${typeName(v)}`, pos);
}

/** Runs a loop body once; answers the break that ends the loop, if any. */
function iterate(body: Ev, f: Frame): BreakSignal | undefined {
  try {
    body(f);
    return undefined;
  } catch (e) {
    if (e === CONTINUE) return undefined;
    if (e instanceof BreakSignal) return e;
    throw e;
  }
}

function loopStep(body: Ev, loop: LoopInfo): (f: Frame) => BreakSignal | undefined {
  if (loop.signals) return (f) => iterate(body, f);
  return (f) => {
    body(f);
    return undefined;
  };
}

export function compileIf(c: ControlCompiler, e: Expr & { k: 'if' }): Ev {
  const cond = c.expr(e.cond);
  const then = c.block(e.then);
  const otherwise = e.otherwise ? c.expr(e.otherwise) : undefined;
  return (f) => {
    const c = cond(f);
    if (c === true) return then(f);
    if (c !== false) throw notBool(c, "an 'if' condition", e.cond);
    return otherwise ? otherwise(f) : undefined;
  };
}

export function compileSwitch(c: ControlCompiler, e: Expr & { k: 'switch' }): Ev {
  const value = c.expr(e.value);
  const cases = e.cases.map((option) => ({
    values: option.values.map((v) => c.expr(v)),
    guard: option.guard ? c.expr(option.guard) : undefined,
    guardPos: option.guard,
    body: c.expr(option.body),
  }));
  const fallback = e.fallback ? c.expr(e.fallback) : undefined;
  return (f) => {
    const v = value(f);
    for (const option of cases) {
      for (const candidate of option.values) {
        const x = candidate(f);
        const hit = valuesEqual(v, x) || (x instanceof RhaiRange && typeof v === 'number' && x.contains(v));
        if (!hit) continue;
        if (option.guard) {
          const g = option.guard(f);
          if (typeof g !== 'boolean') throw notBool(g, "a 'switch' case condition", option.guardPos!);
          if (!g) continue;
        }
        return option.body(f);
      }
    }
    return fallback ? fallback(f) : undefined;
  };
}

export function compileWhile(c: ControlCompiler, e: Expr & { k: 'while' }): Ev {
  const cond = c.expr(e.cond);
  const info = c.scope.enterLoop();
  const body = c.block(e.body);
  c.scope.exitLoop();
  const step = loopStep(body, info);
  const keepGoing = (c: Value): boolean => {
    if (typeof c !== 'boolean') throw notBool(c, `a '${e.until ? 'until' : 'while'}' condition`, e.cond);
    return c !== e.until;
  };
  if (e.doFirst) {
    return (f) => {
      do {
        f.ctx.tick(e);
        const b = step(f);
        if (b) return b.value;
      } while (keepGoing(cond(f)));
      return undefined;
    };
  }
  return (f) => {
    for (;;) {
      f.ctx.tick(e);
      const c = cond(f);
      if (c !== true && !keepGoing(c)) return undefined;
      const b = step(f);
      if (b) return b.value;
    }
  };
}

export function compileLoop(c: ControlCompiler, e: Expr & { k: 'loop' }): Ev {
  const info = c.scope.enterLoop();
  const body = c.block(e.body);
  c.scope.exitLoop();
  const step = loopStep(body, info);
  return (f) => {
    for (;;) {
      f.ctx.tick(e);
      const b = step(f);
      if (b) return b.value;
    }
  };
}

export function compileFor(c: ControlCompiler, e: Expr & { k: 'for' }): Ev {
  const iterable = c.expr(e.iterable);
  c.scope.push();
  const itemVar = c.scope.declare(e.item, false);
  const counterVar = e.counter ? c.scope.declare(e.counter, false) : undefined;
  const info = c.scope.enterLoop();
  const body = c.block(e.body);
  c.scope.exitLoop();
  c.scope.pop();
  const step = loopStep(body, info);
  const item = itemVar.slot;
  const counter = counterVar ? counterVar.slot : -1;
  // Within one run of the loop its variables are one variable each, as in Rhai: a closure made in
  // the body shares it and sees the later iterations' values. Only such a loop pays for the check.
  const shared = itemVar.captured || counterVar?.captured === true;
  return (f) => {
    const it = iterable(f);
    const { slots, ctx } = f;
    if (shared) {
      // Each run of the loop has variables of its own.
      slots[item] = undefined;
      if (counter >= 0) slots[counter] = undefined;
    }
    if (it instanceof RhaiRange) {
      for (let i = it.start, n = 0; i < it.stop; i++, n++) {
        ctx.tick(e);
        if (shared) {
          writeSlot(slots, item, i);
          if (counter >= 0) writeSlot(slots, counter, n);
        } else {
          slots[item] = i;
          if (counter >= 0) slots[counter] = n;
        }
        const b = step(f);
        if (b) return b.value;
      }
      return undefined;
    }
    let items: readonly Value[];
    if (Array.isArray(it)) items = it.slice();
    else if (typeof it === 'string') items = [...it].map((c) => new RhaiChar(c));
    else throw new RhaiRuntimeError(`cannot iterate over ${typeName(it)}${it instanceof Map ? ': use its keys() or values()' : ''}`, e.iterable);
    for (let n = 0; n < items.length; n++) {
      ctx.tick(e);
      if (shared) {
        writeSlot(slots, item, copyValue(items[n]));
        if (counter >= 0) writeSlot(slots, counter, n);
      } else {
        slots[item] = copyValue(items[n]);
        if (counter >= 0) slots[counter] = n;
      }
      const b = step(f);
      if (b) return b.value;
    }
    return undefined;
  };
}
