// The gate between an `is` response and its templates. Templates run code, so they are rendered
// only with --allowInjection, like every other way of running a user's JavaScript. Without it
// the response is served as written, tags included, which is what mountebank does with the same
// imposter: existing imposters whose bodies happen to contain `<%` keep working unchanged.
import type { ResponseContext, ResponseObject } from '../contracts/index.js';
import { cloneJson } from '../model/cloneJson.js';
import { parseClientJson } from '../model/jsonDepth.js';
import type { ProtocolRequest } from '../model/request.js';
import { isPlainObject } from '../model/plainObject.js';
import type { CompiledTemplate, TemplateOptions } from '../templates/compileTemplate.js';
import { compileFieldTemplate, renderField } from '../templates/fieldTemplate.js';
import { hasTemplateTags } from '../templates/parseTemplate.js';
import { templateRequest } from '../templates/templateRequest.js';

/** A per-request reply builder for the protocol, or undefined when the static reply serves this response. */
export function compileTemplatedIs(is: ResponseObject, context: ResponseContext, source: unknown): ((request: ProtocolRequest) => unknown) | undefined {
  const options = templateOptions(is, context);
  return options && context.protocol.compileTemplatedReply?.(is, context.defaultResponse, source, options);
}

/**
 * For responses that behaviors (copy, decorate...) change: a fresh copy of `is` per request with
 * its body and header values rendered, for the behaviors to work on. An object body is rendered
 * as its JSON text and parsed back, so behaviors still see an object. Undefined: nothing to render.
 */
export function compileTemplatedIsObject(
  is: ResponseObject,
  context: ResponseContext,
  source: unknown,
): ((request: ProtocolRequest) => ResponseObject) | undefined {
  const options = templateOptions(is, context);
  if (!options) return undefined;
  const body = is._mode === 'binary' ? undefined : bodyTemplate(is.body, source, options);
  const headers = headerTemplates(is.headers, source, options);
  if (!body && headers.length === 0) return undefined;
  return (request) => {
    const view = templateRequest(request);
    const rendered = cloneJson(is);
    if (body) {
      const text = renderField(() => body.template.renderString(view), 'body');
      rendered.body = body.isText ? text : parseOrText(text);
    }
    for (const { name, item, template } of headers) {
      const value = renderField(() => template.renderString(view), `headers.${name}`);
      // A copy of `is`: its headers hold the object and arrays the templates were found in.
      const target = rendered.headers;
      if (!isPlainObject(target)) continue;
      const items = target[name];
      if (item === undefined) target[name] = value;
      else if (Array.isArray(items)) items[item] = value;
    }
    return rendered;
  };
}

/** The options templates compile with, or undefined when this response's templates are not rendered. */
function templateOptions(is: ResponseObject, context: ResponseContext): TemplateOptions | undefined {
  if (context.allowInjection) return { timeoutMs: context.scripts.timeoutMs, stallMs: context.scripts.stallMs };
  if (mentionsTemplate(is, context.defaultResponse)) {
    context.scripts.log.warn(
      'a response holds EJS tags (<% %>): it is served as written, tags included; start standin with --allowInjection to render them as templates',
    );
  }
  return undefined;
}

function mentionsTemplate(is: ResponseObject, defaults: ResponseObject | undefined): boolean {
  const fields = [is.body, is.headers, defaults?.body, defaults?.headers];
  return fields.some((f) => f !== undefined && hasTemplateTags(typeof f === 'string' ? f : JSON.stringify(f)));
}

function bodyTemplate(body: unknown, source: unknown, options: TemplateOptions): { template: CompiledTemplate; isText: boolean } | undefined {
  const isText = typeof body === 'string';
  const text = isText ? body : typeof body === 'object' && body !== null ? JSON.stringify(body, null, 4) : undefined;
  if (text === undefined || !hasTemplateTags(text)) return undefined;
  return { template: compileFieldTemplate(text, 'body', source, options), isText };
}

interface HeaderTemplate {
  name: string;
  /** The position in an array value; undefined for a single value. */
  item: number | undefined;
  template: CompiledTemplate;
}

function headerTemplates(headers: unknown, source: unknown, options: TemplateOptions): HeaderTemplate[] {
  if (!isPlainObject(headers)) return [];
  const templates: HeaderTemplate[] = [];
  for (const [name, value] of Object.entries(headers)) {
    const items = Array.isArray(value) ? value : [value];
    items.forEach((v, i) => {
      if (typeof v === 'string' && hasTemplateTags(v)) {
        templates.push({ name, item: Array.isArray(value) ? i : undefined, template: compileFieldTemplate(v, `headers.${name}`, source, options) });
      }
    });
  }
  return templates;
}

/** The rendered body as JSON (it may hold request text: nested too deep, it stays text), or its text. */
function parseOrText(text: string): unknown {
  try {
    return parseClientJson(text);
  } catch {
    return text;
  }
}
