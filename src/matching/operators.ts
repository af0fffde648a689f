// Leaf comparisons of the field operators: one expected leaf against one normalized actual value.
// mountebank's own functions (predicates.js), except that where mountebank throws a TypeError
// (e.g. `contains` on a number or null read from a JSON body) the string forms are compared, and
// a plain object never contains/starts/ends with anything.
import type { ExpectedLeaf } from './expected.js';

export type LeafTest = (expected: ExpectedLeaf, actual: unknown) => boolean;
export type FieldOperator = 'equals' | 'contains' | 'startsWith' | 'endsWith' | 'matches' | 'exists';

function arrayText(array: readonly unknown[]): string {
  return array.map((element) => (element === null || element === undefined ? '' : presentText(element))).join(',');
}

/** mountebank's toString(value): null/undefined stay as they are; objects as JavaScript prints them. */
export function valueText(value: unknown): string | null | undefined {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return value;
  return presentText(value);
}

/** valueText of a value that is neither null nor undefined. */
function presentText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value !== 'object') return String(value);
  return Array.isArray(value) ? arrayText(value) : '[object Object]';
}

/** The string a scalar actual value is searched in; null for plain objects (no string form). */
function searchableText(actual: unknown): string | null {
  if (actual === null) return 'null';
  if (typeof actual === 'object') return null;
  return String(actual);
}

const equals: LeafTest = (expected, actual) => expected.text === valueText(actual);

const contains: LeafTest = (expected, actual) => {
  if (typeof actual === 'string') return actual.includes(expected.needle);
  if (Array.isArray(actual)) return actual.indexOf(expected.value) >= 0;
  const text = searchableText(actual);
  return text !== null && text.includes(expected.needle);
};

const startsWith: LeafTest = (expected, actual) => {
  if (typeof actual === 'string') return actual.startsWith(expected.needle);
  if (Array.isArray(actual)) return actual.indexOf(expected.value) === 0;
  const text = searchableText(actual);
  return text !== null && text.startsWith(expected.needle);
};

/** indexOf(expected, length - expected.length): a suffix test for strings; contains for non-strings. */
function endsWithText(text: string, expected: ExpectedLeaf): boolean {
  return typeof expected.value === 'string' ? text.endsWith(expected.value) : text.includes(expected.needle);
}

const endsWith: LeafTest = (expected, actual) => {
  if (typeof actual === 'string') return endsWithText(actual, expected);
  if (Array.isArray(actual)) {
    const from = actual.length - (typeof expected.value === 'string' ? expected.value.length : Number.NaN);
    return actual.indexOf(expected.value, Number.isNaN(from) ? 0 : from) >= 0;
  }
  const text = searchableText(actual);
  return text !== null && endsWithText(text, expected);
};

/** RegExp.prototype.test(actual) converts actual with String(); this does the same, safely. */
const matches: LeafTest = (expected, actual) => {
  // Never undefined here (a missing field is compared as ''); String() is what RegExp#test would do.
  const text = actual === null || actual === undefined ? String(actual) : presentText(actual);
  return expected.regex!.test(text);
};

const exists: LeafTest = (expected, actual) => (expected.truthy ? actual !== undefined && actual !== '' : actual === undefined || actual === '');

export const LEAF_TESTS: Readonly<Record<FieldOperator, LeafTest>> = {
  equals,
  contains,
  startsWith,
  endsWith,
  matches,
  exists,
};

/** The same comparisons specialized for a string actual (the fast path's common case). */
export function stringLeafTest(operator: FieldOperator, expected: ExpectedLeaf): (actual: string) => boolean {
  const needle = expected.needle;
  switch (operator) {
    case 'equals': {
      const text = expected.text;
      return (actual) => actual === text;
    }
    case 'contains':
      return (actual) => actual.includes(needle);
    case 'startsWith':
      return (actual) => actual.startsWith(needle);
    case 'endsWith':
      return typeof expected.value === 'string' ? (actual) => actual.endsWith(needle) : (actual) => actual.includes(needle);
    case 'matches': {
      const regex = expected.regex!;
      return (actual) => regex.test(actual);
    }
    case 'exists':
      return expected.truthy ? (actual) => actual !== '' : (actual) => actual === '';
  }
}
