// Turns Rhai source into tokens. Back-tick strings are lexed here too: each `${...}` inside one
// becomes its own token list, which the parser reads as a statement block.
import { RhaiSyntaxError, type Position } from './errors.js';

export type Token =
  | { kind: 'int'; value: number; line: number; column: number }
  | { kind: 'float'; value: number; line: number; column: number }
  | { kind: 'string'; value: string; line: number; column: number }
  | { kind: 'char'; value: string; line: number; column: number }
  | { kind: 'interpolated'; value: ''; parts: (string | Token[])[]; line: number; column: number }
  | { kind: 'ident'; value: string; line: number; column: number }
  | { kind: 'punct'; value: string; line: number; column: number }
  | { kind: 'eof'; value: ''; line: number; column: number };

// Longest first, so `..=` wins over `..` and `**=` over `**`.
const PUNCTUATION = [
  '**=',
  '<<=',
  '>>=',
  '..=',
  '...',
  '::',
  '=>',
  '==',
  '!=',
  '<=',
  '>=',
  '&&',
  '||',
  '+=',
  '-=',
  '*=',
  '/=',
  '%=',
  '&=',
  '|=',
  '^=',
  '**',
  '<<',
  '>>',
  '..',
  '?.',
  '?[',
  '??',
  '#{',
  '+',
  '-',
  '*',
  '/',
  '%',
  '=',
  '<',
  '>',
  '!',
  '&',
  '|',
  '^',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ';',
  ':',
  '.',
  '?',
];

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isIdentStart = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
const isIdentPart = (c: string): boolean => isIdentStart(c) || isDigit(c);

export function tokenize(source: string): Token[] {
  const lexer = new Lexer(source);
  const tokens = lexer.lexUntil(undefined);
  return tokens;
}

class Lexer {
  private pos = 0;
  private line = 1;
  private lineStart = 0;

  constructor(private readonly src: string) {
    if (src.charCodeAt(0) === 0xfeff) this.pos = this.lineStart = 1; // a byte-order mark is not code
  }

  private here(): Position {
    return { line: this.line, column: this.pos - this.lineStart + 1 };
  }

  private fail(reason: string, pos: Position = this.here()): never {
    throw new RhaiSyntaxError(reason, pos);
  }

  private advance(): string {
    const c = this.src[this.pos++]!;
    if (c === '\n') {
      this.line++;
      this.lineStart = this.pos;
    }
    return c;
  }

  /** Lexes to the end of the source, or to the `}` closing an interpolation (which it consumes). */
  lexUntil(closing: Position | undefined): Token[] {
    const tokens: Token[] = [];
    let depth = 0;
    for (;;) {
      this.skipSpaceAndComments();
      const start = this.here();
      if (this.pos >= this.src.length) {
        if (closing) this.fail("the '${' of this interpolation is never closed by '}'", closing);
        tokens.push({ kind: 'eof', value: '', ...start });
        return tokens;
      }
      const c = this.src[this.pos]!;
      if (closing && c === '}' && depth === 0) {
        this.advance();
        tokens.push({ kind: 'eof', value: '', ...start });
        return tokens;
      }
      const token = this.next(c, start);
      if (closing && token.kind === 'punct') {
        if (token.value === '{' || token.value === '#{') depth++;
        else if (token.value === '}') depth--;
      }
      tokens.push(token);
    }
  }

