// Warnings for field names that will never do anything: `{"equals": {"pth": "/x"}}`, a stub's
// `caseSensitve`, an imposter's `stub`. mountebank accepts them in silence and the stub never
// matches (or the setting never applies); standin accepts them too (or refuses them under
// --strict), but says so, naming the nearest known name. Field names a user chooses (query
// parameters, headers, JSON body keys) are never checked.
import { didYouMean } from './didYouMean.js';
import {
  FIELD_OPERATORS,
  IMPOSTER_FIELDS,
  IS_FIELDS,
  PREDICATE_OPERATORS,
  PREDICATE_PARAMETERS,
  PROXY_FIELDS,
  REQUEST_FIELDS,
  STUB_FIELDS,
} from './knownFields.js';
import { isPlainObject } from './plainObject.js';

export interface FieldWarning {
  /** Where the field is, e.g. `stubs[0].predicates[0].equals.pth`. */
  readonly at: string;
  readonly field: string;
  /** The nearest known name, when one is close. */
  readonly suggestion?: string;
  readonly message: string;
}

/** `_rift`: Rift's script predicate. */
const PREDICATE_FIELDS = [...PREDICATE_OPERATORS, '_rift', ...PREDICATE_PARAMETERS];

function check(out: FieldWarning[], object: Record<string, unknown>, at: string, known: readonly string[], explain: (field: string) => string): void {
  for (const field of Object.keys(object)) {
    if (known.includes(field)) continue;
    const suggestion = didYouMean(field, known);
    const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
    const where = at === '' ? field : `${at}.${field}`;
    const message = `${where}: ${explain(field)}${hint}`;
    out.push(suggestion === undefined ? { at: where, field, message } : { at: where, field, suggestion, message });
  }
}

function checkPredicate(out: FieldWarning[], predicate: unknown, at: string, protocol: string): void {
  if (!isPlainObject(predicate)) return;
  check(out, predicate, at, PREDICATE_FIELDS, (f) => `"${f}" is not a predicate operator or parameter, so it is ignored`);
  const requestFields = REQUEST_FIELDS[protocol];
  for (const operator of FIELD_OPERATORS) {
    const fields = predicate[operator];
    if (requestFields !== undefined && isPlainObject(fields)) {
      check(out, fields, `${at}.${operator}`, requestFields, (f) => `"${f}" is not a field of ${protocol} requests, so no request has it`);
    }
  }
  if (isPlainObject(predicate.not)) checkPredicate(out, predicate.not, `${at}.not`, protocol);
  for (const operator of ['and', 'or']) {
    const children = predicate[operator];
    if (Array.isArray(children)) children.forEach((child, i) => checkPredicate(out, child, `${at}.${operator}[${i}]`, protocol));
  }
}

function checkIs(out: FieldWarning[], is: unknown, at: string, protocol: string): void {
  const known = IS_FIELDS[protocol];
  if (known === undefined || !isPlainObject(is)) return;
  check(out, is, at, known, (f) => `"${f}" is not a field of ${protocol} responses, so it is not sent`);
}

function checkResponse(out: FieldWarning[], response: unknown, at: string, protocol: string, responseFields: readonly string[]): void {
  if (!isPlainObject(response)) return;
  check(out, response, at, responseFields, (f) => `"${f}" is not a response field, so it is ignored`);
  checkIs(out, response.is, `${at}.is`, protocol);
  if (isPlainObject(response.proxy)) check(out, response.proxy, `${at}.proxy`, PROXY_FIELDS, (f) => `"${f}" is not a proxy field, so it is ignored`);
}

/**
 * Warnings for one stub at position `index`. `responseFields` are the top-level fields a response
 * may have: the keys of the registered response kinds and imposter extensions, and the modifiers.
 */
export function stubFieldWarnings(protocol: string, stub: unknown, index: number, responseFields: readonly string[]): FieldWarning[] {
  const out: FieldWarning[] = [];
  if (!isPlainObject(stub)) return out;
  const at = `stubs[${index}]`;
  check(out, stub, at, STUB_FIELDS, (f) => `"${f}" is not a stub field, so it is ignored`);
  if (Array.isArray(stub.predicates)) stub.predicates.forEach((p, i) => checkPredicate(out, p, `${at}.predicates[${i}]`, protocol));
  if (Array.isArray(stub.responses)) stub.responses.forEach((r, i) => checkResponse(out, r, `${at}.responses[${i}]`, protocol, responseFields));
  return out;
}

/** Warnings for a whole imposter definition (its stubs included); custom protocols are checked only in their stubs. */
export function imposterFieldWarnings(
  protocol: string,
  imposter: Record<string, unknown>,
  stubs: readonly unknown[],
  responseFields: readonly string[],
): FieldWarning[] {
  const out: FieldWarning[] = [];
  const known = IMPOSTER_FIELDS[protocol];
  if (known !== undefined) check(out, imposter, '', known, (f) => `"${f}" is not a field of ${protocol} imposters, so it is ignored`);
  checkIs(out, imposter.defaultResponse, 'defaultResponse', protocol);
  stubs.forEach((stub, i) => out.push(...stubFieldWarnings(protocol, stub, i, responseFields)));
  return out;
}
