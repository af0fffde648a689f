// A response's `behaviors` array, validated and compiled once into steps run in array order
// (mountebank 2.x; the old `_behaviors` object is upcast into this order before it gets here).
// Each behavior is validated into its typed shape (BehaviorShape), which its compile reads.
// When the only behaviors are fixed waits, nothing runs per request: the response stays
// precompiled and the protocol server delays the reply.
import type { CompiledBehaviors, FlowScripts, ResolveScope, ResponseObject } from '../contracts/index.js';
import type { ScriptScope } from '../injection/index.js';
import { validationError } from '../model/errors.js';
import type { ProtocolRequest } from '../model/request.js';
import { isPlainObject } from '../model/plainObject.js';
import type { BehaviorStep } from './behaviorStep.js';
import { compileCopy, validateCopy, type CopyShape } from './copyBehavior.js';
import { compileDecorate, validateDecorate } from './decorateBehavior.js';
import { compileLookup, validateLookup, type LookupShape } from './lookupBehavior.js';
import { compileShellTransform, validateShellTransform } from './shellTransformBehavior.js';
import { compileWait, delay, validateWait, type WaitShape } from './waitBehavior.js';

const KNOWN = ['wait', 'copy', 'lookup', 'decorate', 'shellTransform'] as const;
type BehaviorType = (typeof KNOWN)[number];
const isBehaviorType = (key: string): key is BehaviorType => KNOWN.some((known) => known === key);

/** One behavior after validation; `type` says which. */
export type BehaviorShape =
  | { readonly type: 'wait'; readonly wait: WaitShape }
  | { readonly type: 'copy'; readonly copy: CopyShape }
  | { readonly type: 'lookup'; readonly lookup: LookupShape }
  /** The function's source. */
  | { readonly type: 'decorate'; readonly decorate: string }
  /** The command line. */
  | { readonly type: 'shellTransform'; readonly shellTransform: string };

export interface BehaviorContext {
  allowInjection: boolean;
  /** The imposter's script scope (state, logger, time limit). */
  scripts: ScriptScope;
  /** Rift's flow state, for behaviors written in Rhai. */
  flowScripts?: FlowScripts;
}

export function compileBehaviors(behaviors: unknown, context: BehaviorContext, response: unknown): CompiledBehaviors {
  if (behaviors === undefined || behaviors === null) return { delayMs: 0, run: undefined };
  if (!Array.isArray(behaviors)) throw validationError("'behaviors' must be an array", response);
  const steps: BehaviorStep[] = [];
  let fixedDelay = 0;
  let onlyFixedWaits = true;
  for (const behavior of behaviors) {
    // Validated then compiled one by one: the first behavior in error is the one reported.
    const step = compileBehavior(validateBehavior(behavior, context), behavior, context);
    if (typeof step === 'number') {
      fixedDelay += step;
      steps.push((_request, r) => (step > 0 ? delay(step, r) : r));
      continue;
    }
    steps.push(step);
    onlyFixedWaits = false;
  }
  if (onlyFixedWaits) return { delayMs: fixedDelay, run: undefined };
  // Synchronous while the steps are (copy, lookup, fixed-free chains): no promise per request
  // unless a step really waits; the rest of the chain then continues after it.
  const runFrom = (start: number, request: ProtocolRequest, response: ResponseObject, scope?: ResolveScope): ResponseObject | Promise<ResponseObject> => {
    let current = response;
    for (let i = start; i < steps.length; i++) {
      const next = steps[i]!(request, current, scope);
      if (next instanceof Promise) return next.then((resolved) => runFrom(i + 1, request, resolved, scope));
      current = next;
    }
    return current;
  };
  return { delayMs: 0, run: (request, response, scope) => runFrom(0, request, response, scope) };
}

/** Checks one behavior object; mountebank names the behavior object itself as the source of its errors. */
export function validateBehavior(behavior: unknown, context: BehaviorContext): BehaviorShape {
  const source = behavior;
  if (!isPlainObject(behavior)) throw validationError('each behavior must be an object', source);
  const types = Object.keys(behavior).filter(isBehaviorType);
  const [type] = types;
  if (type === undefined) throw validationError(`Unrecognized behavior: ${JSON.stringify(Object.keys(behavior)[0] ?? '')}`, source);
  if (types.length > 1) throw validationError('Each behavior object must have only one behavior type', source);
  const value = behavior[type];
  const { allowInjection } = context;
  const stallMs = context.scripts.stallMs;
  switch (type) {
    case 'wait':
      return { type, wait: validateWait(value, allowInjection, source) };
    case 'copy':
      return { type, copy: validateCopy(value, source, stallMs) };
    case 'lookup':
      return { type, lookup: validateLookup(value, source, stallMs) };
    case 'decorate':
      return { type, decorate: validateDecorate(value, allowInjection, source) };
    case 'shellTransform':
      return { type, shellTransform: validateShellTransform(value, allowInjection, source) };
  }
}

/** A fixed wait compiles to its milliseconds, every other behavior to a step. */
function compileBehavior(shape: BehaviorShape, source: unknown, context: BehaviorContext): number | BehaviorStep {
  const { scripts, flowScripts } = context;
  switch (shape.type) {
    case 'wait':
      return compileWait(shape.wait, scripts, source, flowScripts);
    case 'copy':
      return compileCopy(shape.copy);
    case 'lookup':
      return compileLookup(shape.lookup, scripts.log);
    case 'decorate':
      return compileDecorate(shape.decorate, scripts, source, flowScripts);
    case 'shellTransform':
      return compileShellTransform(shape.shellTransform, scripts);
  }
}
