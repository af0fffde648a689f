// predicateGenerators: validated once when the proxy is compiled, then applied to each proxied
// request to build the predicates of the stub that saves the origin's answer (mountebank's
// responseResolver.predicatesFor).
import { cloneRequest, compileScript, deferCompileFailure, injectionFailure, runSync, type ScriptScope } from '../injection/index.js';
import { StandinError, validationError } from '../model/errors.js';
import { isPlainObject } from '../model/plainObject.js';
import type { ProtocolRequest } from '../model/request.js';
import type { GeneratedPredicates } from '../contracts/index.js';
import { INJECTION_MESSAGE } from '../injection/index.js';
import { selectJsonPath } from '../matching/jsonpathSelector.js';
import { namespacedSelect, selectXPath } from '../matching/xpathValues.js';

export type PredicateGenerator = (request: ProtocolRequest) => GeneratedPredicates;

/** `scripts` is the imposter's injection scope when --allowInjection is set, else undefined. */
export function compilePredicateGenerators(value: unknown, scripts: ScriptScope | undefined, source: unknown): PredicateGenerator {
  if (value === undefined || value === null) return () => [];
  if (!Array.isArray(value)) throw validationError("'proxy.predicateGenerators' must be an array", source);
  const generators = value.map((generator) => compileGenerator(generator, scripts, source));
  return (request) => generators.flatMap((g) => g(request));
}

function compileGenerator(generator: unknown, scripts: ScriptScope | undefined, source: unknown): PredicateGenerator {
  if (!isPlainObject(generator)) throw validationError('each predicateGenerator must be an object', source);
  if (generator.inject !== undefined) return compileInjectedGenerator(generator.inject, scripts, source);
  if (!isPlainObject(generator.matches)) {
    throw validationError('each predicateGenerator needs a "matches" object, e.g. {"matches": {"path": true}}', source);
  }
  const operator = generator.predicateOperator;
  if (operator !== undefined && (typeof operator !== 'string' || !OPERATORS.includes(operator))) {
    throw validationError(`predicateGenerator "predicateOperator" must be one of ${OPERATORS.join(', ')}`, source);
  }
  const matches = generator.matches;
  const base: Record<string, unknown> = {};
  for (const key of Object.keys(generator)) {
    if (key !== 'matches' && key !== 'ignore' && key !== 'predicateOperator') base[key] = generator[key];
  }
  let valueOf: (field: unknown) => unknown = (field) => field;
  if (generator.jsonpath !== undefined) {
    const selector = isPlainObject(generator.jsonpath) ? generator.jsonpath.selector : undefined;
    if (typeof selector !== 'string') throw validationError('predicateGenerator "jsonpath" needs a string "selector"', source);
    valueOf = (field) => selectionValue(selectJsonPath(selector, field), true);
  } else if (generator.xpath !== undefined) {
    const config = isPlainObject(generator.xpath) ? generator.xpath : {};
    const selector = config.selector;
    if (typeof selector !== 'string') throw validationError('predicateGenerator "xpath" needs a string "selector"', source);
    const select = namespacedSelect(config.ns);
    valueOf = (field) => selectionValue(selectXPath(select, selector, field), false);
  }
  const ignore = isPlainObject(generator.ignore) ? generator.ignore : undefined;

  return (request) =>
    Object.keys(matches).map((fieldName) => {
      const predicate: Record<string, unknown> = structuredClone(base);
      const matcherValue = matches[fieldName];
      if (operator === 'exists') {
        predicate.exists = { [fieldName]: existsShape(request[fieldName], matcherValue) };
      } else if (operator !== undefined) {
        const value = matcherValue === true ? valueOf(request[fieldName]) : buildEquals(request[fieldName], matcherValue, valueOf);
        predicate[operator] = { [fieldName]: value };
      } else if (matcherValue === true) {
        let fieldValue = request[fieldName];
        if (ignore && ignore[fieldName] !== undefined) fieldValue = objFilter(structuredClone(fieldValue), ignore[fieldName]);
        predicate.deepEquals = { [fieldName]: valueOf(fieldValue) };
      } else {
        predicate.equals = { [fieldName]: buildEquals(request[fieldName], matcherValue, valueOf) };
      }
      return predicate;
    });
}

const OPERATORS = ['equals', 'deepEquals', 'contains', 'startsWith', 'endsWith', 'matches', 'exists'];

/**
 * `inject`: `function (config)` with config = {request, logger} returns the predicates array
 * (the generator's other fields are ignored, as in mountebank).
 */
function compileInjectedGenerator(fnSource: unknown, scripts: ScriptScope | undefined, source: unknown): PredicateGenerator {
  if (!scripts) throw new StandinError('invalid injection', INJECTION_MESSAGE, source);
  if (typeof fnSource !== 'string') throw validationError('predicateGenerator "inject" must be a string holding a JavaScript function', source);
  let fn;
  try {
    fn = compileScript(fnSource, 'predicateGenerator injection');
  } catch (err) {
    fn = deferCompileFailure(scripts, 'predicateGenerator inject function', err);
  }
  return (request) => {
    let predicates: unknown;
    try {
      predicates = runSync(fn, [{ request: cloneRequest(request), logger: scripts.logger }], scripts.timeoutMs, scripts.stallMs);
      if (!Array.isArray(predicates)) throw new TypeError('the function must return an array of predicates');
    } catch (err) {
      throw injectionFailure('predicateGenerator injection', fnSource, err);
    }
    return predicates;
  };
}

/**
 * `predicateOperator: "exists"`: `true` where the request has the field (every leaf of an object
 * field), following the `matches` shape. mountebank 2.9.1 builds these predicates from the whole
 * request object rather than from the matched field; standin scopes them to the field, which is
 * what mountebank's own tests and documentation show.
 */
function existsShape(value: unknown, matcher: unknown): unknown {
  if (isPlainObject(matcher)) {
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(matcher)) result[key] = existsShape(isPlainObject(value) ? value[key] : undefined, matcher[key]);
    return result;
  }
  if (isPlainObject(value)) return existsShape(value, Object.fromEntries(Object.keys(value).map((k) => [k, true])));
  return value !== undefined && value !== '';
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
