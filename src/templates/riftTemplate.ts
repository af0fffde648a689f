// Rift's declarative templates (`_rift.templated: true` on an `is` response): `{{ expression }}`
// in the body and header values, over the request and the flow's state. Parsed and checked once,
// when the imposter is created (an unknown function or filter is refused then); rendered per
// request. A value that is missing at run time (a header the request lacks, a JSON path that is
// not there) renders as nothing and is logged, as in Rift.
//
//   {{ head args... | filter args... }}
//   heads:   request.method  request.path  request.query.NAME  request.pathParams.NAME
//            request.header 'Name'  request.json '$.a.b[0]'  state.KEY  uuid  randomInt A B
//            now [offset='-36h'] [format='%Y-%m-%d']   NOW  DAYS+N  DAYS-N  MONTHS+N  MONTHS-N
//   filters: last_segment   regex 'pattern' GROUP   json
import { randomInt, randomUUID } from 'node:crypto';
import { didYouMeanSuffix } from '../model/didYouMean.js';
import { errorMessage } from '../model/caughtError.js';
import { parseClientJson } from '../model/jsonDepth.js';
import { isObjectLike } from '../model/plainObject.js';

/** What an expression reads; state answers later with the Redis store. */
export interface TemplateScope {
  method: string;
  path: string;
  query: Record<string, unknown>;
  pathParams: Record<string, string>;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: string;
  state(key: string): unknown | Promise<unknown>;
}

/** A value that is not there: rendered as nothing, with this reason logged. */
export class TemplateMiss {
  constructor(readonly reason: string) {}
}

export class RiftTemplateError extends Error {}

type Value = string | TemplateMiss;
type Expression = (scope: TemplateScope) => Value | Promise<Value>;
type Filter = (value: string) => Value;

export interface RiftTemplate {
  /** The text, or a Promise of it when an expression read the Redis store; `misses` gets each missing value. */
  render(scope: TemplateScope, misses: (token: string, reason: string) => void): string | Promise<string>;
}

const TOKEN = /\{\{\s*([^{}]+?)\s*\}\}/g;
const HEADS = [
  'request.method',
  'request.path',
  'request.query.NAME',
  'request.pathParams.NAME',
  'request.header',
  'request.json',
  'state.KEY',
  'uuid',
  'randomInt',
  'now',
  'NOW',
  'DAYS+N',
  'MONTHS+N',
];
const FILTERS = ['last_segment', 'regex', 'json'];

/** Undefined when the text has no `{{ }}`: it is served as it is. */
export function compileRiftTemplate(text: string): RiftTemplate | undefined {
  const statics: string[] = [];
  const parts: { token: string; expression: Expression }[] = [];
  let last = 0;
  for (const match of text.matchAll(TOKEN)) {
    statics.push(text.slice(last, match.index));
    parts.push({ token: match[0], expression: compileExpression(match[1]!, match[0]) });
    last = match.index + match[0].length;
  }
  if (parts.length === 0) return undefined;
  statics.push(text.slice(last));
  return {
    render(scope, misses) {
      const values = parts.map((p) => p.expression(scope));
      const join = (resolved: Value[]): string => {
        let out = statics[0]!;
        for (let i = 0; i < resolved.length; i++) {
          const value = resolved[i]!;
          if (value instanceof TemplateMiss) misses(parts[i]!.token, value.reason);
          else out += value;
          out += statics[i + 1]!;
        }
        return out;
      };
      return values.every((v): v is Value => !(v instanceof Promise)) ? join(values) : Promise.all(values).then(join);
    },
  };
}

function compileExpression(inner: string, token: string): Expression {
  const [base = '', ...filterTexts] = splitOutsideQuotes(inner, '|');
  const words = tokenize(base);
  const head = words[0];
  if (head === undefined) throw new RiftTemplateError(`${token}: an empty expression`);
  let expression = compileHead(head, words.slice(1), token);
  for (const text of filterTexts) {
    const [name, ...args] = tokenize(text);
    const filter = compileFilter(name ?? '', args, token);
    const previous = expression;
    expression = (scope) => {
      const value = previous(scope);
      return value instanceof Promise ? value.then((v) => applyFilter(v, filter)) : applyFilter(value, filter);
    };
  }
  return expression;
}

const applyFilter = (value: Value, filter: Filter): Value => (value instanceof TemplateMiss ? value : filter(value));

