// What the fast path (xpathFastPath.ts) reads of the `xpath` package: the classes its parser
// builds a selector from, the shapes of those parsed objects, the DOM properties it walks, and
// the package's name test, re-expressed as a closure.

export interface DomNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly nodeValue?: string | null;
  readonly localName?: string | null;
  readonly namespaceURI?: string | null;
  readonly value?: string;
  /** A text node's text (xmldom's and the light DOM's). */
  readonly data?: string;
  readonly target?: string;
  readonly baseName?: string;
  readonly parentNode: DomNode | null;
  readonly firstChild: DomNode | null;
  readonly nextSibling: DomNode | null;
  readonly previousSibling: DomNode | null;
  readonly attributes?: ArrayLike<DomNode> | null;
}

export interface ParsedStep {
  readonly axis: number;
  readonly nodeTest: { readonly prefix?: string | null; readonly localName?: string };
  readonly predicates: readonly ParsedExpression[];
}

/** Any parsed expression; which fields are set depends on its class. */
export interface ParsedExpression {
  readonly filter?: ParsedExpression;
  readonly filterPredicates?: readonly ParsedExpression[];
  readonly locationPath?: { readonly absolute: boolean; readonly steps: readonly ParsedStep[] };
  readonly functionName?: string;
  readonly arguments?: readonly ParsedExpression[];
  readonly num?: number;
  readonly str?: string;
  readonly lhs?: ParsedExpression;
  readonly rhs?: ParsedExpression;
}

type Class = abstract new (...args: never[]) => unknown;

/** The `xpath` package's classes the parsed selector is made of. */
export interface XPathClasses {
  readonly Step: { readonly CHILD: number; readonly ATTRIBUTE: number; readonly DESCENDANTORSELF: number; readonly SELF: number };
  readonly NodeTest: {
    readonly nodeTest: unknown;
    readonly textTest: unknown;
    readonly nameTestAny: unknown;
    readonly NameTestQName: Class;
    readonly NameTestPrefixAny: Class;
  };
  readonly PathExpr: Class;
  readonly FunctionCall: Class;
  readonly XNumber: Class;
  readonly XString: Class;
  readonly AndOperation: Class;
  readonly EqualsOperation: Class;
}

export const ELEMENT = 1;
export const TEXT = 3;
export const CDATA = 4;
export const DOCUMENT = 9;

/** A test of one node. */
export type NodeTest = (node: DomNode) => boolean;

/** A name test as the xpath package applies it (NodeTest.nameSpaceMatches and localNameMatches). */
export function nameTest(classes: XPathClasses, test: ParsedStep['nodeTest'], namespaces: ReadonlyMap<string, string>): NodeTest | null {
  if (test === classes.NodeTest.nameTestAny) return () => true;
  const isQName = test instanceof classes.NodeTest.NameTestQName;
  if (!isQName && !(test instanceof classes.NodeTest.NameTestPrefixAny)) return null;
  const prefix = test.prefix;
  // An unresolvable prefix throws in the package, on the first node of a matching type it meets.
  const uri = prefix ? namespaces.get(prefix) : '';
  if (uri === undefined) return null;
  const spaceMatches = prefix ? (n: DomNode) => uri === (n.namespaceURI || '') : (n: DomNode) => !n.namespaceURI;
  if (!isQName) return spaceMatches;
  const local = test.localName!;
  return (n) => spaceMatches(n) && local === (n.localName || n.nodeName);
}

/** A relative path of one step without predicates on `axis`, or null. */
export function singleStep(classes: XPathClasses, expression: ParsedExpression | undefined, axis: number): ParsedStep | null {
  if (expression === undefined || !(expression instanceof classes.PathExpr) || expression.filter !== undefined) return null;
  const path = expression.locationPath;
  if (path === undefined || path.absolute || path.steps.length !== 1) return null;
  const step = path.steps[0]!;
  return step.axis === axis && step.predicates.length === 0 ? step : null;
}
