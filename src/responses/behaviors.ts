// A response's `behaviors` array, validated and compiled once into steps run in array order
// (mountebank 2.x; the old `_behaviors` object is upcast into this order before it gets here).
// When the only behaviors are fixed waits, nothing runs per request: the response stays
// precompiled and the protocol server delays the reply.
import type { CompiledBehaviors, FlowScripts, ResolveScope, ResponseObject } from '../contracts/index.js';
import type { ScriptScope } from '../injection/index.js';
import { validationError } from '../model/errors.js';
import type { ProtocolRequest } from '../model/request.js';
import { isPlainObject } from '../model/plainObject.js';
import type { BehaviorStep } from './behaviorStep.js';
import { compileCopy } from './copyBehavior.js';
import { compileDecorate } from './decorateBehavior.js';
import { compileLookup } from './lookupBehavior.js';
import { compileShellTransform } from './shellTransformBehavior.js';
import { compileWait, delay } from './waitBehavior.js';

const KNOWN = ['wait', 'copy', 'lookup', 'decorate', 'shellTransform'] as const;
type BehaviorType = (typeof KNOWN)[number];
const isBehaviorType = (key: string): key is BehaviorType => KNOWN.some((known) => known === key);

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
  const scripts = context.allowInjection ? context.scripts : undefined;
  const steps: BehaviorStep[] = [];
  let fixedDelay = 0;
  let onlyFixedWaits = true;
  for (const behavior of behaviors) {
    // mountebank names the behavior object itself as the source of its errors.
    const source = behavior;
    if (!isPlainObject(behavior)) throw validationError('each behavior must be an object', source);
    const types = Object.keys(behavior).filter(isBehaviorType);
    const [type] = types;
    if (type === undefined) throw validationError(`Unrecognized behavior: ${JSON.stringify(Object.keys(behavior)[0] ?? '')}`, source);
    if (types.length > 1) throw validationError('Each behavior object must have only one behavior type', source);
    const value = behavior[type];
    if (type === 'wait') {
      const wait = compileWait(value, scripts, source, context.flowScripts);
      if (typeof wait === 'number') {
        fixedDelay += wait;
        steps.push((_request, r) => (wait > 0 ? delay(wait, r) : r));
        continue;
      }
      steps.push(wait);
    } else if (type === 'copy') {
      steps.push(compileCopy(value, source, context.scripts.stallMs));
    } else if (type === 'lookup') {
      steps.push(compileLookup(value, source, context.scripts.log, context.scripts.stallMs));
    } else if (type === 'decorate') {
      steps.push(compileDecorate(value, scripts, source, context.flowScripts));
    } else {
      steps.push(compileShellTransform(value, scripts, source));
    }
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
