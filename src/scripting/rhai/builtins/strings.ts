// String methods. As in Rhai, `trim`, `replace`, `pad`, `truncate`, `crop`, `clear`,
// `make_upper`/`make_lower` and `append` change the string they are called on and answer `()`;
// `to_upper`/`to_lower` answer a new string.
import { RhaiChar, RhaiFloat, type Value } from '../values.js';
import { charAt, charIndexOf, charLength, charSlice, intArg, noMatch, receiverOf, textArg, wideChars, type Builtin, type CallSite } from './callSite.js';

/** The string a method is called on (the string table is chosen by its receiver's type). */
function str(args: Value[], site: CallSite): string {
  const s = args[0];
  if (typeof s !== 'string') noMatch(args, site);
  return s;
}

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
  len: (a, site) => charLength(str(a, site)),
  is_empty: (a, site) => str(a, site).length === 0,
  contains: (a, site) => str(a, site).includes(needle(a, site)),
  starts_with: (a, site) => str(a, site).startsWith(needle(a, site)),
  ends_with: (a, site) => str(a, site).endsWith(needle(a, site)),
  to_upper: (a, site) => str(a, site).toUpperCase(),
  to_lower: (a, site) => str(a, site).toLowerCase(),
  make_upper: (a, site) => site.update(str(a, site).toUpperCase()),
  make_lower: (a, site) => site.update(str(a, site).toLowerCase()),
  trim: (a, site) => site.update(str(a, site).trim()),
  trim_start: (a, site) => site.update(str(a, site).trimStart()),
  trim_end: (a, site) => site.update(str(a, site).trimEnd()),
  clear: (a, site) => site.update(''),
  append: (a, site) => site.update(str(a, site) + (textArg(a[1]) ?? String(a[1]))),
  truncate: (a, site) => site.update(charSlice(str(a, site), 0, Math.max(0, intArg(a[1], site, 'the length')))),
  replace: (a, site) =>
    site.update(
      str(a, site)
        .split(needle(a, site))
        .join(needle(a, site, 2)),
    ),
  pad: (a, site) => {
    const s = str(a, site);
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
    const s = str(a, site);
    const start = intArg(a[1], site, 'the start');
    const count = a.length > 2 ? intArg(a[2], site, 'the length') : charLength(s);
    return site.update(charSlice(s, start, count));
  },
  sub_string: (a, site) => {
    const s = str(a, site);
    const start = intArg(a[1], site, 'the start');
    const count = a.length > 2 ? intArg(a[2], site, 'the length') : charLength(s);
    return charSlice(s, start, count);
  },
  index_of: (a, site) => charIndexOf(str(a, site), needle(a, site), a.length > 2 ? intArg(a[2], site, 'the start') : 0),
  get: (a, site) => {
    const c = charAt(str(a, site), intArg(a[1], site, 'the index'));
    return c === undefined ? undefined : new RhaiChar(c);
  },
  chars: (a, site) => splitChars(str(a, site)).map((c) => new RhaiChar(c)),
  to_chars: (a, site) => splitChars(str(a, site)).map((c) => new RhaiChar(c)),
  split: (a, site) => {
    const s = str(a, site);
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
  split_rev: (a, site) => str(a, site).split(needle(a, site)).reverse(),
  parse_int: (a, site) => parseRhaiInt(str(a, site), a.length > 1 ? intArg(a[1], site, 'the radix') : 10, site),
  parse_float: (a, site) => parseRhaiFloat(str(a, site), site),
  to_string: (a, site) => str(a, site),
  bytes: (a, site) => Buffer.byteLength(str(a, site)),
};

export const CHAR_METHODS: Record<string, Builtin> = {
  to_upper: (a, site) => new RhaiChar(receiverOf(a, site, RhaiChar).value.toUpperCase()),
  to_lower: (a, site) => new RhaiChar(receiverOf(a, site, RhaiChar).value.toLowerCase()),
  to_int: (a, site) => receiverOf(a, site, RhaiChar).value.codePointAt(0)!,
  to_string: (a, site) => receiverOf(a, site, RhaiChar).value,
};
