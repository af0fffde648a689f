// Imposter's response templates (`template: true`): `${context.request.pathParams.id}`,
// `${stores.name.key}`, `${datetime.now.millis}`, `${random.uuid()}`, `${system.server.url}`,
// with the `:-default`, `:$.json.path` and `:/xml/path` trailers. The text is split into
// literal parts and compiled placeholders once; a request only runs the placeholders.
// Unknown categories stay as written; unknown fields give "" (imposter-go's rules).
import { randomUUID } from 'node:crypto';
import { compileJsonPathSelector, compileXPathSelector, valueAsText, type ValueSelector } from './bodySelectors.js';
import type { RequestScope } from './requestScope.js';
import type { NamedStores } from '../contracts/index.js';

export interface TemplateContext {
  scope: RequestScope;
  stores: NamedStores;
  /** `${system.server.url}`, e.g. http://localhost:8080. */
  serverUrl: string;
}

type Evaluate = (context: TemplateContext) => unknown;
export type CompiledTemplate = (context: TemplateContext) => string;

const PLACEHOLDER = /\$\{([^{}]+)\}/g;

export function compileTemplate(text: string, where: string): CompiledTemplate {
  const literals: string[] = [];
  const placeholders: Evaluate[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const evaluate = compilePlaceholder(match[1]!, where);
    if (!evaluate) continue;
    literals.push(text.slice(last, match.index));
    placeholders.push(evaluate);
    last = match.index + match[0].length;
  }
  literals.push(text.slice(last));
  if (placeholders.length === 0) return () => text;
  return (context) => {
    let out = literals[0]!;
    for (let i = 0; i < placeholders.length; i++) out += valueAsText(placeholders[i]!(context)) + literals[i + 1]!;
    return out;
  };
}

/** undefined when the category is not Imposter's: the placeholder is then left as written. */
function compilePlaceholder(expression: string, where: string): Evaluate | undefined {
  const colon = expression.indexOf(':');
  const field = (colon === -1 ? expression : expression.slice(0, colon)).trim();
  const value = compileField(field);
  if (!value) return undefined;
  if (colon === -1) return value;
  const trailer = expression.slice(colon + 1);
  if (trailer.startsWith('-')) {
    const fallback = trailer.slice(1);
    return (context) => {
      const v = value(context);
      return v === undefined || v === null || v === '' ? fallback : v;
    };
  }
  let select: ValueSelector;
  if (trailer.startsWith('$')) select = compileJsonPathSelector(trailer, where);
  else if (trailer.startsWith('/')) select = compileXPathSelector(trailer, undefined, where);
  else return value;
  return (context) => select(value(context));
}

function compileField(field: string): Evaluate | undefined {
  const dot = field.indexOf('.');
  const category = dot === -1 ? field : field.slice(0, dot);
  const rest = dot === -1 ? '' : field.slice(dot + 1);
  switch (category) {
    case 'context':
      return compileContext(rest);
    case 'stores':
      return compileStore(rest);
    case 'datetime':
      return compileDatetime(rest);
    case 'random':
      return compileRandom(rest);
    case 'system':
      return rest === 'server.url' ? (c) => c.serverUrl : rest === 'server.port' ? (c) => new URL(c.serverUrl).port : () => '';
    default:
      return undefined;
  }
}

function compileContext(path: string): Evaluate {
  const named = (prefix: string): string | undefined => (path.startsWith(prefix) ? path.slice(prefix.length) : undefined);
  switch (path) {
    case 'request.method':
      return (c) => c.scope.method;
    case 'request.path':
      return (c) => c.scope.path;
    case 'request.uri':
      return (c) => c.scope.uri;
    case 'request.body':
      return (c) => c.scope.body;
  }
  let name: string | undefined;
  if ((name = named('request.pathParams.')) !== undefined) return (c) => c.scope.pathParam(name!);
  if ((name = named('request.queryParams.')) !== undefined) return (c) => c.scope.queryParam(name!);
  if ((name = named('request.headers.')) !== undefined) return (c) => c.scope.header(name!);
  if ((name = named('request.formParams.')) !== undefined) return (c) => c.scope.formParam(name!);
  return () => '';
}

function compileStore(path: string): Evaluate {
  const dot = path.indexOf('.');
  if (dot === -1) return () => '';
  const store = path.slice(0, dot);
  const key = path.slice(dot + 1);
  if (store === 'request') return (c) => c.scope.requestStore.get(key);
  return (c) => c.stores.find(store)?.get(key);
}

function compileDatetime(path: string): Evaluate {
  switch (path) {
    case 'now.iso8601_date':
      return () => new Date().toISOString().slice(0, 10);
    case 'now.iso8601_datetime':
      return () => new Date().toISOString();
    case 'now.millis':
      return () => String(Date.now());
    case 'now.nanos':
      return () => String(process.hrtime.bigint());
    default:
      return () => '';
  }
}

const ALPHABETIC = 'abcdefghijklmnopqrstuvwxyz';
const NUMERIC = '0123456789';

function compileRandom(call: string): Evaluate {
  const match = /^(\w+)\((.*)\)$/.exec(call);
  if (!match) return () => '';
  const args = new Map<string, string>();
  for (const pair of match[2]!.split(',')) {
    const eq = pair.indexOf('=');
    if (eq !== -1)
      args.set(
        pair.slice(0, eq).trim(),
        pair
          .slice(eq + 1)
          .trim()
          .replace(/^"(.*)"$/, '$1'),
      );
  }
  const length = Number(args.get('length') ?? 1) || 1;
  const upper = args.get('uppercase') === 'true';
  const pick = (chars: string) => () => {
    let out = '';
    for (let i = 0; i < length; i++) out += chars[Math.floor(Math.random() * chars.length)];
    return upper ? out.toUpperCase() : out;
  };
  switch (match[1]) {
    case 'uuid':
      return () => (upper ? randomUUID().toUpperCase() : randomUUID());
    case 'alphabetic':
      return pick(ALPHABETIC);
    case 'numeric':
      return pick(NUMERIC);
    case 'alphanumeric':
      return pick(ALPHABETIC + NUMERIC);
    case 'any':
      return pick(args.get('chars') || ALPHABETIC + NUMERIC);
    default:
      return () => '';
  }
}
