// How copy and lookup pick values out of the request (mountebank's getFrom + regex/xpath/jsonpath
// selection): the field is found by name (case-insensitively, the first of a repeated field),
// then the selector, compiled once, gives a list: a regex's whole match and its groups, or every
// xpath/jsonpath match. No match, or a field that is absent or not XML/JSON, gives an empty list.
import { validationError } from '../model/errors.js';
import type { ProtocolRequest } from '../model/request.js';
import { isPlainObject } from '../model/plainObject.js';
import { selectJsonPathAll } from '../matching/jsonpathSelector.js';
import { compileUserRegex, type UserRegex } from '../matching/userRegex.js';
import { checkXPathSelector, namespacedSelect, selectXPath } from '../matching/xpathValues.js';
import type { BehaviorFields } from './behaviorFields.js';

export type RequestSelection = (request: ProtocolRequest) => unknown[];

const METHODS = ['regex', 'xpath', 'jsonpath'] as const;

export function compileRequestSelection(
  fields: BehaviorFields,
  config: { from: unknown; using: unknown },
  prefix: string,
  source: unknown,
  /** --stallLimit, for a regex only a backtracking engine can run. */
  stallMs: number,
): RequestSelection {
  const from = fields.from(config.from, `${prefix}from`);
  const using = fields.object(config.using, `${prefix}using`);
  const method = fields.oneOf(using.method, `${prefix}using.method`, METHODS);
  const selector = fields.string(using.selector, `${prefix}using.selector`, 'the selector')!;
  const select = compileSelector(method, selector, using, source, stallMs);
  return (request) => {
    const value = fieldValue(request, from);
    return value === undefined || value === null ? [] : select(value);
  };
}

function compileSelector(method: string, selector: string, using: Record<string, unknown>, source: unknown, stallMs: number): (value: unknown) => unknown[] {
  if (method === 'regex') {
    const options = isPlainObject(using.options) ? using.options : {};
    const flags = `${options.ignoreCase ? 'i' : ''}${options.multiline ? 'm' : ''}`;
    let regex: UserRegex;
    try {
      regex = compileUserRegex(selector, flags, stallMs);
    } catch (err) {
      throw validationError(`invalid regular expression ${JSON.stringify(selector)}: ${(err as Error).message}`, source);
    }
    return (value) => regex.exec(String(value)) ?? [];
  }
  if (method === 'xpath') {
    const select = namespacedSelect(using.ns);
    try {
      checkXPathSelector(select, selector);
    } catch {
      throw validationError(`malformed xpath selector ${JSON.stringify(selector)}`, source);
    }
    return (value) => {
      const result = selectXPath(select, selector, value);
      if (Array.isArray(result)) return result;
      // A string() result is one value; count() and boolean() results select nothing (as mountebank).
      return typeof result === 'string' ? [result] : [];
    };
  }
  return (value) => selectJsonPathAll(selector, value) ?? [];
}

/** The request field named by `from`, as mountebank's getFrom. */
function fieldValue(obj: unknown, from: string | Record<string, unknown>): unknown {
  if (obj === undefined || obj === null || typeof obj !== 'object') return undefined;
  const record = obj as Record<string, unknown>;
  if (typeof from !== 'string') {
    const key = Object.keys(from)[0]!;
    return fieldValue(record[keyIgnoringCase(record, key) ?? key], from[key] as string | Record<string, unknown>);
  }
  const key = keyIgnoringCase(record, from);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

function keyIgnoringCase(record: Record<string, unknown>, wanted: string): string | undefined {
  if (wanted in record) return wanted;
  const lower = wanted.toLowerCase();
  return Object.keys(record).find((k) => k.toLowerCase() === lower);
}
