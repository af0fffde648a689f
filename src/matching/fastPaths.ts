// Fast paths for the shapes nearly every stub uses, such as {equals: {path: '/x'}} and
// {equals: {headers: {'X-Id': '1'}}}: no except, selector or binary mode, and string values in
// the request. They read the same cached views as the generic walk and skip its dispatch; any
// other value (arrays, JSON strings, objects) falls back to the generic checker. A randomized test
// (test/unit/predicates.fastpath.test.ts) asserts they agree with the generic walk.
import type { ExpectedLeaf, ExpectedNode } from './expected.js';
import type { FieldChecker } from './types.js';
import { stringLeafTest, type FieldOperator } from './operators.js';
import { topView, type FieldKeys, type ViewSpec } from './views.js';

/** A checker for a string leaf on a top-level field: method, path, body, data... */
function topLevelLeaf(operator: FieldOperator, expected: ExpectedLeaf, spec: ViewSpec, keys: FieldKeys, generic: FieldChecker): FieldChecker {
  const test = stringLeafTest(operator, expected);
  const whenMissing = test('');
  return (request) => {
    const actual = topView(request, spec, keys);
    if (typeof actual === 'string') return test(actual);
    return actual === undefined ? whenMissing : generic(request);
  };
}

/** A checker for string leaves one level down: headers, query, form keys. */
function nestedLeaves(
  operator: FieldOperator,
  names: readonly string[],
  expected: readonly ExpectedLeaf[],
  spec: ViewSpec,
  keys: FieldKeys,
  generic: FieldChecker,
): FieldChecker {
  const tests = expected.map((leaf) => stringLeafTest(operator, leaf));
  const whenMissing = tests.map((test) => test(''));
  return (request) => {
    const container = topView(request, spec, keys);
    if (typeof container !== 'object' || container === null || Array.isArray(container)) return generic(request);
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string;
      const actual = Object.hasOwn(container, name) ? (container as Record<string, unknown>)[name] : undefined;
      if (typeof actual === 'string') {
        if (!(tests[i] as (value: string) => boolean)(actual)) return false;
      } else if (actual === undefined) {
        if (!whenMissing[i]) return false;
      } else {
        return generic(request);
      }
    }
    return true;
  };
}

/** A fast checker for this field, or null when only the generic walk applies. */
export function fastFieldChecker(operator: FieldOperator, expected: ExpectedNode, spec: ViewSpec, keys: FieldKeys, generic: FieldChecker): FieldChecker | null {
  if (spec.selector !== null || spec.except !== null || spec.binary || spec.forceStrings) return null;
  if (expected.isLeaf) return topLevelLeaf(operator, expected, spec, keys, generic);
  if (expected.isArray || expected.fields.length === 0) return null;
  const names: string[] = [];
  const leaves: ExpectedLeaf[] = [];
  for (const { key, node } of expected.fields) {
    if (!node.isLeaf) return null;
    names.push(key);
    leaves.push(node);
  }
  return nestedLeaves(operator, names, leaves, spec, keys, generic);
}
