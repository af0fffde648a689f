// The `jsonpath: {selector}` predicate parameter (mountebank's jsonpath.js over jsonpath-plus):
// the selector is validated and lower-cased (unless key-case-sensitive) once; per request the
// field's text is parsed with tryJSON (cached per request) and the selection gives a scalar for
// one match, an array for several and undefined for none or for text that is not JSON.
import { JSONPath } from 'jsonpath-plus';
import { validationError } from '../model/errors.js';
import { isPlainObject } from '../model/types.js';
import type { MatchRequest } from './matchRequest.js';
import { forceStrings, isObjectLike, tryJSON } from './normalize.js';
import { topJSON, type FieldKeys, type Selector, type ViewSpec } from './views.js';

type ScriptConstructor = new (code: string) => unknown;

// jsonpath-plus's default ("safe") filter-script compiler, used to refuse filters that can never parse.
const SafeScript = (JSONPath as unknown as { prototype?: { safeVm?: { Script?: ScriptConstructor } } }).prototype
  ?.safeVm?.Script;

// One evaluator for every selector: evaluate() is synchronous and keeps no state between calls.
const evaluator = JSONPath({ autostart: false, wrap: true, path: '$', json: null }) as unknown as {
  evaluate(path: string, json: unknown): unknown;
};

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

const SHAPE_MESSAGE = 'the jsonpath predicate parameter must be an object with a non-empty string selector, e.g. {"selector": "$.name"}';

export function compileJsonPath(config: unknown, lowerCase: boolean, predicate: unknown): Selector {
  if (!isPlainObject(config) || typeof config.selector !== 'string' || config.selector.trim() === '') {
    throw validationError(SHAPE_MESSAGE, predicate);
  }
  const selector = lowerCase ? config.selector.toLowerCase() : config.selector;
  try {
    checkScripts(JSONPath.toPathArray(selector));
  } catch (error) {
    throw validationError(`malformed jsonpath predicate selector: ${(error as Error).message}`, predicate);
  }
  return {
    key: `jsonpath:${selector}`,
    select: (text: string, spec: ViewSpec, request: MatchRequest, field: FieldKeys | null) => {
      const parsed = field === null ? tryJSON(text, spec) : topJSON(request, text, spec, field);
      return selectJsonPath(selector, spec.forceStrings ? forceStrings(parsed) : parsed);
    },
  };
}

/** mountebank's jsonpath.select + predicates.select: one match → value, several → array, none → undefined. */
export function selectJsonPath(selector: string, possibleJSON: unknown): unknown {
  const result = selectJsonPathAll(selector, possibleJSON);
  if (result === undefined || result.length === 0) return undefined;
  return result.length === 1 ? result[0] : result;
}

/** Every value the selector matches (the copy and lookup behaviors); undefined for text that is not JSON. */
export function selectJsonPathAll(selector: string, possibleJSON: unknown): unknown[] | undefined {
  let json = possibleJSON;
  try {
    if (!isObjectLike(json)) json = JSON.parse(String(json));
    const result = evaluator.evaluate(selector, json);
    return Array.isArray(result) ? result : undefined;
  } catch {
    return undefined;
  }
}
