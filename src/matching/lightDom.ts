// A minimal read-only DOM built by the fast XML parser (xmlFastParser.ts). It carries exactly the
// properties the `xpath` package and xpathSelector's nodeValue read, with the values xmldom 0.9
// gives them, so selectors evaluate to the same results on it as on xmldom's DOM. Plain fields,
// fixed shapes: building it is a few allocations per node instead of xmldom's validated tree.
// Deliberately absent: compareDocumentPosition (xpath orders nodes by parentNode/childNodes
// instead), getElementById and node serialization (toString), so selectors calling id() are
// evaluated on xmldom's DOM (see xpathSelector.ts).

export const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';
export const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

/** xmldom's NamedNodeMap / NodeList as the xpath package reads them: length, item(i) and [i]. */
export type LightNodeList<T> = T[] & { item(index: number): T | null };

function item<T>(this: T[], index: number): T | null {
  return index >= 0 && index < this.length ? this[index]! : null;
}

/** A real array (fast to fill and index) with xmldom's item(). */
function nodeList<T>(): LightNodeList<T> {
  const list: T[] = [];
  return Object.assign(list, { item });
}

type LightChild = LightElement | LightText | LightProcessingInstruction;
type LightParent = LightDocument | LightElement;

function childList(parent: LightParent): LightNodeList<LightChild> {
  const list = nodeList<LightChild>();
  for (let child = parent.firstChild; child !== null; child = child.nextSibling) list.push(child);
  return list;
}

function appendChild(parent: LightParent, child: LightChild): void {
  const last = parent.lastChild;
  if (last === null) parent.firstChild = child;
  else {
    last.nextSibling = child;
    child.previousSibling = last;
  }
  parent.lastChild = child;
}

export class LightDocument {
  readonly nodeType = 9;
  readonly nodeName = '#document';
  readonly nodeValue = null;
  readonly localName = null;
  readonly prefix = null;
  readonly namespaceURI = null;
  readonly parentNode = null;
  readonly ownerDocument = null;
  readonly nextSibling = null;
  readonly previousSibling = null;
  firstChild: LightChild | null = null;
  lastChild: LightChild | null = null;
  documentElement: LightElement | null = null;
  private children: LightNodeList<LightChild> | null = null;

  get childNodes(): LightNodeList<LightChild> {
    return (this.children ??= childList(this));
  }

  /** @internal */
  append(child: LightChild): void {
    appendChild(this, child);
    if (child.nodeType === 1) this.documentElement = child;
  }
}

const NO_ATTRIBUTES: LightNodeList<LightAttr> = nodeList();
Object.freeze(NO_ATTRIBUTES);

export class LightElement {
  readonly nodeType = 1;
  readonly nodeValue = null;
  readonly nodeName: string;
  readonly localName: string;
  readonly prefix: string | null;
  readonly namespaceURI: string | null;
  readonly ownerDocument: LightDocument;
  readonly parentNode: LightParent;
  attributes: LightNodeList<LightAttr> = NO_ATTRIBUTES;
  firstChild: LightChild | null = null;
  lastChild: LightChild | null = null;
  nextSibling: LightChild | null = null;
  previousSibling: LightChild | null = null;
  private children: LightNodeList<LightChild> | null = null;

  constructor(document: LightDocument, parent: LightParent, qualifiedName: string, prefix: string | null, localName: string, namespaceURI: string | null) {
    this.ownerDocument = document;
    this.parentNode = parent;
    this.nodeName = qualifiedName;
    this.prefix = prefix;
    this.localName = localName;
    this.namespaceURI = namespaceURI;
  }

  get tagName(): string {
    return this.nodeName;
  }

  get childNodes(): LightNodeList<LightChild> {
    return (this.children ??= childList(this));
  }

  /** As xmldom: the value of the attribute with that namespace and local name, or null (lang()). */
  getAttributeNS(namespaceURI: string | null, localName: string): string | null {
    const attributes = this.attributes;
    for (let i = 0; i < attributes.length; i++) {
      const attr = attributes[i]!;
      if (attr.localName === localName && attr.namespaceURI === (namespaceURI || null)) return attr.value;
    }
    return null;
  }

  /** @internal */
  append(child: LightChild): void {
    appendChild(this, child);
  }

  /** @internal */
  addAttribute(attr: LightAttr): void {
    if (this.attributes === NO_ATTRIBUTES) this.attributes = nodeList();
    this.attributes.push(attr);
  }
}

export class LightAttr {
  readonly nodeType = 2;
  readonly parentNode = null;
  readonly firstChild = null;
  readonly nextSibling = null;
  readonly previousSibling = null;
  readonly nodeName: string;
  readonly localName: string;
  readonly prefix: string | null;
  readonly namespaceURI: string | null;
  readonly value: string;
  readonly ownerElement: LightElement;
  readonly ownerDocument: LightDocument;

  constructor(owner: LightElement, qualifiedName: string, prefix: string | null, localName: string, namespaceURI: string | null, value: string) {
    this.ownerElement = owner;
    this.ownerDocument = owner.ownerDocument;
    this.nodeName = qualifiedName;
    this.prefix = prefix;
    this.localName = localName;
    this.namespaceURI = namespaceURI;
    this.value = value;
  }

  get name(): string {
    return this.nodeName;
  }

  get nodeValue(): string {
    return this.value;
  }
}

export class LightText {
  readonly nodeType = 3;
  readonly nodeName = '#text';
  readonly localName = null;
  readonly prefix = null;
  readonly namespaceURI = null;
  readonly firstChild = null;
  readonly ownerDocument: LightDocument;
  readonly parentNode: LightParent;
  readonly data: string;
  nextSibling: LightChild | null = null;
  previousSibling: LightChild | null = null;

  constructor(document: LightDocument, parent: LightParent, data: string) {
    this.ownerDocument = document;
    this.parentNode = parent;
    this.data = data;
  }

  get nodeValue(): string {
    return this.data;
  }
}

/** Only ever the XML declaration, which xmldom keeps as a processing instruction named "xml". */
export class LightProcessingInstruction {
  readonly nodeType = 7;
  readonly localName = null;
  readonly prefix = null;
  readonly namespaceURI = null;
  readonly firstChild = null;
  readonly ownerDocument: LightDocument;
  readonly parentNode: LightDocument;
  readonly target: string;
  readonly data: string;
  nextSibling: LightChild | null = null;
  previousSibling: LightChild | null = null;

  constructor(document: LightDocument, target: string, data: string) {
    this.ownerDocument = document;
    this.parentNode = document;
    this.target = target;
    this.data = data;
  }

  get nodeName(): string {
    return this.target;
  }

  get nodeValue(): string {
    return this.data;
  }
}
