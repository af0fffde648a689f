// The step predicates the fast path evaluates itself, per element, as the xpath package would:
// `[N]` (a positive integer: the Nth of the step's nodes so far), and boolean tests joined by
// `and` — `@a` (exists), `@a = 'v'`, `text() = 'v'`, `. = 'v'`, `local-name() = 'v'` and
// `namespace-uri() = 'v'` (either operand order, `local-name(.)` too). A node-set equals a string
// when one of its nodes' string-values does (XNodeSet.compareWithString). Anything else: null.
import { CDATA, ELEMENT, nameTest, singleStep, TEXT, type DomNode, type NodeTest, type ParsedExpression, type XPathClasses } from './xpathParsed.js';

/** A step's predicates: tests before the position, the position (0: none), tests after it. */
export interface StepPredicates {
  readonly before: NodeTest | null;
  readonly position: number;
  readonly after: NodeTest | null;
}

function both(a: NodeTest | null, b: NodeTest): NodeTest {
  return a === null ? b : (n) => a(n) && b(n);
}

/** XNodeSet.stringForNode of an element: its descendant text in document order. */
function stringValue(node: DomNode): string {
  let s = '';
  for (let child = node.firstChild; child !== null; child = child.nextSibling) {
    const type = child.nodeType;
    if (type === ELEMENT) s += stringValue(child);
    else if (type === TEXT || type === CDATA) s += child.nodeValue;
  }
  return s;
}

/** The element has an attribute passing `test` (with that string-value, unless null). */
function anyAttribute(test: NodeTest, value: string | null): NodeTest {
  return (n) => {
    const attributes = n.attributes;
    if (attributes) {
      for (let i = 0; i < attributes.length; i++) {
        const a = attributes[i]!;
        if (test(a) && (value === null || (a.value || a.nodeValue) === value)) return true;
      }
    }
    return false;
  };
}

function literal(classes: XPathClasses, expression: ParsedExpression | undefined): string | null {
  if (expression === undefined || !(expression instanceof classes.PathExpr) || expression.locationPath !== undefined) return null;
  if ((expression.filterPredicates?.length ?? 0) > 0) return null;
  const value = expression.filter;
  return value !== undefined && value instanceof classes.XString ? value.str! : null;
}

/** local-name() or namespace-uri(), of the context node (no argument, or `.`). */
function nameFunction(classes: XPathClasses, expression: ParsedExpression | undefined): string | null {
  if (expression === undefined || !(expression instanceof classes.PathExpr) || expression.locationPath !== undefined) return null;
  if ((expression.filterPredicates?.length ?? 0) > 0) return null;
  const call = expression.filter;
  if (call === undefined || !(call instanceof classes.FunctionCall)) return null;
  const args = call.arguments ?? [];
  if (args.length > 1 || (args.length === 1 && singleStep(classes, args[0], classes.Step.SELF)?.nodeTest !== classes.NodeTest.nodeTest)) return null;
  return call.functionName === 'local-name' || call.functionName === 'namespace-uri' ? call.functionName : null;
}

/** `source = 'value'` for one side compiled as a string source of the element. */
function equalsTest(classes: XPathClasses, source: ParsedExpression | undefined, value: string, namespaces: ReadonlyMap<string, string>): NodeTest | null {
  const attribute = singleStep(classes, source, classes.Step.ATTRIBUTE);
  if (attribute !== null) {
    const test = nameTest(classes, attribute.nodeTest, namespaces);
    if (test === null) return null;
    return anyAttribute(test, value);
  }
  const text = singleStep(classes, source, classes.Step.CHILD);
  if (text !== null && text.nodeTest === classes.NodeTest.textTest) {
    return (n) => {
      for (let c = n.firstChild; c !== null; c = c.nextSibling) if ((c.nodeType === TEXT || c.nodeType === CDATA) && c.nodeValue === value) return true;
      return false;
    };
  }
  const self = singleStep(classes, source, classes.Step.SELF);
  if (self !== null && self.nodeTest === classes.NodeTest.nodeTest) return (n) => stringValue(n) === value;
  const name = nameFunction(classes, source);
  if (name === 'local-name') return (n) => (n.localName || n.baseName || n.target || n.nodeName || '') === value;
  if (name === 'namespace-uri') return (n) => (n.namespaceURI || '') === value;
  return null;
}

function booleanTest(classes: XPathClasses, expression: ParsedExpression, namespaces: ReadonlyMap<string, string>): NodeTest | null {
  if (expression instanceof classes.AndOperation) {
    const lhs = booleanTest(classes, expression.lhs!, namespaces);
    const rhs = lhs === null ? null : booleanTest(classes, expression.rhs!, namespaces);
    return lhs === null || rhs === null ? null : (n) => lhs(n) && rhs(n);
  }
  if (expression instanceof classes.EqualsOperation) {
    const right = literal(classes, expression.rhs);
    if (right !== null) return equalsTest(classes, expression.lhs, right, namespaces);
    const left = literal(classes, expression.lhs);
    return left === null ? null : equalsTest(classes, expression.rhs, left, namespaces);
  }
  const attribute = singleStep(classes, expression, classes.Step.ATTRIBUTE);
  if (attribute !== null) {
    const test = nameTest(classes, attribute.nodeTest, namespaces);
    if (test === null) return null;
    return anyAttribute(test, null);
  }
  return null;
}

/** A positive integer literal (`[N]`), 0 for any other number, null for anything else. */
function positionOf(classes: XPathClasses, expression: ParsedExpression): number | null {
  if (!(expression instanceof classes.PathExpr) || expression.locationPath !== undefined || (expression.filterPredicates?.length ?? 0) > 0) return null;
  const value = expression.filter;
  if (value === undefined || !(value instanceof classes.XNumber)) return null;
  const n = value.num!;
  return Number.isInteger(n) && n >= 1 ? n : 0;
}

export function stepPredicates(classes: XPathClasses, predicates: readonly ParsedExpression[], namespaces: ReadonlyMap<string, string>): StepPredicates | null {
  let before: NodeTest | null = null;
  let after: NodeTest | null = null;
  let position = 0;
  for (const predicate of predicates) {
    const at = positionOf(classes, predicate);
    if (at !== null) {
      if (at === 0 || position !== 0) return null; // [0], [1.5], a second position: the package decides
      position = at;
      continue;
    }
    const test = booleanTest(classes, predicate, namespaces);
    if (test === null) return null;
    if (position === 0) before = both(before, test);
    else after = both(after, test);
  }
  return { before, position, after };
}
