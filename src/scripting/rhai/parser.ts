// A recursive-descent parser for the Rhai language scripts use. Operator precedence follows the
// Rhai book's table; statements follow Rhai's rule that a statement needs a `;` unless it is the
// last one of its block or ends with a block of its own (`if`, `while`, `for`, `loop`, ...).
import type { Block, Expr, FnDef, Pos, Script, Stmt, SwitchCase } from './ast.js';
import { RhaiSyntaxError } from './errors.js';
import { tokenize, type Token } from './lexer.js';
import { RhaiChar, float } from './values.js';

const BINARY_PRECEDENCE: Record<string, number> = {
  '||': 30,
  '|': 30,
  '^': 30,
  '&&': 60,
  '&': 60,
  '==': 90,
  '!=': 90,
  in: 110,
  '!in': 110,
  '>': 130,
  '>=': 130,
  '<': 130,
  '<=': 130,
  '??': 135,
  '..': 140,
  '..=': 140,
  '+': 150,
  '-': 150,
  '*': 180,
  '/': 180,
  '%': 180,
  '**': 190,
  '<<': 210,
  '>>': 210,
};

const ASSIGNMENT_OPS = new Set(['=', '+=', '-=', '*=', '/=', '%=', '**=', '<<=', '>>=', '&=', '|=', '^=']);

const KEYWORDS = new Set([
  'let',
  'const',
  'if',
  'else',
  'switch',
  'do',
  'while',
  'until',
  'loop',
  'for',
  'in',
  'break',
  'continue',
  'return',
  'throw',
  'try',
  'catch',
  'fn',
  'private',
  'import',
  'export',
  'as',
  'true',
  'false',
  'this',
  'global',
]);

/** Expressions that end with a block need no `;` after them as statements. */
const SELF_TERMINATED = new Set(['if', 'switch', 'while', 'loop', 'for', 'block']);

export function parseScript(source: string): Script {
  return new Parser(tokenize(source)).script();
}

class Parser {
  private i = 0;

  constructor(private readonly tokens: Token[]) {}

  // ---- token helpers ----

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.i + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const t = this.tokens[this.i]!;
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private isPunct(value: string, t: Token = this.peek()): boolean {
    return t.kind === 'punct' && t.value === value;
  }

  private isWord(value: string, t: Token = this.peek()): boolean {
    return t.kind === 'ident' && t.value === value;
  }

  private eatPunct(value: string): boolean {
    if (!this.isPunct(value)) return false;
    this.i++;
    return true;
  }

  private fail(reason: string, at: Pos = this.peek()): never {
    throw new RhaiSyntaxError(reason, at);
  }

  private describe(t: Token): string {
    switch (t.kind) {
      case 'eof':
        return 'the end of the script';
      case 'punct':
        return `'${t.value}'`;
      case 'ident':
        return `'${t.value}'`;
      case 'string':
      case 'interpolated':
        return 'a string';
      case 'char':
        return 'a character';
      default:
        return `the number ${t.value}`;
    }
  }

  private expectPunct(value: string, context: string): Token {
    const t = this.peek();
    if (!this.isPunct(value, t)) this.fail(`expected '${value}' ${context}, found ${this.describe(t)}`, t);
    return this.next();
  }

  private identifier(context: string): string {
    const t = this.peek();
    if (t.kind !== 'ident') this.fail(`expected a name ${context}, found ${this.describe(t)}`, t);
    if (KEYWORDS.has(t.value)) this.fail(`'${t.value}' is a reserved word and cannot be used as a name`, t);
    this.i++;
    return t.value;
  }

  private pos(t: Token = this.peek()): Pos {
    return { line: t.line, column: t.column };
  }

  // ---- statements ----

  script(): Script {
    const functions: FnDef[] = [];
    const statements: Stmt[] = [];
    const seen = new Set<string>();
    while (this.peek().kind !== 'eof') {
      if (this.eatPunct(';')) continue;
      if (this.isWord('fn') || (this.isWord('private') && this.isWord('fn', this.peek(1)))) {
        if (this.isWord('private')) this.i++;
        const fn = this.functionDefinition();
        const key = `${fn.name}/${fn.params.length}`;
        if (seen.has(key)) this.fail(`function '${fn.name}' with ${fn.params.length} parameter(s) is defined twice`, fn);
        seen.add(key);
        functions.push(fn);
        continue;
      }
      const stmt = this.statement();
      statements.push(stmt);
      this.terminator(stmt, true);
    }
    return { functions, statements };
  }

