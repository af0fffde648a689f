// Accepts mountebank's older and alternative formats and turns them into the one canonical form
// that is stored, compiled and echoed back (as mountebank stores the upcast form).
import { isPlainObject } from './plainObject.js';

/** Order mountebank gives old `_behaviors` keys when it turns them into the array form. */
const OLD_BEHAVIOR_ORDER: readonly string[] = ['wait', 'lookup', 'copy', 'shellTransform', 'decorate'];

/** Returns a deep copy of an imposter definition in canonical form; never mutates its input. */
export function upcastImposter(imposter: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(imposter);
  if (Array.isArray(copy.stubs)) {
    copy.stubs = copy.stubs.map((stub) => (isPlainObject(stub) ? upcastStub(stub) : stub));
  }
  return copy;
}

export function upcastStub(stub: Record<string, unknown>): Record<string, unknown> {
  if (!Array.isArray(stub.responses)) return stub;
  return { ...stub, responses: stub.responses.map((r) => (isPlainObject(r) ? upcastResponse(r) : r)) };
}

export function upcastResponse(response: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...response };

  // `"proxy": null` beside `is` and `"statusCode": "201"` are accepted and, as in mountebank,
  // echoed as sent: the response compiler ignores the null and reads the string as a number.

  // `behaviors: {wait: 100}` (an object, as some generators write it) is the old format too.
  if (isPlainObject(out.behaviors) && out._behaviors === undefined) {
    out._behaviors = out.behaviors;
    delete out.behaviors;
  }

  // Old format: `_behaviors: {wait, repeat, copy, ...}` becomes `repeat` + `behaviors: [...]`.
  if (isPlainObject(out._behaviors) && out.behaviors === undefined) {
    const old = out._behaviors;
    const behaviors: unknown[] = [];
    for (const key of OLD_BEHAVIOR_ORDER) {
      const value = old[key];
      if (value === undefined) continue;
      // copy, lookup and shellTransform may be arrays in the old form: one behavior each.
      for (const item of Array.isArray(value) ? value : [value]) behaviors.push({ [key]: item });
    }
    for (const key of Object.keys(old)) {
      if (key !== 'repeat' && !OLD_BEHAVIOR_ORDER.includes(key)) behaviors.push({ [key]: old[key] });
    }
    if (old.repeat !== undefined && out.repeat === undefined) out.repeat = old.repeat;
    delete out._behaviors;
    if (behaviors.length > 0) out.behaviors = behaviors;
  }

  // `behaviors: [{repeat: 3}]` (seen in generated configs) is the response-level `repeat`.
  if (Array.isArray(out.behaviors)) {
    const rest = out.behaviors.filter((b) => !isRepeatEntry(b));
    if (rest.length !== out.behaviors.length) {
      const repeatEntry = out.behaviors.find(isRepeatEntry);
      if (out.repeat === undefined) out.repeat = repeatEntry?.repeat;
      if (rest.length > 0) out.behaviors = rest;
      else delete out.behaviors;
    }
  }
  return out;
}

const isRepeatEntry = (behavior: unknown): behavior is { repeat: unknown } =>
  isPlainObject(behavior) && Object.keys(behavior).length === 1 && 'repeat' in behavior;
