// Regular expressions users send (`matches` predicates, `except`, copy and lookup's regex
// selector), compiled once so that no request can hold the event loop with one. Patterns whose
// backtracking cost stays linear (regexCost degree ≤ 1: `^/orders/\d+$`, `hello`) are V8's own
// RegExp, untouched and free. Riskier ones keep V8 (and JavaScript's exact semantics) while the
// text is short enough for their worst case to be cheap, and switch to a linear-time engine
// (re2js, a port of RE2) beyond that: `^(a+)+$` always, `[a-z]+$` above ~1,000 characters.
// Patterns RE2 cannot run (backreferences, lookarounds) run on V8 under the stall limit instead,
// and fail their request if they reach it.
import { StandinError } from '../model/errors.js';
import { lazyModule } from '../model/lazyModule.js';
import { clockLimit, stretchBudget } from '../model/stallClock.js';
import { TimeLimitExceeded, withTimeLimit } from '../model/timeLimit.js';
import { regexCost } from './regexCost.js';

/** What standin does with a user's regex: all of these behave as the same RegExp methods. */
export interface UserRegex {
  readonly source: string;
  readonly flags: string;
  test(text: string): boolean;
  exec(text: string): string[] | null;
  [Symbol.replace](text: string, replacement: string): string;
}

/** Backtracking steps a risky pattern may take on V8 (~1 ms on a quiet machine). */
const STEP_BUDGET = 2 ** 20;

type Re2Module = typeof import('re2js');
const re2js = lazyModule<Re2Module>('re2js');

/**
 * `new RegExp(pattern, flags)` made safe; throws what RegExp throws for a bad pattern.
 * `stallMs` bounds a pattern that only V8 can run (0 = no bound).
 */
export function compileUserRegex(pattern: string, flags: string, stallMs: number): UserRegex {
  const native = new RegExp(pattern, flags);
  const cost = regexCost(pattern, flags);
  if (cost.degree <= 1) return native as unknown as UserRegex;
  const maxLength = cost.degree === Infinity ? 0 : Math.floor(STEP_BUDGET ** (1 / cost.degree));
  const linear = cost.needsBacktracking ? null : linearRegex(pattern, flags);
  return new GuardedRegex(native, maxLength, linear, stallMs, pattern);
}

export interface LinearRegex {
  test(text: string): boolean;
  exec(text: string): string[] | null;
  replaceAll(text: string, replacement: string): string;
}

class GuardedRegex implements UserRegex {
  constructor(
    private readonly native: RegExp,
    /** Longest text V8 runs the pattern on. */
    private readonly maxLength: number,
    private readonly linear: LinearRegex | null,
    private readonly stallMs: number,
    private readonly pattern: string,
  ) {}

  get source(): string {
    return this.native.source;
  }

  get flags(): string {
    return this.native.flags;
  }

  test(text: string): boolean {
    if (text.length <= this.maxLength) return this.native.test(text);
    return this.linear ? this.linear.test(text) : this.timed(() => this.native.test(text));
  }

  exec(text: string): string[] | null {
    if (text.length <= this.maxLength) return this.native.exec(text);
    return this.linear ? this.linear.exec(text) : this.timed(() => this.native.exec(text));
  }

  [Symbol.replace](text: string, replacement: string): string {
    if (text.length <= this.maxLength) return text.replace(this.native, replacement);
    return this.linear ? this.linear.replaceAll(text, replacement) : this.timed(() => text.replace(this.native, replacement));
  }

  private timed<T>(run: () => T): T {
    if (this.stallMs <= 0) return run();
    const wall = clockLimit(stretchBudget(this.stallMs));
    try {
      return withTimeLimit(run, wall);
    } catch (err) {
      if (!(err instanceof TimeLimitExceeded)) throw err;
      throw new StandinError(
        'bad data',
        `the regular expression ${JSON.stringify(this.pattern)} ran for more than ${this.stallMs} ms on this request and was stopped (--stallLimit); ` +
          'it backtracks (backreference or lookaround around repeated parts): rewrite it without them, or match less text',
      );
    }
  }
}

/** The pattern on re2js, or null when RE2 cannot express it. */
export function linearRegex(pattern: string, flags: string): LinearRegex | null {
  const { RE2JS } = re2js();
  let compiled: InstanceType<Re2Module['RE2JS']>;
  try {
    let options = 0;
    if (flags.includes('i')) options |= RE2JS.CASE_INSENSITIVE;
    if (flags.includes('m')) options |= RE2JS.MULTILINE;
    if (flags.includes('s')) options |= RE2JS.DOTALL;
    compiled = RE2JS.compile(toRe2Syntax(pattern, flags.includes('s')), options);
  } catch {
    return null;
  }
  return {
    test: (text) => compiled.test(text),
    exec: (text) => compiled.exec(text) as string[] | null,
    replaceAll: (text, replacement) => compiled.matcher(text).replaceAll(replacement),
  };
}

/** JavaScript's `\s` (RE2's is ASCII only). */
const JS_SPACE = '\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}';

/**
 * JavaScript regex syntax as RE2 reads it with the same meaning: `.` excludes JavaScript's four
 * line terminators, `\s` is JavaScript's set, `\uXXXX` becomes `\x{XXXX}`, `(?<name>` stays (RE2
 * knows it), `[^]` is any character. What RE2 cannot express makes RE2JS.compile throw.
 */
export function toRe2Syntax(pattern: string, dotAll = false): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      i += 1;
      if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(pattern.slice(i + 1, i + 5))) {
        out += `\\x{${pattern.slice(i + 1, i + 5)}}`;
        i += 4;
      } else if (next === 's') out += inClass ? JS_SPACE : `[${JS_SPACE}]`;
      else if (next === 'S' && !inClass) out += `[^${JS_SPACE}]`;
      else if (next === '/') out += '/';
      else out += `\\${next}`;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      if (pattern.startsWith('[^]', i)) {
        out += '(?s:.)';
        i += 2;
        continue;
      }
      inClass = true;
      out += c;
      // A `]` first in a JavaScript class closes it (an empty class); RE2 would read it as a member.
      if (pattern[i + 1] === '^') {
        out += '^';
        i += 1;
      }
      continue;
    }
    out += c === '.' && !dotAll ? '(?:[^\\n\\r\\x{2028}\\x{2029}])' : c;
  }
  return out;
}
