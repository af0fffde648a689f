// Object map methods. Keys come back sorted, as Rhai's B-tree maps iterate.
import { toJs } from '../boundary.js';
import { copyValue, displayText, sortedKeys, type RhaiMap, type Value } from '../values.js';
import { noMatch, textArg, type Builtin, type CallSite } from './callSite.js';

/** The map a method is called on (the map table is chosen by its receiver's type). */
function map(args: Value[], site: CallSite): RhaiMap {
  const m = args[0];
  if (!(m instanceof Map)) noMatch(args, site);
  return m;
}

function keyArg(args: Value[], site: CallSite): string {
  const key = textArg(args[1]);
  if (key === undefined) noMatch(args, site);
  return key;
}

export const MAP_METHODS: Record<string, Builtin> = {
  len: (a, site) => map(a, site).size,
  is_empty: (a, site) => map(a, site).size === 0,
  get: (a, site) => map(a, site).get(keyArg(a, site)),
  set: (a, site) => {
    map(a, site).set(keyArg(a, site), copyValue(a[2]));
    return undefined;
  },
  contains: (a, site) => map(a, site).has(keyArg(a, site)),
  remove: (a, site) => {
    const key = keyArg(a, site);
    const m = map(a, site);
    const old = m.get(key);
    m.delete(key);
    return old;
  },
  keys: (a, site) => sortedKeys(map(a, site)),
  values: (a, site) =>
    sortedKeys(map(a, site))
      .map((k) => map(a, site).get(k))
      .map(copyValue),
  clear: (a, site) => {
    map(a, site).clear();
    return undefined;
  },
  mixin: (a, site) => {
    const other = a[1];
    if (!(other instanceof Map)) noMatch(a, site);
    for (const [k, v] of other) map(a, site).set(k, copyValue(v));
    return undefined;
  },
  fill_with: (a, site) => {
    const other = a[1];
    if (!(other instanceof Map)) noMatch(a, site);
    for (const [k, v] of other) if (!map(a, site).has(k)) map(a, site).set(k, copyValue(v));
    return undefined;
  },
  to_json: (a, site) => JSON.stringify(toJs(map(a, site))),
  to_string: (a, site) => displayText(map(a, site)),
};