  private skipSpaceAndComments(): void {
    const src = this.src;
    while (this.pos < src.length) {
      const c = src[this.pos]!;
      if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
        this.advance();
      } else if (c === '/' && src[this.pos + 1] === '/') {
        while (this.pos < src.length && src[this.pos] !== '\n') this.pos++;
      } else if (c === '/' && src[this.pos + 1] === '*') {
        const start = this.here();
        this.pos += 2;
        let depth = 1; // Rhai block comments nest
        while (depth > 0) {
          if (this.pos >= src.length) this.fail('this comment is never closed by */', start);
          if (src[this.pos] === '/' && src[this.pos + 1] === '*') {
            this.pos += 2;
            depth++;
          } else if (src[this.pos] === '*' && src[this.pos + 1] === '/') {
            this.pos += 2;
            depth--;
          } else this.advance();
        }
      } else return;
    }
  }

  private next(c: string, start: Position): Token {
    if (isDigit(c)) return this.number(start);
    if (isIdentStart(c)) {
      const from = this.pos;
      while (this.pos < this.src.length && isIdentPart(this.src[this.pos]!)) this.pos++;
      return { kind: 'ident', value: this.src.slice(from, this.pos), ...start };
    }
    if (c === '"') return { kind: 'string', value: this.quoted('"', start), ...start };
    if (c === "'") {
      const text = this.quoted("'", start);
      if ([...text].length !== 1) this.fail('a character literal holds exactly one character', start);
      return { kind: 'char', value: text, ...start };
    }
    if (c === '`') return this.backTick(start);
    for (const p of PUNCTUATION) {
      if (this.src.startsWith(p, this.pos)) {
        this.pos += p.length;
        return { kind: 'punct', value: p, ...start };
      }
    }
    return this.fail(`unexpected character '${c}'`, start);
  }

  private number(start: Position): Token {
    const src = this.src;
    const from = this.pos;
    if (src[from] === '0' && /[xob]/.test(src[from + 1] ?? '')) {
      const radix = src[from + 1] === 'x' ? 16 : src[from + 1] === 'o' ? 8 : 2;
      this.pos += 2;
      const digitsFrom = this.pos;
      while (this.pos < src.length && /[0-9a-fA-F_]/.test(src[this.pos]!)) this.pos++;
      const digits = src.slice(digitsFrom, this.pos).replace(/_/g, '');
      const valid = radix === 16 ? /^[0-9a-fA-F]+$/ : radix === 8 ? /^[0-7]+$/ : /^[01]+$/;
      if (!valid.test(digits)) this.fail(`invalid number literal '${src.slice(from, this.pos)}'`, start);
      const value = parseInt(digits, radix);
      return this.checkedInt(value, start);
    }
    while (this.pos < src.length && (isDigit(src[this.pos]!) || src[this.pos] === '_')) this.pos++;
    let isFloat = false;
    // `1..5` is a range, `1.foo()` a method call: only a digit after the dot makes a float.
    if (src[this.pos] === '.' && isDigit(src[this.pos + 1] ?? '')) {
      isFloat = true;
      this.pos++;
      while (this.pos < src.length && (isDigit(src[this.pos]!) || src[this.pos] === '_')) this.pos++;
    }
    if ((src[this.pos] === 'e' || src[this.pos] === 'E') && /[0-9+-]/.test(src[this.pos + 1] ?? '')) {
      const save = this.pos;
      this.pos++;
      if (src[this.pos] === '+' || src[this.pos] === '-') this.pos++;
      if (isDigit(src[this.pos] ?? '')) {
        isFloat = true;
        while (this.pos < src.length && isDigit(src[this.pos]!)) this.pos++;
      } else this.pos = save;
    }
    if (this.pos < src.length && isIdentStart(src[this.pos]!)) {
      this.fail(`invalid number literal '${src.slice(from, this.pos + 1)}'`, start);
    }
    const text = src.slice(from, this.pos).replace(/_/g, '');
    if (isFloat) return { kind: 'float', value: Number(text), ...start };
    return this.checkedInt(Number(text), start);
  }

  private checkedInt(value: number, start: Position): Token {
    if (!Number.isSafeInteger(value)) this.fail('integer literal too large (standin keeps integers within ±2^53)', start);
    return { kind: 'int', value, ...start };
  }

  /** A "..." string or a '...' character, with Rhai's escapes and `\` line continuation. */
  private quoted(quote: string, start: Position): string {
    const src = this.src;
    this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= src.length) this.fail(quote === '"' ? 'this string is never closed by "' : "this character is never closed by '", start);
      const c = this.advance();
      if (c === quote) return out;
      if (c === '\n' && quote === '"') this.fail('a "..." string cannot span lines; end the line with \\ or use a `...` string', start);
      if (c !== '\\') {
        out += c;
        continue;
      }
      const escapeAt = { line: this.line, column: this.pos - this.lineStart };
      const e = this.advance();
      switch (e) {
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case '0':
          out += '\0';
          break;
        case '\\':
          out += '\\';
          break;
        case '"':
          out += '"';
          break;
        case "'":
          out += "'";
          break;
        case 'x':
          out += this.hexEscape(2, escapeAt);
          break;
        case 'u':
          if (src[this.pos] === '{') {
            const close = src.indexOf('}', this.pos);
            const hex = close < 0 ? '' : src.slice(this.pos + 1, close);
            if (!/^[0-9a-fA-F]{1,6}$/.test(hex) || parseInt(hex, 16) > 0x10ffff) this.fail('invalid \\u{...} escape', escapeAt);
            this.pos = close + 1;
            out += String.fromCodePoint(parseInt(hex, 16));
          } else out += this.hexEscape(4, escapeAt);
          break;
        case 'U':
          out += this.hexEscape(8, escapeAt);
          break;
        case '\n': {
          // Line continuation: skip the next line's indentation up to the opening quote's column.
          let skipped = 0;
          while (skipped < start.column && (src[this.pos] === ' ' || src[this.pos] === '\t')) {
            this.pos++;
            skipped++;
          }
          break;
        }
        case '\r':
          if (src[this.pos] === '\n') this.advance();
          break;
        default:
          this.fail(`invalid escape sequence '\\${e ?? ''}'`, escapeAt);
      }
    }
  }

  private hexEscape(digits: number, at: Position): string {
    const hex = this.src.slice(this.pos, this.pos + digits);
    if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex)) this.fail(`invalid escape: expected ${digits} hex digits`, at);
    const code = parseInt(hex, 16);
    if (code > 0x10ffff) this.fail('invalid Unicode escape', at);
    this.pos += digits;
    return String.fromCodePoint(code);
  }

  /** A back-tick string: verbatim text with `${...}` interpolations. */
  private backTick(start: Position): Token {
    const src = this.src;
    this.pos++;
    // A back-tick at the end of a line: the text starts on the next line.
    if (src[this.pos] === '\n') this.advance();
    else if (src[this.pos] === '\r' && src[this.pos + 1] === '\n') {
      this.pos++;
      this.advance();
    }
    const parts: (string | Token[])[] = [];
    let text = '';
    for (;;) {
      if (this.pos >= src.length) this.fail('this `...` string is never closed by `', start);
      const c = src[this.pos]!;
      if (c === '`') {
        this.pos++;
        break;
      }
      if (c === '$' && src[this.pos + 1] === '{') {
        const open = this.here();
        this.pos += 2;
        if (text !== '') parts.push(text);
        text = '';
        parts.push(this.lexUntil(open));
        continue;
      }
      text += this.advance();
    }
    if (text !== '' || parts.length === 0) parts.push(text);
    if (parts.length === 1 && typeof parts[0] === 'string') return { kind: 'string', value: parts[0], ...start };
    return { kind: 'interpolated', value: '', parts, ...start };
  }
}
