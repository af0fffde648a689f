// A field predicate's parameters (caseSensitive, keyCaseSensitive, except, jsonpath, xpath) turned
// into how each side is normalized. `matches` is special, as in mountebank: values keep their case
// (so \W and \S survive), keys are lower-cased unless caseSensitive, the regex gets flag `i`
// instead, `except` is case-sensitive and ignored on the expected side, and an xpath selector is
// used exactly as written.
import { validationError } from '../model/errors.js';
import { compileJsonPath } from './jsonpathSelector.js';
import { compileUserRegex, type UserRegex } from './userRegex.js';
import type { TextSpec } from './normalize.js';
import { compileXPath } from './xpathSelector.js';
import { createViewSpec, type Selector, type ViewSpec } from './views.js';
import { errorMessage } from '../model/caughtError.js';

export interface Sides {
  readonly expected: TextSpec;
  readonly actual: ViewSpec;
  /** Flags for `matches` regexes; null for other operators. */
  readonly regexFlags: string | null;
  /** --stallLimit for regexes only a backtracking engine runs (see userRegex.ts). */
  readonly stallMs: number;
}

function compileExcept(except: unknown, flags: string, predicate: Record<string, unknown>, stallMs: number): UserRegex | null {
  if (!except) return null;
  if (typeof except !== 'string' && typeof except !== 'number') {
    throw validationError('the except parameter must be a string holding a regular expression', predicate);
  }
  const pattern = String(except);
  try {
    return compileUserRegex(pattern, flags, stallMs);
  } catch (error) {
    throw validationError(`invalid except regular expression ${JSON.stringify(pattern)}: ${errorMessage(error)}`, predicate);
  }
}

function compileSelector(predicate: Record<string, unknown>, binary: boolean, jsonpathLowerCase: boolean, xpathLowerCase: boolean): Selector | null {
  // mountebank looks at jsonpath first; an xpath next to it is never used.
  if (predicate.jsonpath) {
    if (binary) throw validationError('the jsonpath predicate parameter is not allowed in binary mode', predicate);
    return compileJsonPath(predicate.jsonpath, jsonpathLowerCase, predicate);
  }
  if (predicate.xpath) {
    if (binary) throw validationError('the xpath predicate parameter is not allowed in binary mode', predicate);
    return compileXPath(predicate.xpath, xpathLowerCase, predicate);
  }
  return null;
}

export function resolveSides(predicate: Record<string, unknown>, operator: string, binary: boolean, stallMs: number): Sides {
  const caseSensitive = Boolean(predicate.caseSensitive);
  if (operator === 'matches') {
    if (binary) throw validationError('the matches predicate is not allowed in binary mode', predicate);
    const lowerKeys = !caseSensitive;
    const except = compileExcept(predicate.except, 'g', predicate, stallMs);
    const selector = compileSelector(predicate, binary, lowerKeys, false);
    return {
      expected: { lowerKeys, lowerValues: false, except: null, binary },
      actual: createViewSpec({ lowerKeys, lowerValues: false, except, binary }, false, selector),
      regexFlags: caseSensitive ? '' : 'i',
      stallMs,
    };
  }
  // mountebank defaults keyCaseSensitive to caseSensitive and lower-cases keys when either says so.
  const keyCaseSensitive = predicate.keyCaseSensitive === undefined ? predicate.caseSensitive : predicate.keyCaseSensitive;
  const text: TextSpec = {
    lowerKeys: keyCaseSensitive === false || !caseSensitive,
    lowerValues: !caseSensitive,
    except: compileExcept(predicate.except, caseSensitive ? 'g' : 'gi', predicate, stallMs),
    binary,
  };
  const selector = compileSelector(predicate, binary, !keyCaseSensitive, !caseSensitive);
  return {
    expected: text,
    actual: createViewSpec(text, operator === 'deepEquals', selector),
    regexFlags: null,
    stallMs,
  };
}
