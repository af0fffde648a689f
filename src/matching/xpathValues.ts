// mountebank's xpath.select outside predicates (predicate generators, copy, lookup): the text is
// parsed as XML and the selector evaluated with the given namespaces; nodes give their values,
// number/boolean/string results come back as they are; no node, or text that is not XML, gives undefined.
import { DOMParser } from '@xmldom/xmldom';
import xpath from 'xpath';
import { isPlainObject } from '../model/plainObject.js';
import { xmlNestedDeeperThan } from './xmlDocument.js';

export type XPathSelect = ReturnType<typeof xpath.useNamespaces>;

/** The selection function for a namespace map (`{prefix: uri}`); build it once per selector. */
export function namespacedSelect(ns: unknown): XPathSelect {
  return xpath.useNamespaces((isPlainObject(ns) ? ns : {}) as Record<string, string>);
}

/** Throws when the selector cannot be parsed, for refusing it when the imposter is created. */
export function checkXPathSelector(select: XPathSelect, selector: string): void {
  select(selector, new DOMParser().parseFromString('<a/>', 'text/xml'));
}

type XNode = { nodeValue?: string | null; textContent?: string | null };

export function selectXPath(select: XPathSelect, selector: string, text: unknown): unknown {
  const source = String(text ?? '');
  // Nested too deep to read as XML (see xmlDocument.ts): nothing selected, in linear time.
  if (xmlNestedDeeperThan(source)) return undefined;
  try {
    const doc = new DOMParser({ onError: () => undefined }).parseFromString(source, 'text/xml');
    const result = select(selector, doc);
    if (typeof result === 'number' || typeof result === 'boolean' || typeof result === 'string') return result;
    // A node set is an array; anything else selects nothing.
    if (!Array.isArray(result)) return undefined;
    const values = result.map(nodeValue);
    return values.length === 0 ? undefined : values;
  } catch {
    return undefined;
  }
}

function nodeValue(node: XNode): unknown {
  if (node.nodeValue !== null && node.nodeValue !== undefined) return node.nodeValue;
  return node.textContent ?? '';
}
