// What a call does at run time, once the compiler has decided what it can: method calls on
// host objects, script functions with `this`, map properties holding functions, built-ins.
import type { Pos } from './ast.js';
import { callHostMethod, newFrame, runFrame, type CompiledFunction, type Frame } from './access.js';
import { toJs, toRhai } from './boundary.js';
import { CallSite, findBuiltin, notFound } from './builtins/index.js';
import { RhaiRuntimeError } from './errors.js';
import type { RunContext } from './runtime.js';
import { copyValue, FnPtr, HostObject, type Value } from './values.js';

export type Setter = (f: Frame, v: Value) => void;

export interface MethodPlan {
  readonly name: string;
  /** A script function `name` with as many parameters as arguments: called with `this`. */
  readonly asMethod?: CompiledFunction;
  /** A script function `name` taking the receiver as its first parameter. */
  readonly asFunction?: CompiledFunction;
  /** Writes a changed receiver back (only when the receiver is a variable, property or element). */
  readonly writeBack?: Setter;
  readonly pos: Pos;
  /** How a failing host method is named in errors: `name()`. */
  readonly label: string;
}

/** Calls `argv[0].name(argv[1..])`. */
export function callMethod(plan: MethodPlan, argv: Value[], f: Frame): Value {
  const { ctx } = f;
  const receiver = argv[0];
  if (receiver instanceof HostObject) return callHostMethod(receiver, plan.name, argv, 1, ctx, plan.pos, plan.label);
  if (plan.asMethod) {
    const frame = newFrame(plan.asMethod, argv, receiver, ctx, 1);
    const result = runFrame(plan.asMethod.body, frame, plan.pos);
    if (plan.writeBack && frame.thisValue !== receiver) plan.writeBack(f, frame.thisValue);
    return result;
  }
  if (plan.asFunction) {
    argv[0] = copyValue(receiver);
    return runFrame(plan.asFunction.body, newFrame(plan.asFunction, argv, undefined, ctx), plan.pos);
  }
  if (receiver instanceof Map) {
    const property = receiver.get(plan.name);
    if (property instanceof FnPtr) return ctx.links.callFnPtr(property, argv.slice(1), receiver, ctx, plan.pos);
  }
  const builtin = findBuiltin(plan.name, receiver);
  if (!builtin) throw notFound(plan.name, argv, plan.pos);
  const site = new CallSite(ctx, plan.pos, plan.name);
  const result = builtin(argv, site);
  if (site.updated && plan.writeBack) plan.writeBack(f, site.receiver);
  return result;
}

/** A call by name of something that is not a script function of that arity. */
export function callByName(name: string, args: Value[], local: Value, f: Frame, pos: Pos, otherArities: string): Value {
  if (local instanceof FnPtr) return f.ctx.links.callFnPtr(local, args, undefined, f.ctx, pos);
  const host = f.ctx.links.hostFunction(name);
  if (host) return f.ctx.hostCall(host, undefined, args.map(toJs), toRhai, `${name}()`, pos);
  const builtin = findBuiltin(name, args[0]);
  if (builtin) return builtin(args, new CallSite(f.ctx, pos, name));
  if (otherArities) {
    throw new RhaiRuntimeError(`function '${name}' takes ${otherArities} argument(s), not ${args.length}`, pos);
  }
  throw notFound(name, args, pos);
}

/** Calls a function pointer: a closure, a script function by name, or a built-in. */
export function callFnPtr(
  fp: FnPtr,
  args: Value[],
  thisValue: Value,
  ctx: RunContext,
  pos: Pos,
  lookup: (name: string, arity: number) => CompiledFunction | undefined,
): Value {
  const all = fp.curried.length > 0 ? [...fp.curried.map(copyValue), ...args] : args;
  if (fp.closure) {
    if (all.length !== fp.closure.arity) {
      throw new RhaiRuntimeError(`this closure takes ${fp.closure.arity} argument(s), not ${all.length}`, pos);
    }
    return fp.closure.run(all, fp.closure.captured, thisValue, ctx, pos);
  }
  const fn = lookup(fp.name, all.length);
  if (fn) return runFrame(fn.body, newFrame(fn, all.map(copyValue), thisValue, ctx), pos);
  const builtin = findBuiltin(fp.name, all[0]);
  if (builtin) return builtin(all, new CallSite(ctx, pos, fp.name));
  throw notFound(fp.name, all, pos);
}