function compileHead(head: string, args: string[], token: string): Expression {
  const date = /^(NOW|DAYS([+-])(\d+)|MONTHS([+-])(\d+))$/.exec(head);
  if (date) {
    if (date[1] === 'NOW') return () => rfc3339(new Date());
    const days = date[3] !== undefined ? signed(date[2]!, date[3]) : 0;
    const months = date[5] !== undefined ? signed(date[4]!, date[5]) : 0;
    return () => rfc3339(months === 0 ? new Date(Date.now() + days * 86_400_000) : addMonths(new Date(), months));
  }
  switch (head) {
    case 'request.method':
      return (s) => s.method;
    case 'request.path':
      return (s) => s.path;
    case 'request.header': {
      const name = required(args[0], token, "request.header needs a quoted header name: request.header 'X-Name'").toLowerCase();
      return (s) => s.headers[name] ?? new TemplateMiss(`no header '${args[0]}'`);
    }
    case 'request.json': {
      const path = compileJsonPath(required(args[0], token, "request.json needs a quoted JSON path: request.json '$.a.b'"), token);
      return (s) => {
        let root: unknown;
        try {
          root = parseClientJson(s.body);
        } catch {
          return new TemplateMiss('the request body is not JSON');
        }
        return path(root);
      };
    }
    case 'uuid':
      return () => randomUUID();
    case 'randomInt': {
      const [low, high] = [integer(args[0], token), integer(args[1], token)];
      if (low > high) throw new RiftTemplateError(`${token}: randomInt's lower bound ${low} is above its upper bound ${high}`);
      return () => String(randomInt(low, high + 1));
    }
    case 'now':
      return compileNow(args, token);
  }
  const query = prefixed(head, 'request.query.');
  if (query !== undefined) {
    return (s) => {
      const value = s.query[query];
      if (value === undefined) return new TemplateMiss(`no query parameter '${query}'`);
      return Array.isArray(value) ? String(value[0]) : String(value);
    };
  }
  const param = prefixed(head, 'request.pathParams.');
  if (param !== undefined) return (s) => s.pathParams[param] ?? new TemplateMiss(`no path parameter '${param}' (the stub's routePattern names it?)`);
  const key = prefixed(head, 'state.');
  if (key !== undefined) {
    return (s) => {
      const value = s.state(key);
      const read = (v: unknown): Value => (v === undefined || v === null ? new TemplateMiss(`no state key '${key}'`) : text(v));
      return value instanceof Promise ? value.then(read) : read(value);
    };
  }
  throw new RiftTemplateError(`${token}: unknown template function '${head}'${didYouMeanSuffix(head, HEADS)}; known: ${HEADS.join(', ')}`);
}

function compileFilter(name: string, args: string[], token: string): Filter {
  switch (name) {
    case 'last_segment':
      return (v) => v.replace(/\/+$/, '').split('/').pop() ?? '';
    case 'json':
      return (v) => JSON.stringify(v).slice(1, -1);
    case 'regex': {
      const source = required(args[0], token, "the regex filter needs a quoted pattern and a group: | regex '(\\d+)$' 1");
      let pattern: RegExp;
      try {
        pattern = new RegExp(source);
      } catch (err) {
        throw new RiftTemplateError(`${token}: the regex filter's pattern does not compile: ${errorMessage(err)}`);
      }
      const group = integer(args[1], token);
      return (v) => {
        const match = pattern.exec(v);
        if (!match) return new TemplateMiss(`the pattern '${source}' does not match`);
        return match[group] ?? new TemplateMiss(`the pattern '${source}' has no group ${group}`);
      };
    }
  }
  throw new RiftTemplateError(`${token}: unknown template filter '${name}'${didYouMeanSuffix(name, FILTERS)}; known: ${FILTERS.join(', ')}`);
}

function compileNow(args: string[], token: string): Expression {
  let offsetMs = 0;
  let format: string | undefined;
  for (const arg of args) {
    const offset = prefixed(arg, 'offset=');
    const fmt = prefixed(arg, 'format=');
    if (offset !== undefined) {
      const m = /^([+-]?)(\d+)([smhd])$/.exec(offset);
      if (!m) throw new RiftTemplateError(`${token}: now's offset must look like '-36h', '+2d', '90m' or '30s', got '${offset}'`);
      const unit = m[3] === 's' ? 1_000 : m[3] === 'm' ? 60_000 : m[3] === 'h' ? 3_600_000 : 86_400_000; // d
      offsetMs = (m[1] === '-' ? -1 : 1) * Number(m[2]) * unit;
    } else if (fmt !== undefined) {
      format = fmt;
      strftime(new Date(), fmt, token); // refuses an unknown directive now
    } else throw new RiftTemplateError(`${token}: now takes offset='...' and format='...', not '${arg}'`);
  }
  return () => {
    const date = new Date(Date.now() + offsetMs);
    return format === undefined ? rfc3339(date) : strftime(date, format, token);
  };
}

