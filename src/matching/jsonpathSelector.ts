// The `jsonpath: {selector}` predicate parameter (mountebank's jsonpath.js over jsonpath-plus):
// the selector is validated and lower-cased (unless key-case-sensitive) once; per request the
// field's text is parsed with tryJSON (cached per request) and the selection gives a scalar for
// one match, an array for several and undefined for none or for text that is not JSON.
import { JSONPath } from 'jsonpath-plus';
import { validationError } from '../model/errors.js';
import { parseClientJson } from '../model/jsonDepth.js';
import { isObjectLike, isPlainObject } from '../model/plainObject.js';
import type { MatchRequest } from './matchRequest.js';
import { forceStrings, tryJSON } from './normalize.js';
import { topJSON, type FieldKeys, type Selector, type ViewSpec } from './views.js';
import { errorMessage } from '../model/caughtError.js';

// jsonpath-plus's default ("safe") filter-script compiler, used to refuse filters that can never parse.
const SafeScript = JSONPath.prototype?.safeVm?.Script;

// One evaluator for every selector: evaluate() is synchronous and keeps no state between calls.
const evaluator = JSONPath({ autostart: false, wrap: true, path: '$', json: null });

/** jsonpath-plus rewrites `@` references before compiling a filter; validation does the same. */
function scriptSource(code: string): string {
  return code
    .replaceAll('@parentProperty', '_$_parentProperty')
    .replaceAll('@parent', '_$_parent')
    .replaceAll('@property', '_$_property')
    .replaceAll('@root', '_$_root')
    .replaceAll('@path', '_$_path')
    .replaceAll(/@([.\s)[])/gu, '_$_v$1');
}

function checkScripts(segments: readonly string[]): void {
  if (SafeScript === undefined) return;
  for (const segment of segments) {
    let code: string | null = null;
    if (segment.startsWith('?(')) {
      code = segment.replace(/^\?\((.*?)\)$/u, '$1');
      // Nested filters are evaluated piecewise by jsonpath-plus; leave them to it.
      if (/@.?([^?]*)[['](\??\(.*?\))(?!.\)\])[\]']/u.test(code)) continue;
    } else if (segment.startsWith('(') && segment.endsWith(')')) {
      code = segment.slice(1, -1);
    }
    if (code !== null) new SafeScript(scriptSource(code));
  }
}

const SLICE = /^(-?\d*):(-?\d*):?(\d*)$/u;

/** A path segment jsonpath-plus follows as a plain own property: none of its special forms. */
function isPlainSegment(segment: unknown): segment is string {
  if (typeof segment !== 'string') return false;
  if (segment === '*' || segment === '..' || segment === '^' || segment === '~' || segment === '$') return false;
  if (SLICE.test(segment) || segment.includes(',')) return false;
  const first = segment.charAt(0);
  return first !== '?' && first !== '(' && first !== '@' && first !== '`';
}

type PlainWalk = (json: unknown) => unknown[] | undefined;

/**
 * Selectors made only of property names and indexes (`$.customer.tier`, `$.lines[0].sku`) are
 * walked directly: what jsonpath-plus's evaluate does for them (each step follows an own property
 * of a truthy value, else nothing matches), without its per-call path bookkeeping.
 */
function compilePlainPath(selector: string): PlainWalk | null {
  const segments = JSONPath.toPathArray(selector);
  if (segments[0] === '$' && segments.length > 1) segments.shift();
  if (segments.length === 0 || !segments.every(isPlainSegment)) return null;
  return (json) => {
    if (!json) return undefined;
    let value: unknown = json;
    for (const segment of segments) {
      if (!value || !Object.hasOwn(value, segment)) return [];
      value = (value as Record<string, unknown>)[segment];
    }
    return [value];
  };
}

const plainPaths = new Map<string, PlainWalk | null>();

function plainPathFor(selector: string): PlainWalk | null {
  let walk = plainPaths.get(selector);
  if (walk === undefined) {
    walk = compilePlainPath(selector);
    if (plainPaths.size >= 10_000) plainPaths.clear(); // selectors come from configs: bounded in practice
    plainPaths.set(selector, walk);
  }
  return walk;
}

const SHAPE_MESSAGE = 'the jsonpath predicate parameter must be an object with a non-empty string selector, e.g. {"selector": "$.name"}';

export function compileJsonPath(config: unknown, lowerCase: boolean, predicate: unknown): Selector {
  if (!isPlainObject(config) || typeof config.selector !== 'string' || config.selector.trim() === '') {
    throw validationError(SHAPE_MESSAGE, predicate);
  }
  const selector = lowerCase ? config.selector.toLowerCase() : config.selector;
  try {
    checkScripts(JSONPath.toPathArray(selector));
  } catch (error) {
    throw validationError(`malformed jsonpath predicate selector: ${errorMessage(error)}`, predicate);
  }
  const walk = plainPathFor(selector);
  return {
    key: `jsonpath:${selector}`,
    select: (text: string, spec: ViewSpec, request: MatchRequest, field: FieldKeys | null) => {
      const parsed = field === null ? tryJSON(text, spec) : topJSON(request, text, spec, field);
      return oneOrMany(selectAll(selector, walk, spec.forceStrings ? forceStrings(parsed) : parsed));
    },
  };
}

/** mountebank's jsonpath.select + predicates.select: one match → value, several → array, none → undefined. */
export function selectJsonPath(selector: string, possibleJSON: unknown): unknown {
  return oneOrMany(selectJsonPathAll(selector, possibleJSON));
}

function oneOrMany(result: unknown[] | undefined): unknown {
  if (result === undefined || result.length === 0) return undefined;
  return result.length === 1 ? result[0] : result;
}

/** Every value the selector matches (the copy and lookup behaviors); undefined for text that is not JSON. */
export function selectJsonPathAll(selector: string, possibleJSON: unknown): unknown[] | undefined {
  return selectAll(selector, plainPathFor(selector), possibleJSON);
}

function selectAll(selector: string, walk: PlainWalk | null, possibleJSON: unknown): unknown[] | undefined {
  let json = possibleJSON;
  try {
    if (!isObjectLike(json)) json = parseClientJson(String(json));
    return walk !== null ? walk(json) : selectWithJsonPathPlus(selector, json);
  } catch {
    return undefined;
  }
}

/** jsonpath-plus's evaluation: selectors the plain walk does not take, and the reference its test compares with. */
export function selectWithJsonPathPlus(selector: string, json: unknown): unknown[] | undefined {
  try {
    const result = evaluator.evaluate(selector, json);
    return Array.isArray(result) ? result : undefined;
  } catch {
    return undefined;
  }
}

/** The plain-path walk for a selector, or null when jsonpath-plus must evaluate it. @internal */
export function plainPathWalk(selector: string): PlainWalk | null {
  return plainPathFor(selector);
}
