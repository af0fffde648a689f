// A fast parser for the plain, well-formed XML most request bodies are: elements, attributes,
// namespaces, text with the five predefined entities and character references, and an XML
// declaration. It builds a LightDocument equal, for every xpath selector, to the DOM xmldom 0.9
// builds (same nodes, names, namespaces, values and whitespace text). Anything else — comments,
// CDATA, DOCTYPE/entities, other processing instructions, non-ASCII names, and every malformed
// or doubtful construct — returns null, and the caller parses the text with xmldom, whose
// lenient recovery mountebank's behaviour depends on.
// xmldom spends most of a parse in validation regexes and its live DOM bookkeeping; a single
// charCode scan over the text is several times cheaper.
import { LightAttr, LightDocument, LightElement, LightProcessingInstruction, LightText, XML_NAMESPACE, XMLNS_NAMESPACE } from './lightDom.js';

/** In-scope namespace bindings, innermost first; prefix '' is the default namespace. */
interface Binding {
  readonly prefix: string;
  /** null: `xmlns=""` undeclared the default namespace. */
  readonly uri: string | null;
  readonly next: Binding | null;
}

const XML_BINDING: Binding = { prefix: 'xml', uri: XML_NAMESPACE, next: null };

/** Characters xmldom rewrites before parsing (normalizeLineEndings): rewritten here the same way. */
const REWRITTEN_LINE_ENDINGS = /[\r\u0085\u2028\u2029]/;

function normalizeLineEndings(text: string): string {
  return text.replace(/\r[\n\u0085]/g, '\n').replace(/[\r\u0085\u2028\u2029]/g, '\n');
}
// xmldom's XMLDecl production, restricted to its common spellings; the data is what follows "<?xml ".
const XML_DECLARATION =
  /^<\?xml[ \t\n]+(version=(?:"1\.[0-9]+"|'1\.[0-9]+')(?:[ \t\n]+encoding=(?:"[A-Za-z][A-Za-z0-9._-]*"|'[A-Za-z][A-Za-z0-9._-]*'))?(?:[ \t\n]+standalone=(?:"(?:yes|no)"|'(?:yes|no)'))?[ \t\n]*)\?>/;
const MAX_ATTRIBUTES = 64;

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9;
}

function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46;
}

/** The end of an ASCII QName (prefix:local or local) starting at `from`, or -1. */
function nameEnd(text: string, from: number): number {
  let i = from;
  if (!isNameStart(text.charCodeAt(i))) return -1;
  i++;
  let colon = false;
  for (;;) {
    const c = text.charCodeAt(i);
    if (isNameChar(c)) i++;
    else if (c === 58 && !colon && isNameStart(text.charCodeAt(i + 1))) {
      colon = true;
      i += 2;
    } else if (c >= 128 || c === 58)
      return -1; // non-ASCII or a second colon: xmldom decides
    else return i;
  }
}

