// Methods on integers and floats.
import { floatText, RhaiFloat, type Value } from '../values.js';
import { noMatch, numberArg, type Builtin, type CallSite } from './callSite.js';

const isInt = (v: Value): v is number => typeof v === 'number';

function floatOf(a: Value[], site: CallSite): number {
  const n = numberArg(a[0]);
  if (n === undefined) noMatch(a, site);
  return n;
}

/** A float operation that answers an int unchanged for integer input (floor, ceiling, round...). */
function rounding(f: (x: number) => number): Builtin {
  return (a, site) => (isInt(a[0]) ? a[0] : new RhaiFloat(f(floatOf(a, site))));
}

function math(f: (x: number) => number): Builtin {
  return (a, site) => new RhaiFloat(f(floatOf(a, site)));
}

export const NUMBER_METHODS: Record<string, Builtin> = {
  to_string: (a, site) => (isInt(a[0]) ? String(a[0]) : floatText(floatOf(a, site))),
  to_int: (a, site) => {
    if (isInt(a[0])) return a[0];
    const n = Math.trunc(floatOf(a, site));
    if (!Number.isSafeInteger(n)) throw site.error(`to_int: ${floatText(floatOf(a, site))} is out of the integer range`);
    return n + 0;
  },
  to_float: (a, site) => new RhaiFloat(floatOf(a, site)),
  abs: (a, site) => (isInt(a[0]) ? Math.abs(a[0]) : new RhaiFloat(Math.abs(floatOf(a, site)))),
  sign: (a, site) => Math.sign(floatOf(a, site)) + 0,
  is_zero: (a, site) => floatOf(a, site) === 0,
  is_odd: (a, site) => (isInt(a[0]) ? Math.abs(a[0] % 2) === 1 : noMatch(a, site)),
  is_even: (a, site) => (isInt(a[0]) ? a[0] % 2 === 0 : noMatch(a, site)),
  floor: rounding(Math.floor),
  ceiling: rounding(Math.ceil),
  round: rounding((x) => (x < 0 ? -Math.round(-x) : Math.round(x))), // half away from zero, as Rust
  int: rounding(Math.trunc),
  fraction: (a, site) => new RhaiFloat(floatOf(a, site) - Math.trunc(floatOf(a, site))),
  sqrt: math(Math.sqrt),
  exp: math(Math.exp),
  ln: math(Math.log),
  log: (a, site) => new RhaiFloat(a.length > 1 ? Math.log(floatOf(a, site)) / Math.log(floatOf([a[1]], site)) : Math.log10(floatOf(a, site))),
  sin: math(Math.sin),
  cos: math(Math.cos),
  tan: math(Math.tan),
  is_nan: (a, site) => Number.isNaN(floatOf(a, site)),
  is_finite: (a, site) => Number.isFinite(floatOf(a, site)),
  min: (a, site) => pick(a, site, (x, y) => x <= y),
  max: (a, site) => pick(a, site, (x, y) => x >= y),
};

/** `min`/`max`: two ints stay an int; any float makes the answer a float. */
function pick(a: Value[], site: CallSite, firstWins: (x: number, y: number) => boolean): Value {
  const x = numberArg(a[0]);
  const y = numberArg(a[1]);
  if (x === undefined || y === undefined || a.length !== 2) noMatch(a, site);
  const chosen = firstWins(x, y) ? x : y;
  return isInt(a[0]) && isInt(a[1]) ? chosen : new RhaiFloat(chosen);
}
