// Functions of any argument type: printing, types, time, function pointers, JSON.
import { errorMessage } from '../../../model/caughtError.js';
import { parseClientJson } from '../../../model/jsonDepth.js';
import { toRhai } from '../boundary.js';
import { debugText, displayText, FnPtr, RhaiFloat, RhaiRange, Timestamp, typeName } from '../values.js';
import { intArg, noMatch, receiverOf, type Builtin } from './callSite.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

const httpDate = (): string => new Date().toUTCString();

export const ANY_METHODS: Record<string, Builtin> = {
  print: (a, site) => {
    site.ctx.print(a.length === 0 ? '' : displayText(a[0]));
    return undefined;
  },
  debug: (a, site) => {
    site.ctx.print(a.length === 0 ? '' : debugText(a[0]));
    return undefined;
  },
  type_of: (a, site) => (a.length === 1 ? typeName(a[0]) : noMatch(a, site)),
  to_string: (a, site) => (a.length === 1 ? displayText(a[0]) : noMatch(a, site)),
  to_debug: (a, site) => (a.length === 1 ? debugText(a[0]) : noMatch(a, site)),
  // The clock is read through hostCall so that a replayed run sees the same time again.
  timestamp: (a, site) =>
    a.length === 0 ? site.ctx.hostCall(performance.now, performance, [], (ms) => new Timestamp(Number(ms)), 'timestamp()', site.pos) : noMatch(a, site),
  // Rift's helper: the current time as an HTTP Date header value (RFC 1123).
  timestamp_header: (a, site) =>
    a.length === 0 ? site.ctx.hostCall(httpDate, undefined, [], (t) => String(t), 'timestamp_header()', site.pos) : noMatch(a, site),
  Fn: (a, site) => {
    const name = a[0];
    if (typeof name !== 'string' || a.length !== 1) noMatch(a, site);
    if (!IDENTIFIER.test(name)) throw site.error(`Fn: '${name}' is not a valid function name`);
    return new FnPtr(name);
  },
  call: (a, site) => {
    const f = a[0];
    if (!(f instanceof FnPtr)) noMatch(a, site);
    return site.ctx.links.callFnPtr(f, a.slice(1), undefined, site.ctx, site.pos);
  },
  curry: (a, site) => {
    const f = a[0];
    if (!(f instanceof FnPtr)) noMatch(a, site);
    return new FnPtr(f.name, [...f.curried, ...a.slice(1)], f.closure);
  },
  is_def_fn: (a, site) => {
    if (typeof a[0] !== 'string') noMatch(a, site);
    return site.ctx.links.hasScriptFunction(a[0], intArg(a[1], site, 'the number of parameters'));
  },
  parse_json: (a, site) => {
    if (typeof a[0] !== 'string') noMatch(a, site);
    try {
      return toRhai(parseClientJson(a[0]));
    } catch (err) {
      throw site.error(`parse_json: ${errorMessage(err)}`);
    }
  },
  range: (a, site) => {
    const from = intArg(a[0], site, 'the start');
    const to = intArg(a[1], site, 'the end');
    return new RhaiRange(from, to, false);
  },
};

export const FN_METHODS: Record<string, Builtin> = {
  name: (a, site) => receiverOf(a, site, FnPtr).name,
  is_anonymous: (a, site) => receiverOf(a, site, FnPtr).closure !== undefined,
};

export const TIMESTAMP_METHODS: Record<string, Builtin> = {
  // Seconds since the timestamp, always a float in Rhai.
  elapsed: (a, site) => {
    const then = receiverOf(a, site, Timestamp).ms;
    return site.ctx.hostCall(performance.now, performance, [], (now) => new RhaiFloat((Number(now) - then) / 1000), 'elapsed', site.pos);
  },
};

export const RANGE_METHODS: Record<string, Builtin> = {
  start: (a, site) => receiverOf(a, site, RhaiRange).start,
  end: (a, site) => receiverOf(a, site, RhaiRange).end,
  is_inclusive: (a, site) => receiverOf(a, site, RhaiRange).inclusive,
  contains: (a, site) => {
    const range = receiverOf(a, site, RhaiRange);
    return typeof a[1] === 'number' && range.contains(a[1]);
  },
  len: (a, site) => {
    const range = receiverOf(a, site, RhaiRange);
    return Math.max(0, range.stop - range.start);
  },
};
