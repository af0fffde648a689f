// Turns the syntax tree into nested closures, once, when a script is compiled: variables are
// already slots, calls already know whether they reach a script function, and a run only
// executes closures. Control flow (`return`, `break`, `continue`) travels as thrown signals.
import type { Block, Expr, FnDef, Pos, Stmt } from './ast.js';
import { readIndex, readProperty, runFrame, writeIndex, writeProperty, type CompiledFunction, type Ev } from './access.js';
import { isBuiltinName } from './builtins/index.js';
import { callByName, callMethod, type MethodPlan, type Setter } from './calls.js';
import { RhaiRuntimeError, RhaiSyntaxError, RhaiTimeoutError } from './errors.js';
import { BINARY_OPERATORS, negate, not, operatorError, plus } from './operators.js';
import { BreakSignal, CONTINUE, ReturnSignal, type RunContext } from './runtime.js';
import { Scope } from './scope.js';
import { compileFor, compileIf, compileLoop, compileSwitch, compileWhile, type ControlCompiler } from './control.js';
import { copyValue, displayText, FnPtr, readSlot, shareSlot, valuesEqual, writeSlot, type RhaiMap, type SharedCell, type Slot, type Value } from './values.js';

const isContainer = (v: Value): boolean => Array.isArray(v) || v instanceof Map;

/** Expressions that read a stored value: storing their value elsewhere must copy it. */
function isPlace(e: Expr): boolean {
  return e.k === 'var' || e.k === 'property' || e.k === 'index' || e.k === 'this' || e.k === 'global';
}

function isAssignable(e: Expr): boolean {
  if (e.k === 'var' || e.k === 'this') return true;
  if (e.k === 'property' || e.k === 'index') return !e.safe && isAssignable(e.target);
  return false;
}

/** The variable at the root of `a.b[c].d`, if any. */
function rootVariable(e: Expr): string | undefined {
  if (e.k === 'var') return e.name;
  if (e.k === 'property' || e.k === 'index') return rootVariable(e.target);
  return undefined;
}

/** `&&` and `||`: the right side runs only when the left does not decide; both must be bools. */
function logical(op: string, left: Ev, right: Ev, decidesOn: boolean, pos: Pos): Ev {
  return (f) => {
    const a = left(f);
    if (a === decidesOn) return a;
    if (typeof a !== 'boolean') throw operatorError(op, a, right(f), pos);
    const b = right(f);
    if (typeof b !== 'boolean') throw operatorError(op, a, b, pos);
    return b;
  };
}

export interface CompileTarget {
  functions: Map<string, CompiledFunction>;
  /** Top-level constants, for `global::NAME`. */
  globals: Map<string, Value>;
}

export class Compiler implements ControlCompiler {
  scope: Scope;

  constructor(private readonly target: CompileTarget) {
    this.scope = new Scope();
  }

  private fn(name: string, arity: number): CompiledFunction | undefined {
    return this.target.functions.get(`${name}/${arity}`);
  }

  private aritiesOf(name: string): string {
    return [...this.target.functions.values()]
      .filter((fn) => fn.name === name)
      .map((fn) => fn.arity)
      .join(' or ');
  }

  compileFunction(def: FnDef, into: CompiledFunction): void {
    this.scope = new Scope();
    for (const p of def.params) this.scope.declare(p, false);
    const stmts = def.body.body;
    // A final `return x;` is just the body's value: no signal needed.
    const last = stmts[stmts.length - 1];
    const body: Stmt[] =
      last?.k === 'return'
        ? [
            ...stmts.slice(0, -1),
            { k: 'expr', expr: last.value ?? { k: 'literal', value: undefined, line: last.line, column: last.column }, line: last.line, column: last.column },
          ]
        : stmts;
    into.body = this.statements(body);
    into.slots = this.scope.size;
  }

  /** The top-level statements, as a function of no parameters. */
  compileTopLevel(stmts: Stmt[]): CompiledFunction {
    this.scope = new Scope();
    const body = this.statements(stmts, true);
    return { name: '<top level>', arity: 0, slots: this.scope.size, body };
  }

  // ---- statements ----

  private statements(stmts: Stmt[], topLevel = false): Ev {
    const evs = stmts.map((s) => this.statement(s, topLevel));
    const [a, b] = evs;
    if (a === undefined) return () => undefined;
    if (b === undefined) return a;
    if (evs.length === 2) {
      return (f) => {
        a(f);
        return b(f);
      };
    }
    const lastIndex = evs.length - 1;
    return (f) => {
      for (let i = 0; i < lastIndex; i++) evs[i]!(f);
      return evs[lastIndex]!(f);
    };
  }

