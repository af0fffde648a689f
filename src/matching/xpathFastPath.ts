// A direct evaluation of the simple selectors most predicates use — location paths of child (`/`)
// and descendant (`//`) steps naming elements (`name`, `p:name`, `p:*`, `*`, optionally `[N]`),
// ending in an element, attribute (`@name`, `@*`) or `text()` step, optionally inside `count()` —
// compiled once from the `xpath` package's own parse of the selector, so both read it alike.
// The package evaluates a path by building intermediate node-sets (contexts, arrays, a sorted
// tree) per step; here one pre-order walk of the document tests each node against the steps from
// right to left, which yields the same nodes already in document order and without duplicates.
// Anything else (other axes, predicates, functions, unresolvable prefixes) returns null and the
// xpath package evaluates it. Works on any DOM (LightDocument or xmldom's).

interface DomNode {
  readonly nodeType: number;
  readonly nodeName: string;
  readonly localName?: string | null;
  readonly namespaceURI?: string | null;
  readonly parentNode: DomNode | null;
  readonly firstChild: DomNode | null;
  readonly nextSibling: DomNode | null;
  readonly previousSibling: DomNode | null;
  readonly ownerElement?: DomNode | null;
  readonly attributes?: ArrayLike<DomNode> | null;
}

interface ParsedStep {
  readonly axis: number;
  readonly nodeTest: { readonly prefix?: string | null; readonly localName?: string };
  readonly predicates: readonly ParsedExpression[];
}

interface ParsedExpression {
  readonly filter?: ParsedExpression & { readonly functionName?: string; readonly arguments?: readonly ParsedExpression[]; readonly num?: number };
  readonly filterPredicates?: readonly ParsedExpression[];
  readonly locationPath?: { readonly absolute: boolean; readonly steps: readonly ParsedStep[] };
}

/** The `xpath` package's classes the parsed selector is made of. */
export interface XPathClasses {
  readonly Step: { readonly CHILD: number; readonly ATTRIBUTE: number; readonly DESCENDANTORSELF: number };
  readonly NodeTest: {
    readonly nodeTest: unknown;
    readonly textTest: unknown;
    readonly nameTestAny: unknown;
    readonly NameTestQName: abstract new (...args: never[]) => unknown;
    readonly NameTestPrefixAny: abstract new (...args: never[]) => unknown;
  };
  readonly PathExpr: abstract new (...args: never[]) => unknown;
  readonly FunctionCall: abstract new (...args: never[]) => unknown;
  readonly XNumber: abstract new (...args: never[]) => unknown;
}

const DOCUMENT = 9;
const ELEMENT = 1;
const TEXT = 3;
const CDATA = 4;

/** A name test as the xpath package applies it (NodeTest.nameSpaceMatches and localNameMatches). */
type NameTest = (node: DomNode) => boolean;

