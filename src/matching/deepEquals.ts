// deepEquals: per top-level field, the canonical string (sorted keys, arrays as multisets) of the
// expected value must equal the actual one's. Both sides go through forceStrings first, so
// numbers/booleans/null equal their strings; an expected object against a string field reads the
// string as JSON (normalized again, as mountebank does). `{query: {}}` therefore means "no query".
// Expected strings are computed at compile time; actual ones once per request and view.
import { isObjectLike } from '../model/plainObject.js';
import { parseClientJson } from '../model/jsonDepth.js';
import { canonical } from './canonical.js';
import { slotFor, type MatchRequest } from './matchRequest.js';
import { forceStrings, transformFreshJson, transformJsonText, tryJSON, type PlainObject, type TextSpec } from './normalize.js';
import { fieldKeys, topView, type FieldKeys, type ViewSpec } from './views.js';
import type { RequestMatcher } from './types.js';

interface DeepField {
  readonly keys: FieldKeys;
  /** undefined only for a value JSON cannot hold, which nothing equals but a missing field. */
  readonly expected: string | undefined;
  readonly expectsObject: boolean;
  /** Slots for the canonical string of the view, and of the view read as JSON. */
  readonly canonical: number;
  readonly jsonCanonical: number;
}

function actualCanonical(request: MatchRequest, spec: ViewSpec, field: DeepField): string | undefined {
  const view = topView(request, spec, field.keys);
  const asJSON = field.expectsObject && typeof view === 'string';
  const key = asJSON ? field.jsonCanonical : field.canonical;
  const cached = request.cached(key);
  if (typeof cached === 'string' || cached === undefined) return cached;
  let text: string | undefined;
  try {
    text = asJSON ? canonicalOfJsonText(view, spec) : canonical(view);
  } catch {
    text = undefined; // nested deeper than the stack allows: equal to nothing
  }
  return request.store(key, text);
}

/**
 * canonical(transform(forceStrings(tryJSON(text)))), mountebank's steps for an expected object
 * against a string field, in one pass over the parsed JSON without building the intermediate
 * copies: strings go through the text transform twice (tryJSON's, then the forced value's),
 * numbers, booleans and null become strings transformed once, keys are lower-cased (when asked)
 * with the last of equal keys winning. A test compares it with the step-by-step composition.
 */
export function canonicalOfJsonText(text: string, spec: TextSpec): string | undefined {
  let parsed: unknown;
  try {
    parsed = parseClientJson(text);
  } catch {
    return JSON.stringify(transformJsonText(text, spec));
  }
  return canonicalForced(parsed, spec);
}

function canonicalForced(value: unknown, spec: TextSpec): string {
  if (typeof value === 'string') return JSON.stringify(transformJsonText(transformJsonText(value, spec), spec));
  if (!isObjectLike(value)) return JSON.stringify(transformJsonText(String(value), spec));
  if (Array.isArray(value)) {
    const parts = value.map((element) => canonicalForced(element, spec));
    parts.sort();
    return `[${parts.join(',')}]`;
  }
  const byKey = new Map<string, unknown>();
  for (const key of Object.keys(value)) byKey.set(spec.lowerKeys ? key.toLowerCase() : key, value[key]);
  const parts: string[] = [];
  for (const key of [...byKey.keys()].sort()) parts.push(`${JSON.stringify(key)}:${canonicalForced(byKey.get(key), spec)}`);
  return `{${parts.join(',')}}`;
}

/** The step-by-step composition canonicalOfJsonText stands for (its test compares them). @internal */
export function canonicalOfJsonTextStepwise(text: string, spec: TextSpec): string | undefined {
  return canonical(transformFreshJson(forceStrings(tryJSON(text, spec)), spec));
}

/** `expected` is the deepEquals object already passed through forceStrings and normalizeExpected. */
export function compileDeepEquals(expected: PlainObject, spec: ViewSpec): RequestMatcher {
  const fields: DeepField[] = Object.keys(expected).map((name) => {
    return {
      keys: fieldKeys(spec, name),
      expected: canonical(expected[name]),
      expectsObject: isObjectLike(expected[name]),
      canonical: slotFor(`c${spec.viewId}\0${name}`),
      jsonCanonical: slotFor(`d${spec.viewId}\0${name}`),
    };
  });
  if (fields.length === 0) return () => true;
  return (request) => {
    for (const field of fields) {
      if (actualCanonical(request, spec, field) !== field.expected) return false;
    }
    return true;
  };
}
