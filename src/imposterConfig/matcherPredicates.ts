// Imposter's request matchers as mountebank predicates, so a resource becomes an ordinary stub.
// A matcher is a plain value (EqualTo) or `{value, operator}`; values are compared
// case-sensitively as Imposter does, header names case-insensitively.
import { isPlainObject } from '../model/plainObject.js';
import { ImposterConfigError } from './configModel.js';

type Predicate = Record<string, unknown>;
type Options = Record<string, unknown>;

const QUERY_OPTIONS: Options = { caseSensitive: true };
const HEADER_OPTIONS: Options = { caseSensitive: true, keyCaseSensitive: false };
/**
 * mountebank's `matches` lower-cases keys only together with an `i` regex, so a header regex is
 * case-insensitive here (Imposter's is case-sensitive): the price of case-insensitive names.
 */
const HEADER_REGEX_OPTIONS: Options = {};
const BODY_OPTIONS: Options = { caseSensitive: true };

export const OPERATORS = ['EqualTo', 'NotEqualTo', 'Exists', 'NotExists', 'Contains', 'NotContains', 'Matches', 'NotMatches'] as const;

/** The predicate comparing one request field (`{query: {page: x}}`, `{body: x}`) with an Imposter operator. */
function operatorPredicate(operator: string, field: (value: unknown) => Predicate, value: unknown, options: Options, where: string): Predicate {
  const text = value === undefined || value === null ? '' : String(value);
  switch (operator) {
    case 'EqualTo':
      return { equals: field(text), ...options };
    case 'NotEqualTo':
      return { not: { equals: field(text), ...options } };
    case 'Exists':
      return { exists: field(true), ...options };
    case 'NotExists':
      return { exists: field(false), ...options };
    case 'Contains':
      return { contains: field(text), ...options };
    case 'NotContains':
      return { not: { contains: field(text), ...options } };
    case 'Matches':
      return { matches: field(text), ...options };
    case 'NotMatches':
      return { not: { matches: field(text), ...options } };
    default:
      throw new ImposterConfigError(`${where}: unknown operator ${JSON.stringify(operator)} (expected one of ${OPERATORS.join(', ')})`);
  }
}

/** A bare value is compared for equality; `{value, operator}` names the operator. */
function valueAndOperator(matcher: unknown): { value: unknown; operator: string } {
  if (isPlainObject(matcher)) return { value: matcher.value, operator: typeof matcher.operator === 'string' ? matcher.operator : 'EqualTo' };
  return { value: matcher, operator: 'EqualTo' };
}

export function methodPredicate(method: string): Predicate {
  return { equals: { method: method.toUpperCase() } };
}

export function pathPredicate(regexSource: string): Predicate {
  return { matches: { path: regexSource }, caseSensitive: true };
}

export function mapPredicates(kind: 'queryParams' | 'requestHeaders', matchers: unknown, where: string): Predicate[] {
  if (matchers === undefined || matchers === null) return [];
  if (!isPlainObject(matchers)) throw new ImposterConfigError(`${where}: '${kind}' must be a mapping of names to values`);
  const field = kind === 'queryParams' ? 'query' : 'headers';
  return Object.entries(matchers).map(([name, matcher]) => {
    const { value, operator } = valueAndOperator(matcher);
    const regex = operator === 'Matches' || operator === 'NotMatches';
    const options = kind === 'queryParams' ? QUERY_OPTIONS : regex ? HEADER_REGEX_OPTIONS : HEADER_OPTIONS;
    return operatorPredicate(operator, (v) => ({ [field]: { [name]: v } }), value, options, `${where} ${kind}.${name}`);
  });
}

export function bodyPredicates(matcher: unknown, where: string): Predicate[] {
  if (matcher === undefined || matcher === null) return [];
  if (!isPlainObject(matcher)) throw new ImposterConfigError(`${where}: 'requestBody' must be a mapping such as {value: ..., operator: ...}`);
  if (Array.isArray(matcher.allOf)) return matcher.allOf.flatMap((m) => bodyPredicates(m, where));
  if (Array.isArray(matcher.anyOf)) return [{ or: matcher.anyOf.flatMap((m) => bodyPredicates(m, where)) }];
  const { value, operator } = valueAndOperator(matcher);
  const predicate = operatorPredicate(operator, (v) => ({ body: v }), value, BODY_OPTIONS, `${where} requestBody`);
  const selector = selectorOf(matcher, where);
  if (!selector) return [predicate];
  // `not` wraps the field predicate; the selector belongs next to the operator it qualifies.
  if (isPlainObject(predicate.not)) return [{ not: { ...predicate.not, ...selector } }];
  return [{ ...predicate, ...selector }];
}

function selectorOf(body: Record<string, unknown>, where: string): Options | undefined {
  if (body.jsonPath !== undefined) {
    if (typeof body.jsonPath !== 'string') throw new ImposterConfigError(`${where}: requestBody.jsonPath must be a string`);
    return { jsonpath: { selector: body.jsonPath } };
  }
  if (body.xPath !== undefined) {
    if (typeof body.xPath !== 'string') throw new ImposterConfigError(`${where}: requestBody.xPath must be a string`);
    return body.xmlNamespaces ? { xpath: { selector: body.xPath, ns: body.xmlNamespaces } } : { xpath: { selector: body.xPath } };
  }
  return undefined;
}

/** How many points the request body matcher adds to the specificity score (allOf counts each). */
export function bodyScore(matcher: unknown): number {
  if (!isPlainObject(matcher)) return 0;
  return Array.isArray(matcher.allOf) ? matcher.allOf.length : 1;
}