function nameTest(classes: XPathClasses, test: ParsedStep['nodeTest'], namespaces: ReadonlyMap<string, string>): NameTest | null {
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

/** A positive integer literal predicate (`[N]`), or 0 for none; null for any other predicate. */
function position(classes: XPathClasses, predicates: readonly ParsedExpression[]): number | null {
  if (predicates.length === 0) return 0;
  if (predicates.length > 1) return null;
  const predicate = predicates[0]!;
  if (!(predicate instanceof classes.PathExpr) || predicate.locationPath || (predicate.filterPredicates?.length ?? 0) > 0) return null;
  const literal = predicate.filter;
  if (literal === undefined || !(literal instanceof classes.XNumber)) return null;
  const n = literal.num!;
  return Number.isInteger(n) && n >= 1 ? n : null;
}

type Target = 'element' | 'attribute' | 'text';

/** The selected nodes, in document order. */
export type FastPath = (document: unknown) => DomNode[];

export interface CompiledPath {
  readonly select: FastPath;
  /** The selector is count(path): its result is the number of nodes selected. */
  readonly count: boolean;
}

export function compileFastPath(classes: XPathClasses, parsed: unknown, namespaces: ReadonlyMap<string, string>): CompiledPath | null {
  const outer = (parsed as { expression?: ParsedExpression }).expression;
  if (outer === undefined || !(outer instanceof classes.PathExpr)) return null;
  let path: ParsedExpression = outer;
  let count = false;
  const call = outer.filter;
  if (call !== undefined) {
    if (!(call instanceof classes.FunctionCall) || call.functionName !== 'count' || outer.locationPath || (outer.filterPredicates?.length ?? 0) > 0) return null;
    const argument = call.arguments?.length === 1 ? call.arguments[0] : undefined;
    if (argument === undefined || !(argument instanceof classes.PathExpr) || argument.filter !== undefined) return null;
    path = argument;
    count = true;
  }
  const steps = path.locationPath?.steps;
  if (steps === undefined || steps.length === 0) return null;

  // Element steps 0..n-1, each with how it relates to the one before (child or descendant), then
  // the target step. `//` is descendant-or-self::node() followed by the next step.
  const tests: NameTest[] = [];
  const descendant: boolean[] = [];
  const positions: number[] = [];
  let target: Target = 'element';
  let targetTest: NameTest = () => true;
  let targetDescendant = false;
  let afterDescendant = false;
  for (let s = 0; s < steps.length; s++) {
    const step = steps[s]!;
    const last = s === steps.length - 1;
    if (step.axis === classes.Step.DESCENDANTORSELF && step.nodeTest === classes.NodeTest.nodeTest && step.predicates.length === 0 && !last && !afterDescendant) {
      afterDescendant = true;
      continue;
    }
    if (step.axis === classes.Step.CHILD && step.nodeTest === classes.NodeTest.textTest && step.predicates.length === 0 && last) {
      target = 'text';
    } else if (step.axis === classes.Step.ATTRIBUTE && step.predicates.length === 0 && last) {
      const test = nameTest(classes, step.nodeTest, namespaces);
      if (test === null) return null;
      target = 'attribute';
      targetTest = test;
    } else if (step.axis === classes.Step.CHILD) {
      const test = nameTest(classes, step.nodeTest, namespaces);
      const at = position(classes, step.predicates);
      if (test === null || at === null) return null;
      tests.push(test);
      descendant.push(afterDescendant);
      positions.push(at);
      afterDescendant = false;
      continue;
    } else {
      return null;
    }
    targetDescendant = afterDescendant;
  }
  let targetPosition = 0;
  if (target === 'element') {
    // The last element step is the target itself.
    targetTest = tests.pop()!;
    targetDescendant = descendant.pop()!;
    targetPosition = positions.pop()!;
  }
  const n = tests.length;
  if (n > 30) return null; // step sets are bit masks
  descendant.push(targetDescendant);
  positions.push(targetPosition);
  return { select: (document) => walk(document as DomNode, tests, targetTest, target, descendant, positions), count };
}

/**
 * One pre-order walk. For each element or document x, contexts(x) is the bit mask of the steps x
 * is a context node for (step k applies to x's children, or for the target step n also to x's
 * attributes), derived from its parent's: a child step k needs x to match step k-1; a step after
 * `//` needs x or an ancestor to match it. Step 0 starts at the document. A subtree whose root is
 * a context for no step holds nothing selected, and is skipped.
 */
function walk(
  document: DomNode,
  tests: readonly NameTest[],
  targetTest: NameTest,
  target: Target,
  descendant: readonly boolean[],
  positions: readonly number[],
): DomNode[] {
  // Selectors are only evaluated on documents; anything else is refused, as the package refuses it.
  if (typeof document !== 'object' || document === null || document.nodeType !== DOCUMENT) throw new Error('not a document');
  const out: DomNode[] = [];
  const n = tests.length;
  const contexts: number[] = [1];
  // Per depth and step: how many children of the current parent passed that step's name test.
  const counted: number[] = [];
  const stride = n + 1;
  let depth = 0;
  let node = document.firstChild;
  while (node !== null) {
    const type = node.nodeType;
    const context = contexts[depth]!;
    if (type === ELEMENT) {
      let matched = 0;
      for (let k = 0; k < n; k++) {
        if (((context >>> k) & 1) === 0 || !tests[k]!(node)) continue;
        if (positions[k] !== 0 && (counted[depth * stride + k] = (counted[depth * stride + k] ?? 0) + 1) !== positions[k]) continue;
        matched |= 1 << k;
      }
      if (target === 'element' && ((context >>> n) & 1) === 1 && targetTest(node)) {
        if (positions[n] === 0 || (counted[depth * stride + n] = (counted[depth * stride + n] ?? 0) + 1) === positions[n]) out.push(node);
      }
      let own = descendant[0] ? 1 : 0;
      for (let k = 1; k <= n; k++) {
        const bit = ((matched >>> (k - 1)) | (descendant[k] ? context >>> k : 0)) & 1;
        own |= bit << k;
      }
      if (target === 'attribute' && ((own >>> n) & 1) === 1) {
        const attributes = node.attributes;
        if (attributes) for (let i = 0; i < attributes.length; i++) if (targetTest(attributes[i]!)) out.push(attributes[i]!);
      }
      if (own !== 0 && node.firstChild !== null) {
        depth++;
        contexts[depth] = own;
        for (let k = 0; k <= n; k++) counted[depth * stride + k] = 0;
        node = node.firstChild;
        continue;
      }
    } else if (target === 'text' && (type === TEXT || type === CDATA) && ((context >>> n) & 1) === 1) {
      out.push(node);
    }
    // Next in document order: the next sibling, else the next sibling of the nearest ancestor that has one.
    while (node !== null && node.nextSibling === null) {
      node = node.parentNode;
      depth--;
      if (depth < 0) node = null;
    }
    if (node !== null) node = node.nextSibling;
  }
  return out;
}