function isAllSpace(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** xmldom's fixedFromCharCode, for the code points it handles sensibly. */
function characterReference(body: string): string | null {
  const hex = body.charCodeAt(1) === 120; // '#x'
  const digits = body.slice(hex ? 2 : 1);
  if (digits.length === 0 || digits.length > 6 || !(hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits)) return null;
  const code = parseInt(digits, hex ? 16 : 10);
  if (code === 0 || code > 0x10ffff) return null;
  return String.fromCodePoint(code);
}

/** Text with its references replaced, or null where xmldom would report one. */
function decodeReferences(raw: string): string | null {
  let amp = raw.indexOf('&');
  if (amp === -1) return raw;
  let out = '';
  let from = 0;
  while (amp !== -1) {
    const semi = raw.indexOf(';', amp + 1);
    if (semi === -1 || semi - amp > 10) return null;
    const body = raw.slice(amp + 1, semi);
    const replaced = body.charCodeAt(0) === 35 ? characterReference(body) : Object.hasOwn(PREDEFINED, body) ? PREDEFINED[body]! : null;
    if (replaced === null) return null;
    out += raw.slice(from, amp) + replaced;
    from = semi + 1;
    amp = raw.indexOf('&', from);
  }
  return out + raw.slice(from);
}

function lookup(bindings: Binding, prefix: string): string | null | undefined {
  for (let b: Binding | null = bindings; b !== null; b = b.next) if (b.prefix === prefix) return b.uri;
  return undefined;
}

/** Scratch space for one start tag's attributes (reused: a parse is synchronous); attrCount are in use. */
const attrNames: string[] = new Array<string>(MAX_ATTRIBUTES).fill('');
const attrValues: string[] = new Array<string>(MAX_ATTRIBUTES).fill('');
let attrCount = 0;

function isDeclared(name: string): boolean {
  for (let k = 0; k < attrCount; k++) if (attrNames[k] === name) return true;
  return false;
}

/**
 * Parses one start tag's attributes from `i` (just after the name) into attrNames/attrValues.
 * Returns the index of '>' or '/' closing the tag, or -1 for anything xmldom should judge.
 */
function scanAttributes(text: string, i: number): number {
  attrCount = 0;
  for (;;) {
    const start = i;
    while (isSpace(text.charCodeAt(i))) i++;
    const c = text.charCodeAt(i);
    if (c === 62) return i; // '>'
    if (c === 47) return text.charCodeAt(i + 1) === 62 ? i : -1; // '/>'
    if (i === start || attrCount === MAX_ATTRIBUTES) return -1; // attributes need a space before them
    const end = nameEnd(text, i);
    if (end === -1) return -1;
    const name = text.slice(i, end);
    i = end;
    while (isSpace(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) !== 61) return -1; // '='
    i++;
    while (isSpace(text.charCodeAt(i))) i++;
    const quote = text.charCodeAt(i);
    if (quote !== 34 && quote !== 39) return -1;
    // One pass to the closing quote, noting what needs work: '<' (xmldom refuses), tab/newline
    // (normalized to spaces before references are replaced, so &#10; stays a newline), '&'.
    let close = i + 1;
    let special = 0;
    for (;;) {
      const v = text.charCodeAt(close);
      if (v === quote) break;
      if (v !== v || v === 60) return -1; // end of text (NaN) or '<'
      if (v === 38 || v === 9 || v === 10) special = 1;
      close++;
    }
    let value = text.slice(i + 1, close);
    if (special === 1) {
      if (value.includes('\n') || value.includes('\t')) value = value.replace(/[\t\n]/g, ' ');
      const decoded = decodeReferences(value);
      if (decoded === null) return -1;
      value = decoded;
    }
    if (isDeclared(name)) return -1;
    attrNames[attrCount] = name;
    attrValues[attrCount++] = value;
    i = close + 1;
  }
}

/** The namespace declarations among the scanned attributes on top of `bindings`, or null to fall back. */
function declare(bindings: Binding): Binding | null {
  let scope = bindings;
  for (let k = 0; k < attrCount; k++) {
    const name = attrNames[k]!;
    if (name !== 'xmlns' && !name.startsWith('xmlns:')) continue;
    const uri = attrValues[k]!;
    if (uri === XMLNS_NAMESPACE || uri === XML_NAMESPACE) return null;
    if (name === 'xmlns') {
      scope = { prefix: '', uri: uri === '' ? null : uri, next: scope };
    } else {
      const prefix = name.slice(6);
      if (uri === '' || prefix === 'xml' || prefix === 'xmlns') return null;
      scope = { prefix, uri, next: scope };
    }
  }
  return scope;
}

/** Builds the element with its attributes; null when a prefix is unbound or two attributes collide. */
function buildElement(document: LightDocument, parent: LightDocument | LightElement, qname: string, scope: Binding): LightElement | null {
  const colon = qname.indexOf(':');
  let element: LightElement;
  if (qname === 'xmlns') return null; // xmldom's createElementNS refuses it (a fatal DOM error)
  if (colon === -1) {
    element = new LightElement(document, parent, qname, null, qname, lookup(scope, '') ?? null);
  } else {
    const prefix = qname.slice(0, colon);
    const uri = prefix === 'xmlns' ? undefined : lookup(scope, prefix);
    if (uri === undefined || uri === null) return null;
    element = new LightElement(document, parent, qname, prefix, qname.slice(colon + 1), uri);
  }
  for (let k = 0; k < attrCount; k++) {
    const name = attrNames[k]!;
    const ac = name.indexOf(':');
    let attr: LightAttr;
    if (ac === -1) {
      attr = new LightAttr(element, name, null, name, name === 'xmlns' ? XMLNS_NAMESPACE : null, attrValues[k]!);
    } else {
      const prefix = name.slice(0, ac);
      const uri = prefix === 'xmlns' ? XMLNS_NAMESPACE : lookup(scope, prefix);
      if (uri === undefined || uri === null) return null;
      attr = new LightAttr(element, name, prefix, name.slice(ac + 1), uri, attrValues[k]!);
      // Two names for one (namespace, local name): xmldom's attribute map would merge them.
      const attributes = element.attributes;
      for (let j = 0; j < attributes.length; j++) {
        if (attributes[j]!.localName === attr.localName && attributes[j]!.namespaceURI === uri) return null;
      }
    }
    element.addAttribute(attr);
  }
  return element;
}

/** The document, or null when xmldom must parse this text. */
export function parseLightDocument(source: string): LightDocument | null {
  const text = REWRITTEN_LINE_ENDINGS.test(source) ? normalizeLineEndings(source) : source;
  const document = new LightDocument();
  let i = 0;
  if (text.startsWith('<?xml')) {
    const declaration = XML_DECLARATION.exec(text);
    if (declaration === null) return null;
    document.append(new LightProcessingInstruction(document, 'xml', declaration[1]!));
    i = declaration[0].length;
  }
  const lead = i;
  while (isSpace(text.charCodeAt(i))) i++;
  if (i > lead) document.append(new LightText(document, document, text.slice(lead, i)));

  let parent: LightDocument | LightElement = document;
  let scope: Binding = XML_BINDING;
  const scopes: Binding[] = [];
  const length = text.length;
  while (i < length) {
    if (text.charCodeAt(i) !== 60) {
      // Text: only inside the root element (leading whitespace was taken above).
      if (parent.nodeType === 9 /* the document */) return isAllSpace(text, i, length) && document.documentElement !== null ? document : null;
      let next = text.indexOf('<', i);
      if (next === -1) next = length;
      const data = decodeReferences(text.slice(i, next));
      if (data === null) return null;
      parent.append(new LightText(document, parent, data));
      i = next;
      continue;
    }
    const c = text.charCodeAt(i + 1);
    if (c === 47) {
      // End tag: must close the current element, by its exact name.
      if (parent.nodeType === 9 /* the document */) return null;
      const element: LightElement = parent;
      const end = i + 2 + element.nodeName.length;
      if (!text.startsWith(element.nodeName, i + 2)) return null;
      let close = end;
      while (isSpace(text.charCodeAt(close))) close++;
      if (text.charCodeAt(close) !== 62) return null;
      parent = element.parentNode;
      scope = scopes.pop()!;
      i = close + 1;
      continue;
    }
    // Start tag; comments, CDATA, DOCTYPE and processing instructions fail the name check.
    if (parent === document && document.documentElement !== null) return null;
    const nameStop = nameEnd(text, i + 1);
    if (nameStop === -1) return null;
    const close = scanAttributes(text, nameStop);
    if (close === -1) return null;
    const elementScope = attrCount === 0 ? scope : declare(scope);
    if (elementScope === null) return null;
    const element = buildElement(document, parent, text.slice(i + 1, nameStop), elementScope);
    if (element === null) return null;
    parent.append(element);
    if (text.charCodeAt(close) === 47) {
      i = close + 2;
    } else {
      scopes.push(scope);
      scope = elementScope;
      parent = element;
      i = close + 1;
    }
  }
  return parent === document && document.documentElement !== null ? document : null;
}
