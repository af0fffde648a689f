// The `xpath: {selector, ns}` predicate parameter (mountebank's xpath.js over xpath + @xmldom):
// the selector is parsed once (lower-cased with its namespace URIs unless caseSensitive) and
// smoke-tested; per request the field's text is parsed as XML (cached per request) and evaluated.
// Node values: text → its value, attribute → its value, element → String(firstChild.data) (so
// an empty element still "exists"); number/boolean/string results are used directly; one match
// gives a string, several an array, none undefined.
// Documents come from the fast parser where it can (a LightDocument, see xmlFastParser.ts), else
// from xmldom; selectors calling id() always get xmldom's DOM (id() of a node-set serializes nodes).
// Simple paths are evaluated by xpathFastPath.ts, everything else by the xpath package.
import xpath, { type ParsedXPath } from 'xpath';
import { validationError } from '../model/errors.js';
import { isPlainObject } from '../model/plainObject.js';
import { NOT_CACHED, type MatchRequest } from './matchRequest.js';
import type { FieldKeys, Selector, ViewSpec } from './views.js';
import { compileFastPath } from './xpathFastPath.js';
import type { DomNode } from './xpathParsed.js';
import { NO_DOCUMENT, parseDocument, parseXmldomDocument, SMOKE_DOCUMENT } from './xmlDocument.js';

// Stateless; shared by every evaluation instead of rebuilt per context.
const FUNCTIONS = new xpath.FunctionResolver();
const VARIABLES = new xpath.VariableResolver();

const TEXT_NODE = 3;
const ATTRIBUTE_NODE = 2;

function nodeValue(node: DomNode): string {
  if (node.nodeType === TEXT_NODE) return node.nodeValue ?? '';
  if (node.nodeType === ATTRIBUTE_NODE) return node.value ?? '';
  if (node.firstChild) return String(node.firstChild.data);
  return String(node.data);
}

const SHAPE_MESSAGE =
  'the xpath predicate parameter must be an object with a non-empty string selector and optional ns object of string URIs, e.g. {"selector": "//title"}';
const MALFORMED = 'malformed xpath predicate selector';

function namespaceMap(ns: unknown, lowerCase: boolean, predicate: unknown): Map<string, string> {
  const map = new Map<string, string>();
  if (ns === undefined || ns === null) return map;
  if (!isPlainObject(ns)) throw validationError(SHAPE_MESSAGE, predicate);
  for (const [prefix, uri] of Object.entries(ns)) {
    if (typeof uri !== 'string') throw validationError(SHAPE_MESSAGE, predicate);
    map.set(prefix, lowerCase ? uri.toLowerCase() : uri);
  }
  return map;
}

/** A compiled xpath parameter: evaluates on a parsed document (either parser's). @internal */
export interface XPathQuery {
  /** The selector as evaluated (lower-cased unless caseSensitive) and its namespaces. */
  readonly key: string;
  /** The selector relies on xmldom's own DOM (id()). */
  readonly needsXmldom: boolean;
  /** Throws on a type error, as the xpath package does. */
  evaluate(document: unknown): unknown;
  /** Evaluated by xpathFastPath.ts rather than the xpath package. */
  readonly fastPath: boolean;
  /** The same by the xpath package alone, without the fast path (for tests). */
  evaluateWithPackage(document: unknown): unknown;
}

const CALLS_ID = /(^|[^\w.-])id\s*\(/;

/** @internal */
export function compileXPathQuery(config: unknown, lowerCase: boolean, predicate: unknown): XPathQuery {
  if (!isPlainObject(config) || typeof config.selector !== 'string' || config.selector.trim() === '') {
    throw validationError(SHAPE_MESSAGE, predicate);
  }
  const selector = lowerCase ? config.selector.toLowerCase() : config.selector;
  const namespaces = namespaceMap(config.ns, lowerCase, predicate);
  // Only the given prefixes resolve (no fallback to the document's own declarations), as in mountebank.
  const resolver = { getNamespace: (prefix: string) => namespaces.get(prefix) ?? null };
  let expression: ParsedXPath;
  try {
    expression = new xpath.XPathParser().parse(selector);
  } catch {
    throw validationError(MALFORMED, predicate);
  }

  const values = (nodes: DomNode[]): unknown => {
    if (nodes.length === 0) return undefined;
    return nodes.length === 1 ? nodeValue(nodes[0]!) : nodes.map(nodeValue);
  };
  const evaluateWithPackage = (document: unknown): unknown => {
    const context = new xpath.XPathContext(VARIABLES, resolver, FUNCTIONS);
    context.expressionContextNode = document;
    context.caseInsensitive = false;
    const result = expression.evaluate(context);
    if (result instanceof xpath.XNodeSet) return values(result.toArray());
    if (result instanceof xpath.XNumber) return result.numberValue();
    if (result instanceof xpath.XBoolean) return result.booleanValue();
    return result.stringValue();
  };

  // Unknown functions, unresolvable prefixes and type errors show on any document with an element.
  try {
    evaluateWithPackage(SMOKE_DOCUMENT);
  } catch {
    throw validationError(MALFORMED, predicate);
  }
  const fast = compileFastPath(xpath, expression, namespaces);
  const evaluate =
    fast === null
      ? evaluateWithPackage
      : (document: unknown): unknown => {
          const nodes = fast.select(document);
          return fast.count ? nodes.length : values(nodes);
        };
  return {
    key: `xpath:${JSON.stringify([selector, [...namespaces]])}`,
    needsXmldom: CALLS_ID.test(selector),
    fastPath: fast !== null,
    evaluate,
    evaluateWithPackage,
  };
}

export function compileXPath(config: unknown, lowerCase: boolean, predicate: unknown): Selector {
  const query = compileXPathQuery(config, lowerCase, predicate);
  const parse = query.needsXmldom ? parseXmldomDocument : parseDocument;
  return {
    key: query.key,
    select: (text: string, spec: ViewSpec, request: MatchRequest, field: FieldKeys | null) => {
      let document: unknown;
      if (field === null) {
        document = parse(text);
      } else {
        const slot = query.needsXmldom ? field.xmldom : field.xml;
        document = request.cached(slot);
        if (document === NOT_CACHED) document = request.store(slot, parse(text));
      }
      if (document === NO_DOCUMENT) return undefined;
      let result: unknown;
      try {
        result = query.evaluate(document);
      } catch {
        return undefined;
      }
      // deepEquals compares strings; mountebank leaves count()/boolean() results as numbers and
      // booleans there, so they could never match. They are compared as strings instead.
      return spec.forceStrings && (typeof result === 'number' || typeof result === 'boolean') ? String(result) : result;
    },
  };
}
