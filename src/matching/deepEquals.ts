// deepEquals: per top-level field, the canonical string (sorted keys, arrays as multisets) of the
// expected value must equal the actual one's. Both sides go through forceStrings first, so
// numbers/booleans/null equal their strings; an expected object against a string field reads the
// string as JSON (normalized again, as mountebank does). `{query: {}}` therefore means "no query".
// Expected strings are computed at compile time; actual ones once per request and view.
import { canonical } from './canonical.js';
import { NOT_CACHED, slotFor, type MatchRequest } from './matchRequest.js';
import { forceStrings, isObjectLike, transformFreshJson, tryJSON, type PlainObject } from './normalize.js';
import { fieldKeys, topView, type FieldKeys, type ViewSpec } from './views.js';
import type { RequestMatcher } from './types.js';

interface DeepField {
  readonly keys: FieldKeys;
  readonly expected: string;
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
  if (cached !== NOT_CACHED) return cached as string | undefined;
  let text: string | undefined;
  try {
    text = canonical(asJSON ? transformFreshJson(forceStrings(tryJSON(view, spec)), spec) : view);
  } catch {
    text = undefined; // nested deeper than the stack allows: equal to nothing
  }
  return request.store(key, text);
}

/** `expected` is the deepEquals object already passed through forceStrings and normalizeExpected. */
export function compileDeepEquals(expected: PlainObject, spec: ViewSpec): RequestMatcher {
  const fields: DeepField[] = Object.keys(expected).map((name) => {
    return {
      keys: fieldKeys(spec, name),
      expected: canonical(expected[name]) as string,
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
