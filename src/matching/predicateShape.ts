// A predicate object after validation, one level at a time: which operator it has and the value
// that operator needs, typed. Children of `and`, `or` and `not` stay unchecked here and are
// validated as they are compiled, so errors come in the order mountebank finds them (a bad
// regex in the first child before a missing operator in the second).
import { INJECTION_MESSAGE } from '../injection/injectionMessages.js';
import { didYouMeanSuffix } from '../model/didYouMean.js';
import { StandinError, validationError } from '../model/errors.js';
import { PREDICATE_OPERATORS } from '../model/knownFields.js';
import { isPlainObject } from '../model/plainObject.js';
import { EXTENSION_OPERATOR } from './extensionPredicate.js';
import type { FieldOperator } from './operators.js';

/** The operators that compare request fields; `deepEquals` has its own compiler. */
export type FieldOperatorName = FieldOperator | 'deepEquals';

export type PredicateShape =
  | { readonly operator: FieldOperatorName; readonly fields: Record<string, unknown>; readonly predicate: Record<string, unknown> }
  | { readonly operator: 'and' | 'or'; readonly children: readonly unknown[]; readonly predicate: Record<string, unknown> }
  | { readonly operator: 'not'; readonly inner: Record<string, unknown>; readonly predicate: Record<string, unknown> }
  | { readonly operator: 'inject'; readonly source: string; readonly predicate: Record<string, unknown> }
  /** Rift's script predicate; its value is checked by the extension that compiles it. */
  | { readonly operator: typeof EXTENSION_OPERATOR; readonly value: unknown; readonly predicate: Record<string, unknown> };

type PredicateOperator = FieldOperatorName | 'and' | 'or' | 'not' | 'inject' | typeof EXTENSION_OPERATOR;

const isPredicateOperator = (key: string): key is PredicateOperator => key === EXTENSION_OPERATOR || PREDICATE_OPERATORS.includes(key);

/** The one operator a predicate object has; throws mountebank's "missing predicate" otherwise. */
function operatorIn(predicate: Record<string, unknown>): PredicateOperator {
  const found = Object.keys(predicate).filter(isPredicateOperator);
  const [operator] = found;
  if (operator === undefined) throw validationError(`missing predicate: ${missingOperator(predicate)}`, predicate);
  if (found.length > 1) {
    throw validationError(
      `each predicate object must have only one predicate operator, but this one has ${found.join(', ')}; combine them with "and"`,
      predicate,
    );
  }
  return operator;
}

const PARAMETERS = ['caseSensitive', 'except', 'jsonpath', 'xpath'];

/** mountebank says only "missing predicate"; this says what was found instead and what would do. */
function missingOperator(predicate: Record<string, unknown>): string {
  const unknown = Object.keys(predicate).filter((key) => !PARAMETERS.includes(key));
  const choices = `use one of ${PREDICATE_OPERATORS.join(', ')}`;
  if (unknown.length === 0) return `a predicate needs an operator; ${choices}`;
  const key = unknown[0]!;
  return `${JSON.stringify(key)} is not a predicate operator${didYouMeanSuffix(key, PREDICATE_OPERATORS)}; ${choices}`;
}

/**
 * Validates one predicate object (not its children). With `refuseInject` (injection not allowed),
 * an `inject` predicate is refused with mountebank's message before its value is looked at.
 */
export function predicateShape(predicate: unknown, refuseInject: boolean): PredicateShape {
  if (!isPlainObject(predicate)) throw validationError('missing predicate', predicate);
  const operator = operatorIn(predicate);
  if (operator === 'not') {
    const inner = predicate.not;
    if (!isPlainObject(inner)) throw validationError('the not predicate must be a predicate object', predicate);
    return { operator, inner, predicate };
  }
  if (operator === 'and' || operator === 'or') {
    const children = predicate[operator];
    if (!Array.isArray(children)) throw validationError(`the ${operator} predicate must be an array of predicates`, predicate);
    return { operator, children, predicate };
  }
  if (operator === EXTENSION_OPERATOR) return { operator, value: predicate[operator], predicate };
  if (operator === 'inject') {
    if (refuseInject) throw new StandinError('invalid injection', INJECTION_MESSAGE, predicate);
    const source = predicate.inject;
    if (typeof source !== 'string') throw validationError('the inject predicate must be a string holding a JavaScript function', predicate);
    return { operator, source, predicate };
  }
  const fields = predicate[operator];
  if (!isPlainObject(fields)) {
    throw validationError(`the ${operator} predicate must be an object of request fields, e.g. {"${operator}": {"path": "/test"}}`, predicate);
  }
  return { operator, fields, predicate };
}
