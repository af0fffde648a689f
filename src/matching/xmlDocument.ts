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
import { parseLightDocument } from './xmlFastParser.js';

type RegPart = RegExp | string;
interface Grammar {
  reg?: (this: unknown, ...parts: RegPart[]) => RegExp;
}

function memoizeGrammarRegexes(): void {
  let grammar: Grammar;
  try {
    grammar = createRequire(import.meta.url)('@xmldom/xmldom/lib/grammar.js') as Grammar;
  } catch {
    return;
  }
  const original = grammar.reg;
  if (typeof original !== 'function' || (original as { memoized?: boolean }).memoized) return;
  // A trie keyed by the parts themselves (constant RegExp objects and short strings).
  interface Node {
    readonly next: Map<RegPart, Node>;
    regex?: RegExp;
  }
  const root: Node = { next: new Map() };
  const memoized = function (this: unknown, ...parts: RegPart[]): RegExp {
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
    const regex = original.apply(this, parts);
    if (!regex.global && !regex.sticky) node.regex = regex;
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

/** xmldom's document, or NO_DOCUMENT after a fatal error. */
export function parseXmldomDocument(text: string): unknown {
  if (text === '') return NO_DOCUMENT;
  try {
    return parser.parseFromString(text, 'text/xml');
  } catch {
    return NO_DOCUMENT;
  }
}

/** The same document for xpath, built by the fast parser where it can (plain well-formed XML). */
export function parseDocument(text: string): unknown {
  return parseLightDocument(text) ?? parseXmldomDocument(text);
}
