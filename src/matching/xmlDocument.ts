// Parsing request text as XML for xpath predicates: plain well-formed XML with the fast parser
// (xmlFastParser.ts), everything else with @xmldom/xmldom 0.9.
// - xmldom 0.9 throws on the first fatal error (unclosed or mismatched tags, a second root, no
//   root at all); such text has no document, so the selection has no value, as in mountebank
//   2.9.3 and later (2.9.1's xmldom 0.8 carried on and selected from what it had parsed).
// - xmldom 0.9's SAX parser rebuilds a large Unicode RegExp from constant grammar parts for every
//   closing tag (grammar.reg), which dominates parse time. Those regexes depend only on their
//   parts and carry no state (no g/y flag), so reg() is memoized: same results, ~10x faster parses.
import { createRequire } from 'node:module';
import { DOMParser } from '@xmldom/xmldom';
import { isObjectLike } from '../model/plainObject.js';
import { parseLightDocument } from './xmlFastParser.js';

type RegPart = RegExp | string;

function memoizeGrammarRegexes(): void {
  let grammar: unknown;
  try {
    grammar = createRequire(import.meta.url)('@xmldom/xmldom/lib/grammar.js');
  } catch {
    return;
  }
  if (!isObjectLike(grammar)) return;
  const original = grammar.reg;
  if (typeof original !== 'function' || ('memoized' in original && original.memoized)) return;
  // A trie keyed by the parts themselves (constant RegExp objects and short strings).
  interface Node {
    readonly next: Map<RegPart, Node>;
    regex?: RegExp;
  }
  const root: Node = { next: new Map() };
  const memoized = function (this: unknown, ...parts: RegPart[]): unknown {
    let node = root;
    for (const part of parts) {
      let next = node.next.get(part);
      if (next === undefined) {
        next = { next: new Map() };
        node.next.set(part, next);
      }
      node = next;
    }
    if (node.regex !== undefined) return node.regex;
    const regex: unknown = original.apply(this, parts);
    if (regex instanceof RegExp && !regex.global && !regex.sticky) node.regex = regex;
    return regex;
  };
  grammar.reg = Object.assign(memoized, { memoized: true });
}

memoizeGrammarRegexes();

// Recoverable problems are reported through onError (ignored); fatal ones throw.
const parser = new DOMParser({ onError: () => undefined });

/** A small document every selector is tried on at compile time. */
export const SMOKE_DOCUMENT = parser.parseFromString('<x a="b">t<y/></x>', 'text/xml');

/** Stand-in for "no document": empty text, or text xmldom cannot parse. */
export const NO_DOCUMENT = Symbol('no document');

/** Deeper than any real document; xmldom and the xpath evaluation recurse per level. */
export const MAX_XML_DEPTH = 512;

/**
 * True when `text` nests elements more than `max` deep (counted over its tags, roughly: a `>`
 * inside an attribute value or a comment may miscount, only ever for text with more than `max`
 * tags). Linear, and most text has fewer tags than that and is only searched for `<`.
 */
export function xmlNestedDeeperThan(text: string, max: number = MAX_XML_DEPTH): boolean {
  let tags = 0;
  for (let i = text.indexOf('<'); i !== -1 && tags <= max; i = text.indexOf('<', i + 1)) tags++;
  if (tags <= max) return false;
  let depth = 0;
  for (let i = text.indexOf('<'); i !== -1;) {
    const next = text.charCodeAt(i + 1);
    const close = text.indexOf('>', i + 1);
    if (close === -1) return false;
    if (next === 47 /* / */) depth--;
    else if (next !== 33 /* ! */ && next !== 63 /* ? */ && text.charCodeAt(close - 1) !== 47 && ++depth > max) return true;
    i = text.indexOf('<', close + 1);
  }
  return false;
}

/**
 * xmldom's document, or NO_DOCUMENT after a fatal error, or for text nested more than
 * MAX_XML_DEPTH deep: such a body is not read as XML (mountebank's xmldom and xpath overflow the
 * stack on it and fail the request), so an xpath selects nothing from it, in time linear in its length.
 */
export function parseXmldomDocument(text: string): unknown {
  if (text === '' || xmlNestedDeeperThan(text)) return NO_DOCUMENT;
  return parseXmldom(text);
}

function parseXmldom(text: string): unknown {
  try {
    return parser.parseFromString(text, 'text/xml');
  } catch {
    return NO_DOCUMENT;
  }
}

/** The same document for xpath, built by the fast parser where it can (plain well-formed XML). */
export function parseDocument(text: string): unknown {
  if (text === '' || xmlNestedDeeperThan(text)) return NO_DOCUMENT;
  return parseLightDocument(text) ?? parseXmldom(text);
}
