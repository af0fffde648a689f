// predicateGenerators: validated once when the proxy is compiled, then applied to each proxied
// request to build the predicates of the stub that saves the origin's answer (mountebank's
// responseResolver.predicatesFor).
import { DOMParser } from '@xmldom/xmldom';
import xpath from 'xpath';
import { StandinError, validationError } from '../model/errors.js';
import { isPlainObject } from '../model/types.js';
import { INJECTION_MESSAGE } from '../responses/behaviors.js';
import { selectJsonPath } from '../matching/jsonpathSelector.js';

export type PredicateGenerator = (request: Record<string, unknown>) => Record<string, unknown>[];

export function compilePredicateGenerators(value: unknown, allowInjection: boolean, source: unknown): PredicateGenerator {
  if (value === undefined || value === null) return () => [];
  if (!Array.isArray(value)) throw validationError("'proxy.predicateGenerators' must be an array", source);
  const generators = value.map((generator) => compileGenerator(generator, allowInjection, source));
  return (request) => generators.flatMap((g) => g(request));
}

function compileGenerator(generator: unknown, allowInjection: boolean, source: unknown): PredicateGenerator {
  if (!isPlainObject(generator)) throw validationError('each predicateGenerator must be an object', source);
  if (generator.inject !== undefined) {
    if (!allowInjection) throw new StandinError('invalid injection', INJECTION_MESSAGE, source);
    throw validationError('predicateGenerator injection is not supported by this version of standin', source);
  }
  if (!isPlainObject(generator.matches)) {
    throw validationError('each predicateGenerator needs a "matches" object, e.g. {"matches": {"path": true}}', source);
  }
  if (generator.predicateOperator !== undefined) {
    throw validationError('predicateGenerator "predicateOperator" is not supported by this version of standin', source);
  }
  const matches = generator.matches;
  const base: Record<string, unknown> = {};
  for (const key of Object.keys(generator)) {
    if (key !== 'matches' && key !== 'ignore') base[key] = generator[key];
  }
  let valueOf: (field: unknown) => unknown = (field) => field;
  if (generator.jsonpath !== undefined) {
    const selector = (generator.jsonpath as { selector?: unknown } | null)?.selector;
    if (typeof selector !== 'string') throw validationError('predicateGenerator "jsonpath" needs a string "selector"', source);
    valueOf = (field) => selectionValue(selectJsonPath(selector, field), true);
  } else if (generator.xpath !== undefined) {
    const config = generator.xpath as { selector?: unknown; ns?: unknown } | null;
    if (typeof config?.selector !== 'string') throw validationError('predicateGenerator "xpath" needs a string "selector"', source);
    const select = xpath.useNamespaces((isPlainObject(config.ns) ? config.ns : {}) as Record<string, string>);
    const selector = config.selector;
    valueOf = (field) => selectionValue(selectXPath(select, selector, field), false);
  }
  const ignore = isPlainObject(generator.ignore) ? generator.ignore : undefined;

  return (request) =>
    Object.keys(matches).map((fieldName) => {
      const predicate: Record<string, unknown> = structuredClone(base);
      const matcherValue = matches[fieldName];
      if (matcherValue === true) {
        let fieldValue = request[fieldName];
        if (ignore && ignore[fieldName] !== undefined) fieldValue = objFilter(structuredClone(fieldValue), ignore[fieldName]);
        predicate.deepEquals = { [fieldName]: valueOf(fieldValue) };
      } else {
        predicate.equals = { [fieldName]: buildEquals(request[fieldName], matcherValue, valueOf) };
      }
      return predicate;
    });
}

/** `{sub: true, ...}` → the request's values for those keys, recursively. */
function buildEquals(request: unknown, matchers: unknown, valueOf: (field: unknown) => unknown): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  if (!isPlainObject(matchers)) return result;
  const source = isPlainObject(request) ? request : {};
  for (const key of Object.keys(matchers)) {
    const value = source[key];
    result[key] = isPlainObject(value) ? buildEquals(value, matchers[key], valueOf) : valueOf(value);
  }
  return result;
}

/** mountebank's helpers.objFilter: removes keys named by a string, an array or a nested object. */
function objFilter(obj: unknown, filter: unknown): unknown {
  if (!isPlainObject(obj)) return obj;
  if (typeof filter === 'string') delete obj[filter];
  else if (Array.isArray(filter)) for (const key of filter) objFilter(obj, key);
  else if (isPlainObject(filter)) {
    for (const key of Object.keys(filter)) if (obj[key]) objFilter(obj[key], filter[key]);
  }
  return obj;
}

/** One selected node → its value, several → an array, none → '' (mountebank's selectionValue). */
function selectionValue(nodes: unknown, fromJsonPath: boolean): unknown {
  if (nodes === undefined || nodes === null) return '';
  if (!Array.isArray(nodes) || fromJsonPath) return nodes;
  return nodes.length === 1 ? nodes[0] : nodes;
}

function selectXPath(select: ReturnType<typeof xpath.useNamespaces>, selector: string, text: unknown): unknown {
  try {
    const doc = new DOMParser({ onError: () => undefined }).parseFromString(String(text ?? ''), 'text/xml');
    const result = select(selector, doc as unknown as Node);
    if (typeof result === 'number' || typeof result === 'boolean' || typeof result === 'string') return result;
    const values = (result as unknown as Array<{ nodeValue?: string | null; textContent?: string | null; firstChild?: unknown }>).map(nodeValue);
    return values.length === 0 ? undefined : values;
  } catch {
    return undefined;
  }
}

function nodeValue(node: { nodeValue?: string | null; textContent?: string | null; firstChild?: unknown }): unknown {
  if (node.nodeValue !== null && node.nodeValue !== undefined) return node.nodeValue;
  return node.textContent ?? '';
}
