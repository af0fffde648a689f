// The expected side of a predicate compiled into a tree walked per request: object keys listed
// once, index-like keys pre-parsed, leaf strings precomputed, `matches` regexes built once.
import { isObjectLike } from '../model/plainObject.js';
import { validationError } from '../model/errors.js';
import { compileUserRegex, type UserRegex } from './userRegex.js';
import { errorMessage } from '../model/caughtError.js';

export interface ExpectedLeaf {
  readonly isLeaf: true;
  /** A string, number, boolean or null (what JSON holds besides objects and arrays). */
  readonly value: unknown;
  /** JavaScript truthiness of the value (exists: true/false). */
  readonly truthy: boolean;
  /** mountebank's toString(): the string form, or null for null (equals). */
  readonly text: string | null;
  /** String(value): what indexOf() searches for (contains/startsWith/endsWith). */
  readonly needle: string;
  /** The `matches` regular expression; null for other operators. */
  readonly regex: UserRegex | null;
}

export interface ExpectedBranch {
  readonly isLeaf: false;
  readonly isArray: boolean;
  /** One per key of the expected object (or index of the expected array), in order. */
  readonly fields: readonly ExpectedField[];
  /** The fields' nodes, for expected arrays (matched against elements rather than by index). */
  readonly children: readonly ExpectedNode[];
}

export interface ExpectedField {
  readonly key: string;
  /** The array/string index the key names, LENGTH_KEY for "length", NOT_INDEX otherwise. */
  readonly index: number;
  readonly node: ExpectedNode;
}

export type ExpectedNode = ExpectedLeaf | ExpectedBranch;

export const NOT_INDEX = -1;
export const LENGTH_KEY = -2;

const INDEX_PATTERN = /^(?:0|[1-9]\d*)$/;

function indexOfKey(key: string): number {
  if (key === 'length') return LENGTH_KEY;
  return INDEX_PATTERN.test(key) && key.length < 16 ? Number(key) : NOT_INDEX;
}

export interface LeafOptions {
  /** Regex flags when compiling `matches` leaves; null for every other operator. */
  readonly regexFlags: string | null;
  /** --stallLimit, for the rare regex only a backtracking engine runs. */
  readonly stallMs: number;
  /** The predicate, for error sources. */
  readonly predicate: unknown;
}

function compileRegex(value: unknown, options: LeafOptions): UserRegex | null {
  if (options.regexFlags === null) return null;
  const pattern = String(value);
  try {
    return compileUserRegex(pattern, options.regexFlags, options.stallMs);
  } catch (error) {
    throw validationError(`invalid regular expression ${JSON.stringify(pattern)} in matches predicate: ${errorMessage(error)}`, options.predicate);
  }
}

export function compileLeaf(value: unknown, options: LeafOptions): ExpectedLeaf {
  return {
    isLeaf: true,
    value,
    truthy: Boolean(value),
    text: value === null ? null : String(value),
    needle: String(value),
    regex: compileRegex(value, options),
  };
}

/** Compiles an already-normalized expected value. */
export function compileExpected(value: unknown, options: LeafOptions): ExpectedNode {
  if (!isObjectLike(value)) return compileLeaf(value, options);
  const fields = Object.keys(value).map((key) => ({ key, index: indexOfKey(key), node: compileExpected(value[key], options) }));
  return { isLeaf: false, isArray: Array.isArray(value), fields, children: fields.map((field) => field.node) };
}
