// What standin uses of the `xpath` package beyond its own typings, which cover select() over
// browser DOM nodes only: selection over @xmldom/xmldom's nodes (the DOM the package is written
// for), and the parser, evaluation context and result classes it also exports, which the
// predicate compiler evaluates with directly (xpathSelector.ts, xpathFastPath.ts).
import type { Node as XmldomNode } from '@xmldom/xmldom';
import type { DomNode, ParsedExpression, XPathClasses } from './xpathParsed.js';

declare module 'xpath' {
  interface XPathSelect {
    (expression: string, node: XmldomNode): SelectReturnType;
  }
  function select(expression: string, node: XmldomNode): SelectReturnType;

  /** What evaluating a parsed selector gives: a node-set, a number, a boolean or a string. */
  interface EvaluationResult {
    numberValue(): number;
    booleanValue(): boolean;
    stringValue(): string;
  }

  /** A selector as XPathParser.parse leaves it. */
  interface ParsedXPath {
    /** The parse tree (what xpathFastPath.ts compiles). */
    readonly expression: ParsedExpression;
    evaluate(context: XPathContext): EvaluationResult;
  }

  class XPathParser {
    /** Throws on a malformed selector. */
    parse(expression: string): ParsedXPath;
  }

  class FunctionResolver {}
  class VariableResolver {}

  class XPathContext {
    constructor(variables?: VariableResolver, namespaces?: { getNamespace(prefix: string): string | null }, functions?: FunctionResolver);
    expressionContextNode: unknown;
    caseInsensitive: boolean;
  }

  abstract class XNodeSet implements EvaluationResult {
    /** The nodes in document order. */
    toArray(): DomNode[];
    numberValue(): number;
    booleanValue(): boolean;
    stringValue(): string;
  }
  abstract class XBoolean implements EvaluationResult {
    numberValue(): number;
    booleanValue(): boolean;
    stringValue(): string;
  }

  const Step: XPathClasses['Step'];
  const NodeTest: XPathClasses['NodeTest'];
  const PathExpr: XPathClasses['PathExpr'];
  const FunctionCall: XPathClasses['FunctionCall'];
  const XNumber: XPathClasses['XNumber'];
  const XString: XPathClasses['XString'];
  const AndOperation: XPathClasses['AndOperation'];
  const EqualsOperation: XPathClasses['EqualsOperation'];
}
