// Array methods. Arrays are values: elements stored into an array are copies.
import { compareValues, copyValue, displayText, FnPtr, typeName, valuesEqual, type Value } from '../values.js';
import { intArg, noMatch, type Builtin, type CallSite } from './callSite.js';

/** The array a method is called on (the array table is chosen by its receiver's type). */
function arr(args: Value[], site: CallSite): Value[] {
  const items = args[0];
  if (!Array.isArray(items)) noMatch(args, site);
  return items;
}

function fnArg(args: Value[], site: CallSite, at = 1): FnPtr {
  const f = args[at];
  if (!(f instanceof FnPtr)) noMatch(args, site);
  return f;
}

/** Calls a predicate or mapper with (item) or (item, index), whichever it takes. */
function applyItem(site: CallSite, f: FnPtr, item: Value, index: number): Value {
  const { links } = site.ctx;
  const takesIndex = f.closure ? f.closure.arity - f.curried.length >= 2 : links.hasScriptFunction(f.name, f.curried.length + 2);
  return links.callFnPtr(f, takesIndex ? [item, index] : [item], undefined, site.ctx, site.pos);
}

function truthy(v: Value, site: CallSite): boolean {
  if (typeof v !== 'boolean') throw site.error(`${site.name}: the function must answer a bool, found ${typeName(v)}`);
  return v;
}

/** An index into an array of `length`, negative counting from the end, or -1 when outside. */
function position(index: number, length: number): number {
  const i = index < 0 ? index + length : index;
  return i >= 0 && i < length ? i : -1;
}

function defaultOrder(site: CallSite) {
  return (x: Value, y: Value): number => {
    const c = compareValues(x, y);
    if (c === undefined || typeName(x) !== typeName(y)) throw site.error(`sort: cannot order ${typeName(x)} and ${typeName(y)}; pass a comparison function`);
    return c;
  };
}

export const ARRAY_METHODS: Record<string, Builtin> = {
  len: (a, site) => arr(a, site).length,
  is_empty: (a, site) => arr(a, site).length === 0,
  push: (a, site) => {
    arr(a, site).push(copyValue(a[1]));
    return undefined;
  },
  append: (a, site) => {
    const other = a[1];
    if (Array.isArray(other)) arr(a, site).push(...other.map(copyValue));
    else arr(a, site).push(copyValue(other));
    return undefined;
  },
  pop: (a, site) => arr(a, site).pop(),
  shift: (a, site) => arr(a, site).shift(),
  insert: (a, site) => {
    const list = arr(a, site);
    let i = intArg(a[1], site, 'the position');
    if (i < 0) i = Math.max(0, list.length + i);
    list.splice(Math.min(i, list.length), 0, copyValue(a[2]));
    return undefined;
  },
  remove: (a, site) => {
    const list = arr(a, site);
    const i = position(intArg(a[1], site, 'the index'), list.length);
    return i < 0 ? undefined : list.splice(i, 1)[0];
  },
  get: (a, site) => {
    const list = arr(a, site);
    const i = position(intArg(a[1], site, 'the index'), list.length);
    return i < 0 ? undefined : list[i];
  },
  set: (a, site) => {
    const list = arr(a, site);
    const i = position(intArg(a[1], site, 'the index'), list.length);
    if (i >= 0) list[i] = copyValue(a[2]);
    return undefined;
  },
  contains: (a, site) => arr(a, site).some((x) => valuesEqual(x, a[1])),
  index_of: (a, site) => {
    const list = arr(a, site);
    const start = a.length > 2 ? Math.max(0, intArg(a[2], site, 'the start')) : 0;
    for (let i = start; i < list.length; i++) {
      if (a[1] instanceof FnPtr ? truthy(applyItem(site, a[1], list[i], i), site) : valuesEqual(list[i], a[1])) return i;
    }
    return -1;
  },
  join: (a, site) => {
    const sep = a.length > 1 ? a[1] : '';
    if (typeof sep !== 'string') noMatch(a, site);
    return arr(a, site).map(displayText).join(sep);
  },
  clear: (a, site) => {
    arr(a, site).length = 0;
    return undefined;
  },
  truncate: (a, site) => {
    arr(a, site).length = Math.min(arr(a, site).length, Math.max(0, intArg(a[1], site, 'the length')));
    return undefined;
  },
  reverse: (a, site) => {
    arr(a, site).reverse();
    return undefined;
  },
  extract: (a, site) => {
    const list = arr(a, site);
    let start = intArg(a[1], site, 'the start');
    if (start < 0) start = Math.max(0, list.length + start);
    const count = a.length > 2 ? intArg(a[2], site, 'the length') : list.length;
    return list.slice(start, start + Math.max(0, count)).map(copyValue);
  },
  sort: (a, site) => {
    const list = arr(a, site);
    if (a.length > 1) {
      const f = fnArg(a, site);
      list.sort((x, y) => {
        const c = site.ctx.links.callFnPtr(f, [x, y], undefined, site.ctx, site.pos);
        if (typeof c !== 'number') throw site.error('sort: the comparison function must answer an integer');
        return c;
      });
    } else list.sort(defaultOrder(site));
    return undefined;
  },
  dedup: (a, site) => {
    const list = arr(a, site);
    const kept = list.filter((x, i) => i === 0 || !valuesEqual(x, list[i - 1]));
    list.splice(0, list.length, ...kept);
    return undefined;
  },
  map: (a, site) => {
    const f = fnArg(a, site);
    return arr(a, site).map((x, i) => applyItem(site, f, x, i));
  },
  filter: (a, site) => {
    const f = fnArg(a, site);
    return arr(a, site)
      .filter((x, i) => truthy(applyItem(site, f, x, i), site))
      .map(copyValue);
  },
  retain: (a, site) => {
    const f = fnArg(a, site);
    const list = arr(a, site);
    const kept = list.filter((x, i) => truthy(applyItem(site, f, x, i), site));
    list.splice(0, list.length, ...kept);
    return undefined;
  },
  for_each: (a, site) => {
    const f = fnArg(a, site);
    arr(a, site).forEach((x, i) => applyItem(site, f, x, i));
    return undefined;
  },
  some: (a, site) => {
    const f = fnArg(a, site);
    return arr(a, site).some((x, i) => truthy(applyItem(site, f, x, i), site));
  },
  all: (a, site) => {
    const f = fnArg(a, site);
    return arr(a, site).every((x, i) => truthy(applyItem(site, f, x, i), site));
  },
  find: (a, site) => {
    const f = fnArg(a, site);
    return arr(a, site).find((x, i) => truthy(applyItem(site, f, x, i), site));
  },
  reduce: (a, site) => {
    const f = fnArg(a, site);
    let acc: Value = a.length > 2 ? a[2] : undefined;
    arr(a, site).forEach((x, i) => {
      acc = site.ctx.links.callFnPtr(f, f.closure && f.closure.arity - f.curried.length >= 3 ? [acc, x, i] : [acc, x], undefined, site.ctx, site.pos);
    });
    return acc;
  },
  to_string: (a, site) => displayText(arr(a, site)),
};