  block(b: Block): Ev {
    this.scope.push();
    const ev = this.statements(b.body);
    this.scope.pop();
    return ev;
  }

  private statement(s: Stmt, topLevel: boolean): Ev {
    switch (s.k) {
      case 'expr':
        return this.expr(s.expr);
      case 'let':
        return this.declaration(s, topLevel && this.scope.atTopBlock);
      case 'assign':
        return this.assignment(s);
      case 'break': {
        this.scope.loopSignal('break', s);
        const value = s.value ? this.value(s.value) : undefined;
        return (f) => {
          throw new BreakSignal(value ? value(f) : undefined);
        };
      }
      case 'continue':
        this.scope.loopSignal('continue', s);
        return () => {
          throw CONTINUE;
        };
      case 'return': {
        const value = s.value ? this.value(s.value) : undefined;
        return (f) => {
          throw new ReturnSignal(value ? value(f) : undefined);
        };
      }
      case 'throw': {
        const value = s.value ? this.value(s.value) : undefined;
        return (f) => {
          const v = value ? value(f) : undefined;
          throw new RhaiRuntimeError(`runtime error: ${displayText(v)}`, s, v);
        };
      }
      case 'try':
        return this.tryCatch(s);
    }
  }

  private declaration(s: Stmt & { k: 'let' }, global: boolean): Ev {
    const init = s.init ? this.value(s.init) : undefined;
    const { slot } = this.scope.declare(s.name, s.constant);
    if (global && s.constant) {
      const globals = this.target.globals;
      return (f) => {
        const v = init ? init(f) : undefined;
        f.slots[slot] = v;
        globals.set(s.name, v);
        return undefined;
      };
    }
    if (!init) {
      return (f) => {
        f.slots[slot] = undefined;
        return undefined;
      };
    }
    return (f) => {
      f.slots[slot] = init(f);
      return undefined;
    };
  }

  private assignment(s: Stmt & { k: 'assign' }): Ev {
    const root = rootVariable(s.target);
    const rootInfo = root === undefined ? undefined : this.scope.resolve(root);
    if (rootInfo?.constant) throw new RhaiSyntaxError(`cannot assign to the constant '${root}'`, s);
    const value = this.value(s.value);
    const set = this.setter(s.target);
    if (s.op === '=') {
      return (f) => {
        set(f, value(f));
        return undefined;
      };
    }
    const op = BINARY_OPERATORS[s.op.slice(0, -1)]!;
    if (s.target.k === 'var' && rootInfo) {
      const { slot } = rootInfo;
      return (f) => {
        const old = readSlot(f.slots, slot);
        const v = value(f);
        if (typeof old === 'number' && typeof v === 'number' && s.op === '+=') {
          const sum = old + v;
          if (Number.isSafeInteger(sum)) {
            writeSlot(f.slots, slot, sum);
            return undefined;
          }
        }
        writeSlot(f.slots, slot, op(old, v, s));
        return undefined;
      };
    }
    const get = this.expr(s.target);
    return (f) => {
      set(f, op(get(f), value(f), s));
      return undefined;
    };
  }

  /** How to store into an assignable expression. */
  private setter(target: Expr): Setter {
    switch (target.k) {
      case 'var': {
        const info = this.scope.resolve(target.name);
        if (!info) {
          return () => {
            throw new RhaiRuntimeError(`variable not found: ${target.name}`, target);
          };
        }
        const { slot } = info;
        if (info.constant) {
          return () => {
            throw new RhaiRuntimeError(`cannot modify the constant '${target.name}'`, target);
          };
        }
        return (f, v) => writeSlot(f.slots, slot, v);
      }
      case 'this':
        return (f, v) => {
          f.thisValue = v;
        };
      case 'property': {
        const obj = this.expr(target.target);
        return (f, v) => writeProperty(obj(f), target.name, v, target);
      }
      case 'index': {
        const obj = this.expr(target.target);
        const index = this.expr(target.index);
        const parent = isAssignable(target.target) ? this.setter(target.target) : undefined;
        return (f, v) => {
          const changed = writeIndex(obj(f), index(f), v, target);
          if (changed !== undefined && parent) parent(f, changed);
        };
      }
    }
    throw new RhaiSyntaxError('cannot assign to this expression', target);
  }

