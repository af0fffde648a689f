// Object map methods. Keys come back sorted, as Rhai's B-tree maps iterate.
import { toJs } from '../boundary.js';
import { copyValue, displayText, sortedKeys, type RhaiMap, type Value } from '../values.js';
import { noMatch, textArg, type Builtin, type CallSite } from './callSite.js';

const map = (args: Value[]): RhaiMap => args[0] as RhaiMap;

function keyArg(args: Value[], site: CallSite): string {
  const key = textArg(args[1]);
  if (key === undefined) noMatch(args, site);
  return key;
}

export const MAP_METHODS: Record<string, Builtin> = {
  len: (a) => map(a).size,
  is_empty: (a) => map(a).size === 0,
  get: (a, site) => map(a).get(keyArg(a, site)),
  set: (a, site) => {
    map(a).set(keyArg(a, site), copyValue(a[2]));
    return undefined;
  },
  contains: (a, site) => map(a).has(keyArg(a, site)),
  remove: (a, site) => {
    const key = keyArg(a, site);
    const m = map(a);
    const old = m.get(key);
    m.delete(key);
    return old;
  },
  keys: (a) => sortedKeys(map(a)),
  values: (a) =>
    sortedKeys(map(a))
      .map((k) => map(a).get(k))
      .map(copyValue),
  clear: (a) => {
    map(a).clear();
    return undefined;
  },
  mixin: (a, site) => {
    const other = a[1];
    if (!(other instanceof Map)) noMatch(a, site);
    for (const [k, v] of other) map(a).set(k, copyValue(v));
    return undefined;
  },
  fill_with: (a, site) => {
    const other = a[1];
    if (!(other instanceof Map)) noMatch(a, site);
    for (const [k, v] of other) if (!map(a).has(k)) map(a).set(k, copyValue(v));
    return undefined;
  },
  to_json: (a) => JSON.stringify(toJs(map(a))),
  to_string: (a) => displayText(map(a)),
};
