// The actual side of a predicate: a request field normalized the way the predicate's parameters
// say (mountebank's normalize(request) with selectors). A top-level field's view is computed once
// per request and view spec, and cached on the MatchRequest under a key fixed at compile time, so
// every predicate with the same parameters shares it. Text, parsed JSON and parsed XML are cached
// the same way, so two jsonpath predicates over one body parse it once.
import type { MatchRequest } from './matchRequest.js';
import { isObjectLike } from '../model/plainObject.js';
import { NOT_CACHED, slotFor } from './matchRequest.js';
import { newObject, scalarString, transformText, tryJSON, type TextSpec } from './normalize.js';

/** Per-request cache slots of one top-level field under one view spec. */
export interface FieldKeys {
  /** The field name as the predicate spells it after key normalization. */
  readonly field: string;
  readonly view: number;
  /** Text (decoded/lower-cased/except-stripped) of the field; same slot for every spec sharing a TextSpec. */
  readonly text: number;
  /** tryJSON of the text. */
  readonly json: number;
  /** Parsed XML document of the text (the fast parser's where it can). */
  readonly xml: number;
  /** xmldom's document of the text, for the few selectors needing it. */
  readonly xmldom: number;
}

/** xpath/jsonpath: turns one normalized string of the request into the selected value(s). */
export interface Selector {
  /** Distinguishes selectors in cache keys. */
  readonly key: string;
  /** `field` is set for top-level fields (their parsed JSON/XML is cached on the request). */
  select(text: string, spec: ViewSpec, request: MatchRequest, field: FieldKeys | null): unknown;
}

export interface ViewSpec extends TextSpec {
  readonly textId: number;
  readonly viewId: number;
  /** deepEquals: numbers/booleans/null become strings before normalization. */
  readonly forceStrings: boolean;
  readonly selector: Selector | null;
  /** No transformation at all: the view is the request's own value. */
  readonly identity: boolean;
}

const textIds = new Map<string, number>();
const viewIds = new Map<string, number>();

function intern(ids: Map<string, number>, key: string): number {
  let id = ids.get(key);
  if (id === undefined) {
    id = ids.size + 1;
    ids.set(key, id);
  }
  return id;
}

export function createViewSpec(text: TextSpec, forceStringValues: boolean, selector: Selector | null): ViewSpec {
  const except = text.except === null ? '' : `${text.except.flags}/${text.except.source}`;
  const textKey = `${+text.lowerKeys}${+text.lowerValues}${+text.binary}${except}`;
  const textId = intern(textIds, textKey);
  const viewId = intern(viewIds, `${textId}|${+forceStringValues}|${selector === null ? '' : selector.key}`);
  return {
    lowerKeys: text.lowerKeys,
    lowerValues: text.lowerValues,
    except: text.except,
    binary: text.binary,
    textId,
    viewId,
    forceStrings: forceStringValues,
    selector,
    identity: !text.lowerKeys && !text.lowerValues && text.except === null && !text.binary && !forceStringValues && selector === null,
  };
}

export function fieldKeys(spec: ViewSpec, field: string): FieldKeys {
  return {
    field,
    view: slotFor(`v${spec.viewId}\0${field}`),
    text: slotFor(`t${spec.textId}\0${field}`),
    json: slotFor(`j${spec.textId}\0${field}`),
    xml: slotFor(`x${spec.textId}\0${field}`),
    xmldom: slotFor(`X${spec.textId}\0${field}`),
  };
}

function isPlainTextSpec(spec: TextSpec): boolean {
  return !spec.lowerValues && spec.except === null && !spec.binary;
}

/** The transformed text of a top-level string field, cached per TextSpec. */
export function topText(request: MatchRequest, raw: string, spec: ViewSpec, keys: FieldKeys): string {
  if (isPlainTextSpec(spec)) return raw;
  const cached = request.cached(keys.text);
  if (typeof cached === 'string') return cached;
  return request.store(keys.text, transformText(raw, spec));
}

/** tryJSON of a top-level field's text, cached per TextSpec (shared by body-as-JSON and jsonpath). */
export function topJSON(request: MatchRequest, text: string, spec: TextSpec, keys: FieldKeys): unknown {
  const cached = request.cached(keys.json);
  if (cached !== NOT_CACHED) return cached;
  return request.store(keys.json, tryJSON(text, spec));
}

function viewOfString(raw: string, spec: ViewSpec, request: MatchRequest, keys: FieldKeys | null): unknown {
  const text = keys === null ? transformText(raw, spec) : topText(request, raw, spec, keys);
  return spec.selector === null ? text : spec.selector.select(text, spec, request, keys);
}

/** mountebank's normalize(value) with selectors, minus the array sort (no comparison depends on it). */
function viewOf(raw: unknown, spec: ViewSpec, request: MatchRequest, keys: FieldKeys | null): unknown {
  if (typeof raw === 'string') return viewOfString(raw, spec, request, keys);
  if (!isObjectLike(raw)) {
    if (spec.forceStrings && raw !== undefined) return viewOfString(scalarString(raw), spec, request, keys);
    return raw;
  }
  if (Array.isArray(raw)) return raw.map((element) => viewOf(element, spec, request, null));
  const result = newObject();
  for (const key of Object.keys(raw)) {
    result[spec.lowerKeys ? key.toLowerCase() : key] = viewOf(raw[key], spec, request, null);
  }
  return result;
}

/** The normalized value of one top-level request field, cached on the request. */
export function topView(request: MatchRequest, spec: ViewSpec, keys: FieldKeys): unknown {
  if (spec.identity) return request.field(keys.field, false);
  const cached = request.cached(keys.view);
  if (cached !== NOT_CACHED) return cached;
  return request.store(keys.view, viewOf(request.field(keys.field, spec.lowerKeys), spec, request, keys));
}