  private tryCatch(s: Stmt & { k: 'try' }): Ev {
    const body = this.block(s.body);
    this.scope.push();
    const errorSlot = s.errorVar ? this.scope.declare(s.errorVar, false).slot : -1;
    const handler = this.statements(s.handler.body);
    this.scope.pop();
    return (f) => {
      try {
        return body(f);
      } catch (err) {
        if (!(err instanceof RhaiRuntimeError) || err instanceof RhaiTimeoutError) throw err;
        if (errorSlot >= 0) f.slots[errorSlot] = err.thrown;
        return handler(f);
      }
    };
  }

  // ---- expressions ----

  /** An expression whose value is about to be stored: places are copied (value semantics). */
  private value(e: Expr): Ev {
    const ev = this.expr(e);
    if (!isPlace(e)) return ev;
    return (f) => {
      const v = ev(f);
      return isContainer(v) ? copyValue(v) : v;
    };
  }

  expr(e: Expr): Ev {
    switch (e.k) {
      case 'literal': {
        const v = e.value;
        return () => v;
      }
      case 'var': {
        const info = this.scope.resolve(e.name);
        if (!info) {
          return () => {
            throw new RhaiRuntimeError(`variable not found: ${e.name}`, e);
          };
        }
        const { slot } = info;
        return (f) => readSlot(f.slots, slot);
      }
      case 'global':
        return (f) => f.ctx.links.global(e.name, e);
      case 'this':
        return (f) => f.thisValue;
      case 'interpolated':
        return this.interpolated(e);
      case 'array': {
        const items = e.items.map((item) => this.value(item));
        return (f) => {
          const out = new Array<Value>(items.length);
          for (let i = 0; i < items.length; i++) out[i] = items[i]!(f);
          return out;
        };
      }
      case 'map': {
        const keys = e.entries.map((entry) => entry.key);
        const values = e.entries.map((entry) => this.value(entry.value));
        return (f) => {
          const out: RhaiMap = new Map();
          for (let i = 0; i < keys.length; i++) out.set(keys[i]!, values[i]!(f));
          return out;
        };
      }
      case 'unary': {
        const operand = this.expr(e.operand);
        const apply = e.op === '-' ? negate : e.op === '+' ? plus : not;
        return (f) => apply(operand(f), e);
      }
      case 'binary':
        return this.binary(e);
      case 'property': {
        const target = this.expr(e.target);
        return (f) => readProperty(target(f), e.name, e.safe, f.ctx, e);
      }
      case 'index': {
        const target = this.expr(e.target);
        const index = this.expr(e.index);
        return (f) => readIndex(target(f), index(f), e.safe, f.ctx, e);
      }
      case 'call':
        return this.call(e);
      case 'method':
        return this.method(e);
      case 'closure':
        return this.closure(e);
      case 'if':
        return compileIf(this, e);
      case 'switch':
        return compileSwitch(this, e);
      case 'while':
        return compileWhile(this, e);
      case 'loop':
        return compileLoop(this, e);
      case 'for':
        return compileFor(this, e);
      case 'block':
        return this.block(e);
    }
  }

  private interpolated(e: Expr & { k: 'interpolated' }): Ev {
    const parts = e.parts.map((p) => (typeof p === 'string' ? p : this.block(p)));
    return (f) => {
      let out = '';
      for (const p of parts) out += typeof p === 'string' ? p : displayText(p(f));
      return out;
    };
  }