  private functionDefinition(): FnDef {
    const at = this.pos();
    this.next(); // fn
    const name = this.identifier("after 'fn'");
    this.expectPunct('(', `after the function name '${name}'`);
    const params: string[] = [];
    while (!this.isPunct(')')) {
      const paramAt = this.peek();
      const param = this.identifier('for a parameter');
      if (params.includes(param)) this.fail(`duplicate parameter '${param}'`, paramAt);
      params.push(param);
      if (!this.eatPunct(',')) break;
    }
    this.expectPunct(')', `to close the parameters of '${name}'`);
    if (!this.isPunct('{')) this.fail(`expected '{' to start the body of '${name}', found ${this.describe(this.peek())}`);
    return { name, params, body: this.block(), ...at };
  }

  /** After a statement: `;`, the block's end, or nothing if the statement ended with a block. */
  private terminator(stmt: Stmt, topLevel: boolean): void {
    const t = this.peek();
    if (this.isPunct(';', t)) {
      this.i++;
      return;
    }
    if (t.kind === 'eof' || (!topLevel && this.isPunct('}', t))) return;
    if (stmt.k === 'expr' && SELF_TERMINATED.has(stmt.expr.k)) return;
    if (stmt.k === 'try') return;
    this.fail(`expected ';' to end this statement, found ${this.describe(t)}`, t);
  }

  private block(): Block {
    const open = this.expectPunct('{', 'to start a block');
    const body: Stmt[] = [];
    for (;;) {
      if (this.eatPunct(';')) continue;
      if (this.isPunct('}')) break;
      if (this.peek().kind === 'eof') this.fail("this block is never closed by '}'", open);
      const stmt = this.statement();
      body.push(stmt);
      this.terminator(stmt, false);
    }
    this.next(); // }
    return { k: 'block', body, ...this.pos(open) };
  }

  private statement(): Stmt {
    const t = this.peek();
    const at = this.pos(t);
    if (t.kind === 'ident') {
      switch (t.value) {
        case 'let':
        case 'const': {
          this.i++;
          const name = this.identifier(`after '${t.value}'`);
          const init = this.eatPunct('=') ? this.expression() : undefined;
          return { k: 'let', name, init, constant: t.value === 'const', ...at };
        }
        case 'break':
          this.i++;
          return { k: 'break', value: this.optionalValue(), ...at };
        case 'continue':
          this.i++;
          return { k: 'continue', ...at };
        case 'return':
          this.i++;
          return { k: 'return', value: this.optionalValue(), ...at };
        case 'throw':
          this.i++;
          return { k: 'throw', value: this.optionalValue(), ...at };
        case 'try': {
          this.i++;
          const body = this.block();
          if (!this.isWord('catch')) this.fail(`expected 'catch' after the 'try' block, found ${this.describe(this.peek())}`);
          this.i++;
          let errorVar: string | undefined;
          if (this.eatPunct('(')) {
            errorVar = this.identifier("for the caught error in 'catch (...)'");
            this.expectPunct(')', "to close 'catch ('");
          }
          return { k: 'try', body, errorVar, handler: this.block(), ...at };
        }
        case 'fn':
          return this.fail('functions can only be defined at the top level of a script, not inside a block', t);
        case 'import':
        case 'export':
          return this.fail(`'${t.value}' (modules) is not supported by standin's Rhai`, t);
      }
    }
    const expr = this.expression();
    const op = this.peek();
    if (op.kind === 'punct' && ASSIGNMENT_OPS.has(op.value)) {
      if (!isAssignable(expr)) this.fail(`cannot assign to this expression: only variables, properties and indexed elements can be assigned`, op);
      this.i++;
      return { k: 'assign', op: op.value, target: expr, value: this.expression(), ...at };
    }
    return { k: 'expr', expr, ...at };
  }

  private optionalValue(): Expr | undefined {
    const t = this.peek();
    if (t.kind === 'eof' || this.isPunct(';', t) || this.isPunct('}', t)) return undefined;
    return this.expression();
  }

  // ---- expressions ----

