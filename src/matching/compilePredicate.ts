// The predicate compiler: validates a stub's predicates once (throwing StandinError with
// mountebank's messages) and turns them into matcher closures. Everything that depends only on
// the predicate (normalized expected values, regexes, xpath/jsonpath selectors, cache keys)
// is computed here; the returned matchers only read the request.
import { INJECTION_MESSAGE } from '../injection/injectionMessages.js';
import { didYouMeanSuffix } from '../model/didYouMean.js';
import { StandinError, validationError } from '../model/errors.js';
import { PREDICATE_OPERATORS } from '../model/knownFields.js';
import { isPlainObject } from '../model/types.js';
import { allOf } from './combine.js';
import { compileDeepEquals } from './deepEquals.js';
import { compileFieldPredicate } from './fieldPredicate.js';
import { forceStrings, normalizeExpected, type PlainObject } from './normalize.js';
import type { FieldOperator } from './operators.js';
import { resolveSides, type Sides } from './parameters.js';
import type { CompileOptions, CompilerSettings, RequestMatcher } from './types.js';

export type { CompilerSettings } from './types.js';

const DEFAULT_SETTINGS: CompilerSettings = { fastPaths: true };

export function operatorOf(predicate: unknown): string {
  if (!isPlainObject(predicate)) throw validationError('missing predicate', predicate);
  const found = Object.keys(predicate).filter((key) => PREDICATE_OPERATORS.includes(key));
  if (found.length === 0) throw validationError(`missing predicate: ${missingOperator(predicate)}`, predicate);
  if (found.length > 1) {
    throw validationError(
      `each predicate object must have only one predicate operator, but this one has ${found.join(', ')}; combine them with "and"`,
      predicate,
    );
  }
  return found[0] as string;
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

function compileFieldOperator(operator: string, predicate: Record<string, unknown>, options: CompileOptions, settings: CompilerSettings): RequestMatcher {
  const value = predicate[operator];
  if (!isPlainObject(value)) {
    throw validationError(`the ${operator} predicate must be an object of request fields, e.g. {"${operator}": {"path": "/test"}}`, predicate);
  }
  const { sides, expected } = fieldOperatorSides(operator, predicate, options);
  if (operator === 'deepEquals') return compileDeepEquals(expected, sides.actual);
  return compileFieldPredicate(operator as FieldOperator, expected, sides, predicate, settings);
}

/** How a field operator's two sides are normalized, and its expected object after normalization. */
export function fieldOperatorSides(operator: string, predicate: Record<string, unknown>, options: CompileOptions): { sides: Sides; expected: PlainObject } {
  const sides = resolveSides(predicate, operator, options.encoding === 'base64', options.stallMs ?? 0);
  const value = predicate[operator];
  const expected = normalizeExpected(operator === 'deepEquals' ? forceStrings(value) : value, sides.expected) as PlainObject;
  return { sides, expected };
}

function compileLogical(operator: 'and' | 'or', predicate: Record<string, unknown>, options: CompileOptions, settings: CompilerSettings): RequestMatcher {
  const children = predicate[operator];
  if (!Array.isArray(children)) {
    throw validationError(`the ${operator} predicate must be an array of predicates`, predicate);
  }
  const matchers = children.map((child) => compilePredicateWith(child, options, settings));
  if (operator === 'and') return allOf(matchers);
  if (matchers.length === 1) return matchers[0] as RequestMatcher;
  return (request) => {
    for (const matcher of matchers) if (matcher(request)) return true;
    return false;
  };
}

function compileInjection(predicate: Record<string, unknown>, options: CompileOptions): RequestMatcher {
  if (options.compileInject === undefined) {
    throw new StandinError('invalid injection', INJECTION_MESSAGE, predicate);
  }
  const source = predicate.inject;
  if (typeof source !== 'string') {
    throw validationError('the inject predicate must be a string holding a JavaScript function', predicate);
  }
  const injected = options.compileInject(source, predicate);
  return (request) => Boolean(injected(request.request));
}

/** compilePredicate with internal settings (tests use it to switch fast paths off). */
export function compilePredicateWith(predicate: unknown, options: CompileOptions, settings: CompilerSettings): RequestMatcher {
  const operator = operatorOf(predicate);
  const config = predicate as Record<string, unknown>;
  switch (operator) {
    case 'not': {
      if (!isPlainObject(config.not)) throw validationError('the not predicate must be a predicate object', predicate);
      const inner = compilePredicateWith(config.not, options, settings);
      return (request) => !inner(request);
    }
    case 'and':
    case 'or':
      return compileLogical(operator, config, options, settings);
    case 'inject':
      return compileInjection(config, options);
    default:
      return compileFieldOperator(operator, config, options, settings);
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