  private binary(e: Expr & { k: 'binary' }): Ev {
    const left = this.expr(e.left);
    const right = this.expr(e.right);
    switch (e.op) {
      case '&&':
        return logical('&&', left, right, false, e);
      case '||':
        return logical('||', left, right, true, e);
      case '??':
        return (f) => {
          const a = left(f);
          return a === undefined ? right(f) : a;
        };
      case '+': {
        const add = BINARY_OPERATORS['+']!;
        return (f) => {
          const a = left(f);
          const b = right(f);
          if (typeof a === 'number' && typeof b === 'number') {
            const sum = a + b;
            if (Number.isSafeInteger(sum)) return sum;
          }
          return add(a, b, e);
        };
      }
      case '==':
        return (f) => {
          const a = left(f);
          const b = right(f);
          // `x == ()` is the common test: unit equals only unit.
          if (a === undefined || b === undefined || a === b) return a === b && a === a;
          return valuesEqual(a, b);
        };
      case '!=':
        return (f) => {
          const a = left(f);
          const b = right(f);
          if (a === undefined || b === undefined || a === b) return a !== b || a !== a;
          return !valuesEqual(a, b);
        };
      case '<':
        return this.comparison(left, right, e, (a, b) => a < b);
      case '<=':
        return this.comparison(left, right, e, (a, b) => a <= b);
      case '>':
        return this.comparison(left, right, e, (a, b) => a > b);
      case '>=':
        return this.comparison(left, right, e, (a, b) => a >= b);
    }
    const op = BINARY_OPERATORS[e.op];
    if (!op) throw new RhaiSyntaxError(`unknown operator '${e.op}'`, e);
    return (f) => op(left(f), right(f), e);
  }

  /** Integer comparisons inline; everything else through the generic operator. */
  private comparison(left: Ev, right: Ev, e: Expr & { k: 'binary' }, test: (a: number, b: number) => boolean): Ev {
    const generic = BINARY_OPERATORS[e.op]!;
    return (f) => {
      const a = left(f);
      const b = right(f);
      if (typeof a === 'number' && typeof b === 'number') return test(a, b);
      return generic(a, b, e);
    };
  }

  private call(e: Expr & { k: 'call' }): Ev {
    const fn = this.fn(e.name, e.args.length);
    if (fn) {
      const args = e.args.map((a) => this.value(a));
      return (f) => {
        const slots = new Array<Value>(fn.slots);
        for (let i = 0; i < args.length; i++) slots[i] = args[i]!(f);
        return runFrame(fn.body, { slots, thisValue: undefined, ctx: f.ctx }, e);
      };
    }
    const args = e.args.map((a) => this.expr(a));
    const local = this.scope.resolve(e.name);
    const otherArities = this.aritiesOf(e.name);
    if (!local && !otherArities && !isBuiltinName(e.name)) {
      return (f) => {
        const argv = args.map((a) => a(f));
        return callByName(e.name, argv, undefined, f, e, '');
      };
    }
    const slot = local ? local.slot : -1;
    return (f) => {
      const argv = new Array<Value>(args.length);
      for (let i = 0; i < args.length; i++) argv[i] = args[i]!(f);
      return callByName(e.name, argv, slot >= 0 ? readSlot(f.slots, slot) : undefined, f, e, otherArities);
    };
  }

  private method(e: Expr & { k: 'method' }): Ev {
    const target = this.expr(e.target);
    const args = e.args.map((a) => this.value(a));
    const root = rootVariable(e.target);
    const plan: MethodPlan = {
      name: e.name,
      asMethod: this.fn(e.name, e.args.length),
      asFunction: this.fn(e.name, e.args.length + 1),
      writeBack: isAssignable(e.target) && (root === undefined || this.scope.resolve(root)) ? this.setter(e.target) : undefined,
      pos: e,
      label: `${e.name}()`,
    };
    return (f) => {
      const receiver = target(f);
      if (receiver === undefined && e.safe) return undefined;
      // The receiver rides in front of the arguments, as built-ins take it.
      const argv = new Array<Value>(args.length + 1);
      argv[0] = receiver;
      for (let i = 0; i < args.length; i++) argv[i + 1] = args[i]!(f);
      return callMethod(plan, argv, f);
    };
  }

  private closure(e: Expr & { k: 'closure' }): Ev {
    const outer = this.scope;
    const scope = new Scope(outer);
    this.scope = scope;
    for (const p of e.params) scope.declare(p, false);
    const body = this.expr(e.body);
    this.scope = outer;
    const { captures } = scope;
    const arity = e.params.length;
    const run = (args: Value[], captured: readonly SharedCell[], thisValue: Value, ctx: RunContext, pos: Pos): Value => {
      const slots = new Array<Slot>(scope.size);
      for (let i = 0; i < arity; i++) slots[i] = args[i];
      // The frame holds the cells themselves: reads and writes go through to the shared variable.
      for (let i = 0; i < captures.length; i++) slots[captures[i]!.inner] = captured[i];
      return runFrame(body, { slots, thisValue, ctx }, pos);
    };
    return (f) => new FnPtr('anonymous', [], { arity, captured: captures.map((c) => shareSlot(f.slots, c.outer.slot)), run });
  }
}
