// Validates a response's `behaviors` array and compiles what this version runs (`wait` in ms).
import { StandinError, validationError } from '../model/errors.js';
import { isPlainObject } from '../model/types.js';

const KNOWN = ['wait', 'copy', 'lookup', 'decorate', 'shellTransform'] as const;
const INJECTION_MESSAGE = 'JavaScript injection is not allowed unless mb is run with the --allowInjection flag';
const SHELL_MESSAGE = 'Shell execution is not allowed unless mb is run with the --allowInjection flag';

export interface CompiledBehaviors {
  /** Total fixed delay of the `wait` behaviors. */
  delayMs: number;
}

export function compileBehaviors(behaviors: unknown, allowInjection: boolean, response: unknown): CompiledBehaviors {
  if (behaviors === undefined) return { delayMs: 0 };
  if (!Array.isArray(behaviors)) throw validationError("'behaviors' must be an array", response);
  let delayMs = 0;
  for (const behavior of behaviors) {
    // mountebank names the behavior object itself as the source of its errors.
    const source = behavior;
    if (!isPlainObject(behavior)) throw validationError('each behavior must be an object', source);
    const types = Object.keys(behavior).filter((k) => (KNOWN as readonly string[]).includes(k));
    if (types.length === 0) throw validationError(`Unrecognized behavior: ${JSON.stringify(Object.keys(behavior)[0] ?? '')}`, source);
    if (types.length > 1) throw validationError('Each behavior object must have only one behavior type', source);
    const type = types[0]!;
    const value = behavior[type];
    switch (type) {
      case 'wait':
        delayMs += compileWait(value, allowInjection, source);
        break;
      case 'decorate':
        if (!allowInjection) throw new StandinError('invalid injection', INJECTION_MESSAGE, source);
        throw validationError('the decorate behavior is not supported by this version of standin', source);
      case 'shellTransform':
        if (!allowInjection) throw new StandinError('invalid injection', SHELL_MESSAGE, source);
        throw validationError('the shellTransform behavior is not supported by this version of standin', source);
      default:
        throw validationError(`the ${type} behavior is not supported by this version of standin`, source);
    }
  }
  return { delayMs };
}

function compileWait(value: unknown, allowInjection: boolean, source: unknown): number {
  // mountebank: parseInt first; a string that is not a number is a JavaScript function.
  const ms = typeof value === 'number' ? value : typeof value === 'string' ? Number.parseInt(value, 10) : NaN;
  if (typeof value === 'string' && Number.isNaN(ms)) {
    if (!allowInjection) throw new StandinError('invalid injection', INJECTION_MESSAGE, source);
    throw validationError('wait as a function is not supported by this version of standin', source);
  }
  if (!Number.isInteger(ms) || ms < 0) {
    throw validationError('wait behavior "wait" field must be an integer greater than or equal to 0', source);
  }
  return ms;
}

export { INJECTION_MESSAGE };
