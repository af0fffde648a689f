// A direct evaluation of the simple selectors most predicates use — location paths of child (`/`)
// and descendant (`//`) steps naming elements (`name`, `p:name`, `p:*`, `*`, with the predicates
// of xpathFastPredicates.ts: `[N]`, `[@a='v']`, `[local-name()='v']`, ...), ending in an element,
// attribute (`@name`, `@*`) or `text()` step, optionally inside `count()` — compiled once from the
// `xpath` package's own parse of the selector, so both read it alike.
// The package evaluates a path by building intermediate node-sets (contexts, arrays, a sorted
// tree) per step; here one pre-order walk of the document tracks which steps each node is a
// context for, which yields the same nodes already in document order and without duplicates.
// Anything else (other axes, other predicates and functions, unresolvable prefixes) returns null
// and the xpath package evaluates it. Works on any DOM (LightDocument or xmldom's).

import { stepPredicates } from './xpathFastPredicates.js';
import { CDATA, DOCUMENT, ELEMENT, nameTest, TEXT, type DomNode, type NodeTest, type ParsedExpression, type XPathClasses } from './xpathParsed.js';

export type { XPathClasses } from './xpathParsed.js';

type Target = 'element' | 'attribute' | 'text';

/** Element steps 0..n-1 and the target step n (its test is targetTest). */
interface Steps {
  readonly tests: readonly NodeTest[];
  readonly targetTest: NodeTest;
  readonly target: Target;
  /** Per step 0..n: taken after `//` (from descendants) rather than from children. */
  readonly descendant: readonly boolean[];
  /** Per step 0..n: the `[N]` position, 0 for none. */
  readonly positions: readonly number[];
  /** Per step 0..n: the predicates after the position. */
  readonly afters: readonly (NodeTest | null)[];
}

/** The selected nodes, in document order. */
export type FastPath = (document: unknown) => DomNode[];

export interface CompiledPath {
  readonly select: FastPath;
  /** The selector is count(path): its result is the number of nodes selected. */
  readonly count: boolean;
}

export function compileFastPath(
  classes: XPathClasses,
  parsed: { readonly expression?: ParsedExpression },
  namespaces: ReadonlyMap<string, string>,
): CompiledPath | null {
  const outer = parsed.expression;
  if (outer === undefined || !(outer instanceof classes.PathExpr)) return null;
  let path: ParsedExpression = outer;
  let count = false;
  const call = outer.filter;
  if (call !== undefined) {
    if (!(call instanceof classes.FunctionCall) || call.functionName !== 'count' || outer.locationPath || (outer.filterPredicates?.length ?? 0) > 0)
      return null;
    const argument = call.arguments?.length === 1 ? call.arguments[0] : undefined;
    if (argument === undefined || !(argument instanceof classes.PathExpr) || argument.filter !== undefined) return null;
    path = argument;
    count = true;
  }
  const steps = path.locationPath?.steps;
  if (steps === undefined || steps.length === 0) return null;

  // Element steps 0..n-1, each with how it relates to the one before (child or descendant), then
  // the target step. `//` is descendant-or-self::node() followed by the next step.
  const tests: NodeTest[] = [];
  const descendant: boolean[] = [];
  const positions: number[] = [];
  const afters: (NodeTest | null)[] = [];
  let target: Target = 'element';
  let targetTest: NodeTest = () => true;
  let targetDescendant = false;
  let afterDescendant = false;
  for (let s = 0; s < steps.length; s++) {
    const step = steps[s]!;
    const last = s === steps.length - 1;
    if (
      step.axis === classes.Step.DESCENDANTORSELF &&
      step.nodeTest === classes.NodeTest.nodeTest &&
      step.predicates.length === 0 &&
      !last &&
      !afterDescendant
    ) {
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
      const predicates = stepPredicates(classes, step.predicates, namespaces);
      if (test === null || predicates === null) return null;
      const { before, after } = predicates;
      tests.push(before === null ? test : (n) => test(n) && before(n));
      afters.push(after);
      descendant.push(afterDescendant);
      positions.push(predicates.position);
      afterDescendant = false;
      continue;
    } else {
      return null;
    }
    targetDescendant = afterDescendant;
  }
  let targetPosition = 0;
  let targetAfter: NodeTest | null = null;
  if (target === 'element') {
    // The last element step is the target itself.
    targetTest = tests.pop()!;
    targetDescendant = descendant.pop()!;
    targetPosition = positions.pop()!;
    targetAfter = afters.pop()!;
  }
  const n = tests.length;
  if (n > 30) return null; // step sets are bit masks
  descendant.push(targetDescendant);
  positions.push(targetPosition);
  afters.push(targetAfter);
  const compiled: Steps = { tests, targetTest, target, descendant, positions, afters };
  return { select: (document) => walk(document as DomNode, compiled), count };
}

/**
 * One pre-order walk. For each element or document x, contexts(x) is the bit mask of the steps x
 * is a context node for (step k applies to x's children, or for the target step n also to x's
 * attributes), derived from its parent's: a child step k needs x to match step k-1; a step after
 * `//` needs x or an ancestor to match it. Step 0 starts at the document. A subtree whose root is
 * a context for no step holds nothing selected, and is skipped.
 */
function walk(document: DomNode, steps: Steps): DomNode[] {
  const { tests, targetTest, target, descendant, positions, afters } = steps;
  const targetAfter = afters[tests.length] ?? null;
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
        if (afters[k] !== null && !afters[k]!(node)) continue;
        matched |= 1 << k;
      }
      if (target === 'element' && ((context >>> n) & 1) === 1 && targetTest(node)) {
        if (positions[n] === 0 || (counted[depth * stride + n] = (counted[depth * stride + n] ?? 0) + 1) === positions[n]) {
          if (targetAfter === null || targetAfter(node)) out.push(node);
        }
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
