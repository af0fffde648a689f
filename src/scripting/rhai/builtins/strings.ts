// String methods. As in Rhai, `trim`, `replace`, `pad`, `truncate`, `crop`, `clear`,
// `make_upper`/`make_lower` and `append` change the string they are called on and answer `()`;
// `to_upper`/`to_lower` answer a new string.
import { RhaiChar, RhaiFloat, type Value } from '../values.js';
import { charAt, charIndexOf, charLength, charSlice, intArg, noMatch, textArg, wideChars, type Builtin, type CallSite } from './callSite.js';

const str = (args: Value[]): string => args[0] as string;

/** Longest string `pad` builds (16 Mi characters): a larger one only costs memory and time. */
const MAX_PAD_LENGTH = 2 ** 24;

function needle(args: Value[], site: CallSite, at = 1): string {
  const text = textArg(args[at]);
  if (text === undefined) noMatch(args, site);
  return text;
}

function splitChars(s: string): string[] {
  return wideChars(s) ?? s.split('');
}

/** Rhai's `parse_int`: optional sign, digits in the radix, no spaces around. */
export function parseRhaiInt(text: string, radix: number, site: CallSite): number {
  const digits =
    radix === 10 ? /^[+-]?\d+$/ : radix === 16 ? /^[+-]?[0-9a-fA-F]+$/ : radix === 8 ? /^[+-]?[0-7]+$/ : radix === 2 ? /^[+-]?[01]+$/ : /^[+-]?[0-9a-zA-Z]+$/;
  const n = digits.test(text) ? parseInt(text, radix) : NaN;
  if (!Number.isSafeInteger(n)) throw site.error(`parse_int: '${text}' is not an integer${radix === 10 ? '' : ` in radix ${radix}`}`);
  return n + 0;
}

export function parseRhaiFloat(text: string, site: CallSite): RhaiFloat {
  const t = text.trim();
  if (!/^[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|inf|NaN)$/i.test(t)) throw site.error(`parse_float: '${text}' is not a number`);
  return new RhaiFloat(/inf/i.test(t) ? (t.startsWith('-') ? -Infinity : Infinity) : Number(t));
}

export const STRING_METHODS: Record<string, Builtin> = {
  len: (a) => charLength(str(a)),
  is_empty: (a) => str(a).length === 0,
  contains: (a, site) => str(a).includes(needle(a, site)),
  starts_with: (a, site) => str(a).startsWith(needle(a, site)),
  ends_with: (a, site) => str(a).endsWith(needle(a, site)),
  to_upper: (a) => str(a).toUpperCase(),
  to_lower: (a) => str(a).toLowerCase(),
  make_upper: (a, site) => site.update(str(a).toUpperCase()),
  make_lower: (a, site) => site.update(str(a).toLowerCase()),
  trim: (a, site) => site.update(str(a).trim()),
  trim_start: (a, site) => site.update(str(a).trimStart()),
  trim_end: (a, site) => site.update(str(a).trimEnd()),
  clear: (a, site) => site.update(''),
  append: (a, site) => site.update(str(a) + (textArg(a[1]) ?? String(a[1]))),
  truncate: (a, site) => site.update(charSlice(str(a), 0, Math.max(0, intArg(a[1], site, 'the length')))),
  replace: (a, site) =>
    site.update(
      str(a)
        .split(needle(a, site))
        .join(needle(a, site, 2)),
    ),
  pad: (a, site) => {
    const s = str(a);
    const target = intArg(a[1], site, 'the target length');
    const fill = needle(a, site, 2);
    if (fill === '') return undefined;
    const length = charLength(s);
    if (length >= target) return site.update(s);
    if (target > MAX_PAD_LENGTH) throw site.error(`pad: the target length ${target} is more than ${MAX_PAD_LENGTH} characters`);
    // Whole copies of fill, then cut back to the target length (a multi-character fill may overshoot).
    const fillLength = charLength(fill);
    const out = s + fill.repeat(Math.ceil((target - length) / fillLength));
    return site.update(charLength(out) > target ? charSlice(out, 0, target) : out);
  },
  crop: (a, site) => {
    const s = str(a);
    const start = intArg(a[1], site, 'the start');
    const count = a.length > 2 ? intArg(a[2], site, 'the length') : charLength(s);
    return site.update(charSlice(s, start, count));
  },
  sub_string: (a, site) => {
    const s = str(a);
    const start = intArg(a[1], site, 'the start');
    const count = a.length > 2 ? intArg(a[2], site, 'the length') : charLength(s);
    return charSlice(s, start, count);
  },
  index_of: (a, site) => charIndexOf(str(a), needle(a, site), a.length > 2 ? intArg(a[2], site, 'the start') : 0),
  get: (a, site) => {
    const c = charAt(str(a), intArg(a[1], site, 'the index'));
    return c === undefined ? undefined : new RhaiChar(c);
  },
  chars: (a) => splitChars(str(a)).map((c) => new RhaiChar(c)),
  to_chars: (a) => splitChars(str(a)).map((c) => new RhaiChar(c)),
  split: (a, site) => {
    const s = str(a);
    if (a.length === 1) return s.split(/\s+/).filter((part) => part !== '');
    if (typeof a[1] === 'number') {
      const at = Math.max(0, Math.min(charLength(s), a[1] < 0 ? charLength(s) + a[1] : a[1]));
      return [charSlice(s, 0, at), charSlice(s, at, charLength(s))];
    }
    const sep = needle(a, site);
    const parts = s.split(sep);
    if (a.length > 2) {
      const limit = Math.max(1, intArg(a[2], site, 'the number of segments'));
      if (parts.length > limit) return [...parts.slice(0, limit - 1), parts.slice(limit - 1).join(sep)];
    }
    return parts;
  },
  split_rev: (a, site) => str(a).split(needle(a, site)).reverse(),
  parse_int: (a, site) => parseRhaiInt(str(a), a.length > 1 ? intArg(a[1], site, 'the radix') : 10, site),
  parse_float: (a, site) => parseRhaiFloat(str(a), site),
  to_string: (a) => str(a),
  bytes: (a) => Buffer.byteLength(str(a)),
};

export const CHAR_METHODS: Record<string, Builtin> = {
  to_upper: (a) => new RhaiChar((a[0] as RhaiChar).value.toUpperCase()),
  to_lower: (a) => new RhaiChar((a[0] as RhaiChar).value.toLowerCase()),
  to_int: (a) => (a[0] as RhaiChar).value.codePointAt(0)!,
  to_string: (a) => (a[0] as RhaiChar).value,
};
