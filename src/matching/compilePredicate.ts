// The predicate compiler: validates a stub's predicates once (throwing StandinError with
// mountebank's messages) and turns them into matcher closures. Everything that depends only on
// the predicate (normalized expected values, regexes, xpath/jsonpath selectors, cache keys)
// is computed here; the returned matchers only read the request.
import { validationError } from '../model/errors.js';
import { allOf } from './combine.js';
import { compileDeepEquals } from './deepEquals.js';
import { extensionOperatorRefused } from './extensionPredicate.js';
import { compileFieldPredicate } from './fieldPredicate.js';
import { forceStringsObject, normalizeExpectedObject, type PlainObject } from './normalize.js';
import { resolveSides, type Sides } from './parameters.js';
import { predicateShape, type FieldOperatorName } from './predicateShape.js';
import type { CompileOptions, CompilerSettings, RequestMatcher } from './types.js';

export type { CompilerSettings } from './types.js';

const DEFAULT_SETTINGS: CompilerSettings = { fastPaths: true };

function compileFieldOperator(
  operator: FieldOperatorName,
  fields: Record<string, unknown>,
  predicate: Record<string, unknown>,
  options: CompileOptions,
  settings: CompilerSettings,
): RequestMatcher {
  const { sides, expected } = fieldOperatorSides(operator, fields, predicate, options);
  if (operator === 'deepEquals') return compileDeepEquals(expected, sides.actual);
  return compileFieldPredicate(operator, expected, sides, predicate, settings);
}

/** How a field operator's two sides are normalized, and its expected object (its `fields`) after normalization. */
export function fieldOperatorSides(
  operator: FieldOperatorName,
  fields: Record<string, unknown>,
  predicate: Record<string, unknown>,
  options: CompileOptions,
): { sides: Sides; expected: PlainObject } {
  const sides = resolveSides(predicate, operator, options.encoding === 'base64', options.stallMs ?? 0);
  const expected = normalizeExpectedObject(operator === 'deepEquals' ? forceStringsObject(fields) : fields, sides.expected);
  return { sides, expected };
}

function compileLogical(operator: 'and' | 'or', children: readonly unknown[], options: CompileOptions, settings: CompilerSettings): RequestMatcher {
  const matchers = children.map((child) => compilePredicateWith(child, options, settings));
  if (operator === 'and') return allOf(matchers);
  const [only] = matchers;
  if (only !== undefined && matchers.length === 1) return only;
  return (request) => {
    for (const matcher of matchers) if (matcher(request)) return true;
    return false;
  };
}

/** compilePredicate with internal settings (tests use it to switch fast paths off). */
export function compilePredicateWith(predicate: unknown, options: CompileOptions, settings: CompilerSettings): RequestMatcher {
  const compileInject = options.compileInject;
  const shape = predicateShape(predicate, compileInject === undefined);
  switch (shape.operator) {
    case 'not': {
      const inner = compilePredicateWith(shape.inner, options, settings);
      return (request) => !inner(request);
    }
    case 'and':
    case 'or':
      return compileLogical(shape.operator, shape.children, options, settings);
    case 'inject': {
      // predicateShape refused the predicate when there is no compiler (injection not allowed).
      const injected = compileInject!(shape.source, shape.predicate);
      return (request) => Boolean(injected(request.request));
    }
    case '_rift':
      if (options.compileExtension === undefined) return extensionOperatorRefused(shape.predicate);
      return options.compileExtension(shape.value, shape.predicate, false);
    default:
      return compileFieldOperator(shape.operator, shape.fields, shape.predicate, options, settings);
  }
}

export function compilePredicate(predicate: unknown, options: CompileOptions): RequestMatcher {
  return compilePredicateWith(predicate, options, DEFAULT_SETTINGS);
}

/** A stub's `predicates` array: all must match; undefined, null or [] match every request. */
export function compilePredicatesWith(predicates: unknown, options: CompileOptions, settings: CompilerSettings): RequestMatcher {
  if (predicates === undefined || predicates === null) return () => true;
  if (!Array.isArray(predicates)) throw validationError('the predicates field must be an array of predicates', predicates);
  return allOf(predicates.map((predicate) => compilePredicateWith(predicate, options, settings)));
}

export function compilePredicates(predicates: unknown, options: CompileOptions): RequestMatcher {
  return compilePredicatesWith(predicates, options, DEFAULT_SETTINGS);
}
