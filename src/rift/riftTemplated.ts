// `_rift.templated: true` on an `is` response: its body and header values are Rift templates
// (src/templates/riftTemplate.ts), rendered per request before its behaviors run, over the request
// (with the stub's routePattern parameters) and the request's flow state. Rendered from what the
// configuration wrote only: a value the request supplies is never read as a template.
import type { IsRenderer, ResolveScope } from '../contracts/index.js';
import { cloneJson } from '../model/cloneJson.js';
import { StandinError, validationError } from '../model/errors.js';
import { joinedHeaders } from '../model/headers.js';
import type { ProtocolRequest } from '../model/request.js';
import { isObjectLike, isPlainObject } from '../model/plainObject.js';
import { compileRiftTemplate, RiftTemplateError, type RiftTemplate, type TemplateScope } from '../templates/riftTemplate.js';
import type { RiftImposter } from './riftImposter.js';

type Field = { path: (string | number)[]; template: RiftTemplate; header: boolean };

/** The renderer of one `is`, or undefined when nothing in it is a template. Throws a 400 for a template that cannot work. */
export function compileRiftTemplated(is: Record<string, unknown>, source: unknown, rift: RiftImposter): IsRenderer | undefined {
  const fields: Field[] = [];
  const add = (path: (string | number)[], text: string, header: boolean) => {
    let template: RiftTemplate | undefined;
    try {
      template = compileRiftTemplate(text);
    } catch (err) {
      if (err instanceof RiftTemplateError) throw validationError(`_rift.templated: ${path.join('.')}: ${err.message}`, source);
      throw err;
    }
    if (template) fields.push({ path, template, header });
  };
  if (is._mode !== 'binary') collect(is.body, ['body'], (path, text) => add(path, text, false));
  if (isPlainObject(is.headers)) {
    for (const [name, value] of Object.entries(is.headers)) {
      if (typeof value === 'string') add(['headers', name], value, true);
      else if (Array.isArray(value)) value.forEach((v, i) => typeof v === 'string' && add(['headers', name, i], v, true));
    }
  }
  if (fields.length === 0) return undefined;

  return (request, scope) => {
    const view = templateScope(request, scope, rift);
    const rendered = cloneJson(is);
    const misses = (token: string, reason: string) => scope.log.warn(`_rift.templated in ${scope.label ?? 'a stub'}: ${token} rendered as nothing: ${reason}`);
    const texts = fields.map((f) => f.template.render(view, misses));
    const fill = (values: string[]) => {
      fields.forEach((f, i) => set(rendered, f.path, f.header ? values[i]!.replace(/[\r\n]/g, '') : values[i]!));
      return rendered;
    };
    if (texts.every((t): t is string => typeof t === 'string')) return fill(texts);
    return Promise.all(texts).then(fill, (err: unknown) => {
      const message = `_rift.templated in ${scope.label ?? 'a stub'} could not read the flow state: ${err instanceof Error ? err.message : String(err)}`;
      scope.log.error(message);
      throw new StandinError('invalid injection', message);
    });
  };
}

/** Every string in a body (a text body, or the strings inside a JSON one). */
function collect(value: unknown, path: (string | number)[], add: (path: (string | number)[], text: string) => void): void {
  if (typeof value === 'string') add(path, value);
  else if (Array.isArray(value)) value.forEach((v, i) => collect(v, [...path, i], add));
  else if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) collect(v, [...path, k], add);
}

/** Writes `value` at `path` inside `target` (a copy of the JSON the path was collected from). */
function set(target: unknown, path: (string | number)[], value: string): void {
  let at = target;
  for (let i = 0; i < path.length - 1; i++) at = isObjectLike(at) ? at[path[i]!] : undefined;
  if (isObjectLike(at)) at[path[path.length - 1]!] = value;
}

function templateScope(request: ProtocolRequest, scope: ResolveScope, rift: RiftImposter): TemplateScope {
  const path = String(request.path ?? '');
  const flowId = rift.flowId(request, scope.port ?? 0);
  return {
    method: String(request.method ?? ''),
    path,
    query: isObjectLike(request.query) ? request.query : {},
    pathParams: scope.pathParams?.(path) ?? {},
    headers: joinedHeaders(request.headers),
    body: typeof request.body === 'string' ? request.body : '',
    state: (key) => rift.store.get(flowId, key),
  };
}
