// equals / contains / startsWith / endsWith / matches / exists compiled into one checker per
// top-level field named in the predicate (AND of them). Each checker reads the field's cached view
// and walks the compiled expected tree with the generic walk (satisfies.ts), unless a fast path
// (fastPaths.ts) covers its shape.
import { allOf } from './combine.js';
import { compileExpected, type ExpectedNode } from './expected.js';
import { fastFieldChecker } from './fastPaths.js';
import type { PlainObject } from './normalize.js';
import { LEAF_TESTS, type FieldOperator } from './operators.js';
import type { Sides } from './parameters.js';
import { fieldSatisfied, satisfiedParsed, type WalkContext } from './satisfies.js';
import type { CompilerSettings, FieldChecker, RequestMatcher } from './types.js';
import { fieldKeys, topJSON, topView, type FieldKeys, type ViewSpec } from './views.js';

/** The generic check of one top-level field: mountebank's walk, with the field's JSON parse cached. */
export function genericFieldChecker(expected: ExpectedNode, spec: ViewSpec, keys: FieldKeys, context: WalkContext): FieldChecker {
  // Without a selector the view of a string field is its text, whose tryJSON is cached per request.
  const branch = spec.selector === null && !expected.isLeaf ? expected : null;
  return (request) => {
    const actual = topView(request, spec, keys);
    if (branch !== null && typeof actual === 'string') {
      return actual !== '' && satisfiedParsed(branch, topJSON(request, actual, spec, keys), context);
    }
    return fieldSatisfied(expected, actual, null, request.request, context);
  };
}

/** `expected` is the operator's object already normalized with `sides.expected`. */
export function compileFieldPredicate(
  operator: FieldOperator,
  expected: PlainObject,
  sides: Sides,
  predicate: unknown,
  settings: CompilerSettings,
): RequestMatcher {
  const spec = sides.actual;
  const context: WalkContext = { leaf: LEAF_TESTS[operator], isExists: operator === 'exists', text: spec };
  const leafOptions = { regexFlags: sides.regexFlags, stallMs: sides.stallMs, predicate };
  const checkers = Object.keys(expected).map((field) => {
    const node = compileExpected(expected[field], leafOptions);
    const keys = fieldKeys(spec, field);
    const generic = genericFieldChecker(node, spec, keys, context);
    const fast = settings.fastPaths ? fastFieldChecker(operator, node, spec, keys, generic) : null;
    if (fast === null) return generic;
    settings.onFastPath?.();
    return fast;
  });
  return allOf(checkers);
}