/** `$`, `.key` and `[index]` steps. */
function compileJsonPath(path: string, token: string): (root: unknown) => Value {
  if (!path.startsWith('$')) throw new RiftTemplateError(`${token}: a JSON path starts with '$', got '${path}'`);
  const steps: (string | number)[] = [];
  const re = /\.([^.[]+)|\[(\d+)\]/y;
  let at = 1;
  while (at < path.length) {
    re.lastIndex = at;
    const m = re.exec(path);
    if (!m) throw new RiftTemplateError(`${token}: cannot read the JSON path '${path}' at '${path.slice(at)}' (use .key and [index])`);
    steps.push(m[1] ?? Number(m[2]));
    at = re.lastIndex;
  }
  return (root) => {
    let value = root;
    for (const step of steps) {
      if (!isObjectLike(value) || !Object.hasOwn(value, step)) return new TemplateMiss(`nothing at '${path}' in the request body`);
      value = value[step];
    }
    return text(value);
  };
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
}

function prefixed(text: string, prefix: string): string | undefined {
  return text.startsWith(prefix) && text.length > prefix.length ? text.slice(prefix.length) : undefined;
}

function required(value: string | undefined, token: string, message: string): string {
  if (value === undefined || value === '') throw new RiftTemplateError(`${token}: ${message}`);
  return value;
}

function integer(value: string | undefined, token: string): number {
  if (value === undefined || !/^-?\d+$/.test(value))
    throw new RiftTemplateError(`${token}: expected an integer, got ${value === undefined ? 'nothing' : `'${value}'`}`);
  return Number(value);
}

const signed = (sign: string, digits: string): number => (sign === '-' ? -1 : 1) * Number(digits);

/** Months added as a calendar does: Jan 31 + 1 month is the last day of February. */
function addMonths(date: Date, months: number): Date {
  const out = new Date(date.getTime());
  const day = out.getUTCDate();
  out.setUTCDate(1);
  out.setUTCMonth(out.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(out.getUTCFullYear(), out.getUTCMonth() + 1, 0)).getUTCDate();
  out.setUTCDate(Math.min(day, lastDay));
  return out;
}

/** RFC 3339 in UTC, as Rift writes it: `2026-07-01T16:54:03.803+00:00`. */
function rfc3339(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The strftime directives dates commonly use, in UTC. */
function strftime(date: Date, format: string, token: string): string {
  return format.replace(/%(.)/g, (all, d: string) => {
    switch (d) {
      case 'Y':
        return String(date.getUTCFullYear());
      case 'y':
        return pad(date.getUTCFullYear() % 100);
      case 'm':
        return pad(date.getUTCMonth() + 1);
      case 'd':
        return pad(date.getUTCDate());
      case 'e':
        return String(date.getUTCDate()).padStart(2, ' ');
      case 'H':
        return pad(date.getUTCHours());
      case 'M':
        return pad(date.getUTCMinutes());
      case 'S':
        return pad(date.getUTCSeconds());
      case 'f':
        return pad(date.getUTCMilliseconds(), 3) + '000000';
      case 'b':
        return MONTHS[date.getUTCMonth()]!;
      case 'a':
        return DAYS[date.getUTCDay()]!;
      case 'j':
        return pad(Math.floor((date.getTime() - Date.UTC(date.getUTCFullYear(), 0, 1)) / 86_400_000) + 1, 3);
      case 's':
        return String(Math.floor(date.getTime() / 1000));
      case 'z':
        return '+0000';
      case 'Z':
        return 'UTC';
      case 'F':
        return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
      case 'T':
        return `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
      case '%':
        return '%';
    }
    throw new RiftTemplateError(
      `${token}: now's format has '${all}', which standin does not know (it knows %Y %y %m %d %e %H %M %S %f %b %a %j %s %z %Z %F %T %%)`,
    );
  });
}

/** Splits on `sep` outside single quotes. */
function splitOutsideQuotes(text: string, sep: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const c of text) {
    if (c === "'") quoted = !quoted;
    if (c === sep && !quoted) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

/** Words separated by spaces; a single-quoted run is one word, without its quotes. */
function tokenize(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let quoted = false;
  let has = false;
  for (const c of text) {
    if (c === "'") {
      quoted = !quoted;
      has = true;
    } else if (/\s/.test(c) && !quoted) {
      if (has) words.push(current);
      current = '';
      has = false;
    } else {
      current += c;
      has = true;
    }
  }
  if (has) words.push(current);
  return words;
}
