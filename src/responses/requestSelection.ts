// How copy and lookup pick values out of the request (mountebank's getFrom + regex/xpath/jsonpath
// selection): the field is found by name (case-insensitively, the first of a repeated field),
// then the selector, compiled once, gives a list: a regex's whole match and its groups, or every
// xpath/jsonpath match. No match, or a field that is absent or not XML/JSON, gives an empty list.
import { validationError } from '../model/errors.js';
import type { ProtocolRequest } from '../model/request.js';
import { isPlainObject } from '../model/plainObject.js';
import { selectJsonPathAll } from '../matching/jsonpathSelector.js';
import { compileUserRegex, type UserRegex } from '../matching/userRegex.js';
import { checkXPathSelector, namespacedSelect, selectXPath, type XPathSelect } from '../matching/xpathValues.js';
import type { BehaviorFields } from './behaviorFields.js';
import { isObjectLike } from '../model/plainObject.js';

export type RequestSelection = (request: ProtocolRequest) => unknown[];

/**
 * `from` and `using` after validation. The selector is checked by parsing it, so a regex keeps
 * what it was parsed into, and an xpath its namespaces.
 */
export interface RequestSelectionShape {
  /** `from` as the field names it walks: `"query"` is ["query"], `{"query": "q"}` is ["query", "q"]; [] names nothing. */
  readonly from: readonly string[];
  readonly using:
    | { readonly method: 'regex'; readonly regex: UserRegex }
    | { readonly method: 'xpath'; readonly selector: string; readonly select: XPathSelect }
    | { readonly method: 'jsonpath'; readonly selector: string };
}

const METHODS = ['regex', 'xpath', 'jsonpath'] as const;

export function validateRequestSelection(
  fields: BehaviorFields,
  config: { from: unknown; using: unknown },
  prefix: string,
  source: unknown,
  /** --stallLimit, for a regex only a backtracking engine can run. */
  stallMs: number,
): RequestSelectionShape {
  const from = fieldPath(fields.from(config.from, `${prefix}from`));
  const using = fields.object(config.using, `${prefix}using`);
  const method = fields.oneOf(using.method, `${prefix}using.method`, METHODS);
  const selector = fields.requiredString(using.selector, `${prefix}using.selector`, 'the selector');
  if (method === 'regex') {
    const options = isPlainObject(using.options) ? using.options : {};
    const flags = `${options.ignoreCase ? 'i' : ''}${options.multiline ? 'm' : ''}`;
    try {
      return { from, using: { method, regex: compileUserRegex(selector, flags, stallMs) } };
    } catch (err) {
      throw validationError(`invalid regular expression ${JSON.stringify(selector)}: ${err instanceof Error ? err.message : String(err)}`, source);
    }
  }
  if (method === 'xpath') {
    const select = namespacedSelect(using.ns);
    try {
      checkXPathSelector(select, selector);
    } catch {
      throw validationError(`malformed xpath selector ${JSON.stringify(selector)}`, source);
    }
    return { from, using: { method, selector, select } };
  }
  return { from, using: { method, selector } };
}

export function compileRequestSelection({ from, using }: RequestSelectionShape): RequestSelection {
  const select = compileSelector(using);
  return (request) => {
    const value = fieldValue(request, from);
    return value === undefined || value === null ? [] : select(value);
  };
}

function compileSelector(using: RequestSelectionShape['using']): (value: unknown) => unknown[] {
  if (using.method === 'regex') {
    const { regex } = using;
    return (value) => regex.exec(String(value)) ?? [];
  }
  if (using.method === 'xpath') {
    const { select, selector } = using;
    return (value) => {
      const result = selectXPath(select, selector, value);
      if (Array.isArray(result)) return result;
      // A string() result is one value; count() and boolean() results select nothing (as mountebank).
      return typeof result === 'string' ? [result] : [];
    };
  }
  const { selector } = using;
  return (value) => selectJsonPathAll(selector, value) ?? [];
}

/**
 * `from`'s field names, outermost first: an object names its first key and, inside that field,
 * what the key's value names. Validation checked the first level; a deeper one that is neither a
 * string nor an object with a key names no field, and the selection finds nothing.
 */
function fieldPath(from: unknown): string[] {
  const path: string[] = [];
  let level = from;
  while (typeof level !== 'string') {
    if (!isObjectLike(level)) return [];
    const key = Object.keys(level)[0];
    if (key === undefined) return [];
    path.push(key);
    level = level[key];
  }
  path.push(level);
  return path;
}

/** The request field at `from`, as mountebank's getFrom: each name found ignoring case, the first of a repeated field. */
function fieldValue(request: unknown, from: readonly string[]): unknown {
  let record = request;
  for (let i = 0; i < from.length; i++) {
    if (!isObjectLike(record)) return undefined;
    const name = from[i] ?? '';
    const key = keyIgnoringCase(record, name);
    if (i === from.length - 1) {
      const value = key === undefined ? undefined : record[key];
      return Array.isArray(value) ? value[0] : value;
    }
    record = record[key ?? name];
  }
  return undefined;
}

function keyIgnoringCase(record: Record<string, unknown>, wanted: string): string | undefined {
  if (wanted in record) return wanted;
  const lower = wanted.toLowerCase();
  return Object.keys(record).find((k) => k.toLowerCase() === lower);
}
