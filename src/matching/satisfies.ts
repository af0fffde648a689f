// The one faithful, generic implementation of mountebank's predicateSatisfied/testPredicate walk
// (equals, contains, startsWith, endsWith, matches, exists): expected tree against a normalized
// actual value. Missing actual → ""; actual string vs expected object → tryJSON; both arrays →
// every expected element matches some actual element; actual array vs expected scalar → any
// element (exists: true short-cuts); expected object vs actual array of objects → any element.
// The fast paths (fastPaths.ts) must agree with this; a randomized test checks that they do.
import { isObjectLike } from '../model/plainObject.js';
import { LENGTH_KEY, NOT_INDEX, type ExpectedBranch, type ExpectedNode } from './expected.js';
import { tryJSON, type TextSpec } from './normalize.js';
import type { LeafTest } from './operators.js';

export interface WalkContext {
  readonly leaf: LeafTest;
  /** mountebank's `predicateConfig.exists` short-cut for array fields. */
  readonly isExists: boolean;
  /** How tryJSON transforms values found in JSON strings. */
  readonly text: TextSpec;
}

/** actual[key] as JavaScript reads it, minus inherited properties. */
function lookup(actual: unknown, key: string, index: number): unknown {
  if (typeof actual === 'string' || Array.isArray(actual)) {
    if (index === LENGTH_KEY) return actual.length;
    return index === NOT_INDEX ? undefined : actual[index];
  }
  if (!isObjectLike(actual)) return undefined;
  return Object.hasOwn(actual, key) ? actual[key] : undefined;
}

function isTruthy(expected: ExpectedNode): boolean {
  return expected.isLeaf ? expected.truthy : true;
}

export function testPredicate(expected: ExpectedNode, actual: unknown, context: WalkContext): boolean {
  const value = actual === undefined ? '' : actual;
  return expected.isLeaf ? context.leaf(expected, value) : satisfied(expected, value, context);
}

function everyInSome(expected: readonly ExpectedNode[], actual: readonly unknown[], context: WalkContext): boolean {
  for (const element of expected) {
    if (!someMatches(element, actual, context)) return false;
  }
  return true;
}

function someMatches(expected: ExpectedNode, actual: readonly unknown[], context: WalkContext): boolean {
  for (const element of actual) {
    if (testPredicate(expected, element, context)) return true;
  }
  return false;
}

/** One key of an expected object against the actual value at that key (`container` holds it). */
export function fieldSatisfied(
  expected: ExpectedNode,
  actual: unknown,
  parentExpected: ExpectedBranch | null,
  container: unknown,
  context: WalkContext,
): boolean {
  const expectedIsArray = !expected.isLeaf && expected.isArray;
  if (Array.isArray(actual)) {
    if (expectedIsArray) return everyInSome(expected.children, actual, context);
    if (context.isExists && isTruthy(expected)) return true;
    return someMatches(expected, actual, context);
  }
  if (!expectedIsArray && actual === undefined && parentExpected !== null && Array.isArray(container)) {
    // Old syntax: {equals: {examples: {key: 'x'}}} against an array of objects.
    return someMatches(parentExpected, container, context);
  }
  if (!expected.isLeaf) return satisfied(expected, actual, context);
  return testPredicate(expected, actual, context);
}

/** Expected object against an actual value; strings are read as JSON when they parse. */
export function satisfied(expected: ExpectedBranch, actual: unknown, context: WalkContext): boolean {
  if (!actual) return false;
  return satisfiedParsed(expected, typeof actual === 'string' ? tryJSON(actual, context.text) : actual, context);
}

/** satisfied() after tryJSON. */
export function satisfiedParsed(expected: ExpectedBranch, actual: unknown, context: WalkContext): boolean {
  // mountebank compares an expected array with a JSON-parsed array position by position after
  // sorting only the expected side; both-arrays subset semantics apply here as everywhere else.
  if (expected.isArray && Array.isArray(actual)) return everyInSome(expected.children, actual, context);
  for (const field of expected.fields) {
    if (!fieldSatisfied(field.node, lookup(actual, field.key, field.index), expected, actual, context)) return false;
  }
  return true;
}