  private expression(minPrecedence = 0): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.peek();
      let op: string | undefined;
      let width = 1;
      if (t.kind === 'punct' && BINARY_PRECEDENCE[t.value] !== undefined) op = t.value;
      else if (this.isWord('in', t)) op = 'in';
      else if (this.isPunct('!', t) && this.isWord('in', this.peek(1))) {
        op = '!in';
        width = 2;
      }
      if (op === undefined) return left;
      const precedence = BINARY_PRECEDENCE[op]!;
      if (precedence <= minPrecedence) return left;
      this.i += width;
      // `**` is right-associative: its right side may hold another `**`.
      const right = this.expression(op === '**' ? precedence - 1 : precedence);
      left = { k: 'binary', op, left, right, ...this.pos(t) };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (t.kind === 'punct' && (t.value === '-' || t.value === '+' || t.value === '!')) {
      this.i++;
      const operand = this.unary();
      // Fold negative literals so `-9223...` style bounds and `-1.5` are plain constants.
      if (t.value === '-' && operand.k === 'literal' && typeof operand.value === 'number') {
        return { k: 'literal', value: -operand.value, ...this.pos(t) };
      }
      return { k: 'unary', op: t.value, operand, ...this.pos(t) };
    }
    return this.postfix(this.primary());
  }

  private postfix(target: Expr): Expr {
    for (;;) {
      const t = this.peek();
      if (this.isPunct('.', t) || this.isPunct('?.', t)) {
        this.i++;
        const nameTok = this.peek();
        if (nameTok.kind !== 'ident') this.fail(`expected a property or method name after '${t.value}', found ${this.describe(nameTok)}`, nameTok);
        this.i++;
        const safe = t.value === '?.';
        if (this.isPunct('(')) {
          target = { k: 'method', target, name: nameTok.value, args: this.callArguments(), safe, ...this.pos(nameTok) };
        } else {
          target = { k: 'property', target, name: nameTok.value, safe, ...this.pos(nameTok) };
        }
      } else if (this.isPunct('[', t) || this.isPunct('?[', t)) {
        this.i++;
        const index = this.expression();
        this.expectPunct(']', 'to close the index');
        target = { k: 'index', target, index, safe: t.value === '?[', ...this.pos(t) };
      } else return target;
    }
  }

  private callArguments(): Expr[] {
    this.expectPunct('(', 'to start the arguments');
    const args: Expr[] = [];
    while (!this.isPunct(')')) {
      args.push(this.expression());
      if (!this.eatPunct(',')) break;
    }
    this.expectPunct(')', 'to close the arguments');
    return args;
  }

  private primary(): Expr {
    const t = this.peek();
    const at = this.pos(t);
    switch (t.kind) {
      case 'int':
        this.i++;
        return { k: 'literal', value: t.value, ...at };
      case 'float':
        this.i++;
        return { k: 'literal', value: float(t.value), ...at };
      case 'string':
        this.i++;
        return { k: 'literal', value: t.value, ...at };
      case 'char':
        this.i++;
        return { k: 'literal', value: new RhaiChar(t.value), ...at };
      case 'interpolated':
        this.i++;
        return {
          k: 'interpolated',
          parts: t.parts.map((part) => (typeof part === 'string' ? part : new Parser(part).interpolationBlock())),
          ...at,
        };
      case 'eof':
        return this.fail('expected an expression, found the end of the script', t);
      case 'punct':
        return this.punctuationExpression(t, at);
      case 'ident':
        return this.wordExpression(t.value, at);
    }
  }

  /** The tokens of one `${...}`: a statement block whose last value is interpolated. */
  private interpolationBlock(): Block {
    const first = this.peek();
    const body: Stmt[] = [];
    while (this.peek().kind !== 'eof') {
      if (this.eatPunct(';')) continue;
      const stmt = this.statement();
      body.push(stmt);
      this.terminator(stmt, true);
    }
    return { k: 'block', body, ...this.pos(first) };
  }

  private punctuationExpression(t: Token & { kind: 'punct' }, at: Pos): Expr {
    switch (t.value) {
      case '(': {
        this.i++;
        if (this.eatPunct(')')) return { k: 'literal', value: undefined, ...at };
        const inner = this.expression();
        this.expectPunct(')', "to close '('");
        return inner;
      }
      case '[': {
        this.i++;
        const items: Expr[] = [];
        while (!this.isPunct(']')) {
          items.push(this.expression());
          if (!this.eatPunct(',')) break;
        }
        this.expectPunct(']', 'to close the array');
        return { k: 'array', items, ...at };
      }
      case '#{': {
        this.i++;
        const entries: { key: string; value: Expr }[] = [];
        const keys = new Set<string>();
        while (!this.isPunct('}')) {
          const keyTok = this.next();
          if (keyTok.kind !== 'ident' && keyTok.kind !== 'string') {
            this.fail(`expected a property name in the object map, found ${this.describe(keyTok)}`, keyTok);
          }
          if (keys.has(keyTok.value)) this.fail(`property '${keyTok.value}' appears twice in this object map`, keyTok);
          keys.add(keyTok.value);
          this.expectPunct(':', `after the property name '${keyTok.value}'`);
          entries.push({ key: keyTok.value, value: this.expression() });
          if (!this.eatPunct(',')) break;
        }
        this.expectPunct('}', 'to close the object map');
        return { k: 'map', entries, ...at };
      }
      case '{':
        return this.block();
      case '|':
      case '||':
        return this.closure(at);
    }
    return this.fail(`expected an expression, found ${this.describe(t)}`, t);
  }

  private closure(at: Pos): Expr {
    const params: string[] = [];
    if (this.next().kind === 'punct' && this.isPunct('|', this.tokens[this.i - 1])) {
      while (!this.isPunct('|')) {
        params.push(this.identifier('for a closure parameter'));
        if (!this.eatPunct(',')) break;
      }
      this.expectPunct('|', 'to close the closure parameters');
    }
    return { k: 'closure', params, body: this.expression(), ...at };
  }

  private wordExpression(word: string, at: Pos): Expr {
    switch (word) {
      case 'true':
      case 'false':
        this.i++;
        return { k: 'literal', value: word === 'true', ...at };
      case 'this':
        this.i++;
        return { k: 'this', ...at };
      case 'global': {
        this.i++;
        this.expectPunct('::', "after 'global'");
        return { k: 'global', name: this.identifier("after 'global::'"), ...at };
      }
      case 'if':
        return this.ifExpression();
      case 'switch':
        return this.switchExpression();
      case 'while': {
        this.i++;
        const cond = this.expression();
        return { k: 'while', cond, body: this.block(), until: false, doFirst: false, ...at };
      }
      case 'loop':
        this.i++;
        return { k: 'loop', body: this.block(), ...at };
      case 'do': {
        this.i++;
        const body = this.block();
        const kw = this.peek();
        if (!this.isWord('while', kw) && !this.isWord('until', kw)) {
          this.fail(`expected 'while' or 'until' after the 'do' block, found ${this.describe(kw)}`, kw);
        }
        this.i++;
        return { k: 'while', cond: this.expression(), body, until: kw.value === 'until', doFirst: true, ...at };
      }
      case 'for':
        return this.forExpression();
    }
    if (KEYWORDS.has(word)) this.fail(`'${word}' cannot start an expression`);
    this.i++;
    if (this.isPunct('(')) return { k: 'call', name: word, args: this.callArguments(), ...at };
    if (this.isPunct('::')) this.fail(`modules ('${word}::') are not supported by standin's Rhai`);
    return { k: 'var', name: word, ...at };
  }

  private ifExpression(): Expr {
    const at = this.pos();
    this.i++; // if
    const cond = this.expression();
    const then = this.block();
    let otherwise: Expr | undefined;
    if (this.isWord('else')) {
      this.i++;
      otherwise = this.isWord('if') ? this.ifExpression() : this.block();
    }
    return { k: 'if', cond, then, otherwise, ...at };
  }

  private forExpression(): Expr {
    const at = this.pos();
    this.i++; // for
    let item: string;
    let counter: string | undefined;
    if (this.eatPunct('(')) {
      item = this.identifier("for the loop variable in 'for (x, i)'");
      this.expectPunct(',', "between the loop variables in 'for (x, i)'");
      counter = this.identifier("for the counter in 'for (x, i)'");
      this.expectPunct(')', "to close 'for (x, i)'");
    } else item = this.identifier("for the loop variable after 'for'");
    if (!this.isWord('in')) this.fail(`expected 'in' after the loop variable, found ${this.describe(this.peek())}`);
    this.i++;
    const iterable = this.expression();
    return { k: 'for', item, counter, iterable, body: this.block(), ...at };
  }

  private switchExpression(): Expr {
    const at = this.pos();
    this.i++; // switch
    const value = this.expression();
    this.expectPunct('{', "to start the 'switch' cases");
    const cases: SwitchCase[] = [];
    let fallback: Expr | undefined;
    while (!this.isPunct('}')) {
      const caseTok = this.peek();
      if (fallback) this.fail("the '_' case must be the last one in a 'switch'", caseTok);
      let isDefault = false;
      const values: Expr[] = [];
      if (caseTok.kind === 'ident' && caseTok.value === '_') {
        this.i++;
        isDefault = true;
      } else {
        do
          values.push(this.expression(30)); // above `|`, which separates alternatives
        while (this.eatPunct('|'));
      }
      let guard: Expr | undefined;
      if (this.isWord('if')) {
        if (isDefault) this.fail("the '_' case cannot have an 'if' condition");
        this.i++;
        guard = this.expression();
      }
      this.expectPunct('=>', "after the 'switch' case");
      const body = this.isPunct('{') ? this.block() : this.expression();
      if (isDefault) fallback = body;
      else cases.push({ values, guard, body });
      if (!this.eatPunct(',') && !this.isPunct('}') && body.k !== 'block') {
        this.fail(`expected ',' between 'switch' cases, found ${this.describe(this.peek())}`);
      }
    }
    this.next(); // }
    return { k: 'switch', value, cases, fallback, ...at };
  }
}

function isAssignable(e: Expr): boolean {
  if (e.k === 'var' || e.k === 'this') return true;
  if (e.k === 'property' || e.k === 'index') return !e.safe && isAssignable(e.target);
  return false;
}
