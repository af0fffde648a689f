// An `is` response whose body or header values are templates: compiled once into a function that
// builds the reply per request. Everything else (status, header names, static header values,
// Connection) is the precompiled static reply's.
import { validateHeaderValue } from 'node:http';
import type { ProtocolRequest } from '../../model/request.js';
import type { CompiledTemplate, TemplateOptions } from '../../templates/compileTemplate.js';
import { compileFieldTemplate as compile, renderField as render, templateError } from '../../templates/fieldTemplate.js';
import { hasTemplateTags } from '../../templates/parseTemplate.js';
import { templateRequest } from '../../templates/templateRequest.js';
import { compileHttpReply, type HttpReply } from './httpReply.js';

interface HeaderTemplate {
  /** Position of the value in the flattened header list. */
  index: number;
  name: string;
  template: CompiledTemplate;
}

/** Undefined when nothing in the reply is a template: the static reply serves it. */
export function compileHttpTemplatedReply(
  is: Record<string, unknown>,
  defaults: Record<string, unknown> | undefined,
  source: unknown,
  options: TemplateOptions,
): ((request: ProtocolRequest) => HttpReply) | undefined {
  const d = defaults ?? {};
  const mode = is._mode || d._mode || 'text';
  const body = is.body || d.body || '';
  // The template is the body as it would be sent: a string as is, an object as its JSON.
  const bodyText = mode === 'binary' ? '' : typeof body === 'object' && body !== null ? JSON.stringify(body, null, 4) : String(body);
  const base = compileHttpReply(is, defaults, source);

  const headerTemplates: HeaderTemplate[] = [];
  const contentLengthAt: number[] = [];
  for (let i = 0; i < base.headers.length; i += 2) {
    const name = base.headers[i]!;
    if (name.toLowerCase() === 'content-length') contentLengthAt.push(i + 1);
    else if (hasTemplateTags(base.headers[i + 1]!)) {
      headerTemplates.push({ index: i + 1, name, template: compile(base.headers[i + 1]!, `headers.${name}`, source, options) });
    }
  }
  const bodyTemplate = hasTemplateTags(bodyText) ? compile(bodyText, 'body', source, options) : undefined;
  if (!bodyTemplate && headerTemplates.length === 0) return undefined;

  const { statusCode } = base;
  const staticHeaders = base.headers;
  const staticBody = bodyTemplate ? undefined : base.body;
  const copyHeaders = headerTemplates.length > 0 || (bodyTemplate !== undefined && contentLengthAt.length > 0);

  return (request) => {
    const view = templateRequest(request);
    const body = bodyTemplate ? render(() => bodyTemplate.renderChunks(view), 'body') : undefined;
    const reply = (headers: string[]): HttpReply =>
      body ? new ChunkedReply(statusCode, headers, body.chunks, body.length) : { statusCode, headers, body: staticBody! };
    if (!copyHeaders) return reply(staticHeaders);
    const headers = staticHeaders.slice();
    for (const { index, name, template } of headerTemplates) {
      const value = render(() => template.renderString(view), `headers.${name}`);
      try {
        validateHeaderValue(name, value);
      } catch {
        throw templateError(`headers.${name}`, `the value rendered for header ${JSON.stringify(name)} is not a valid header value`);
      }
      headers[index] = value;
    }
    if (body) for (const index of contentLengthAt) headers[index] = String(body.length);
    return reply(headers);
  };
}

/** A rendered reply: the writer sends its chunks; `body` joins them only for a reader that asks. */
class ChunkedReply implements HttpReply {
  private joined: Buffer | undefined;
  constructor(
    readonly statusCode: number,
    readonly headers: string[],
    readonly chunks: readonly Buffer[],
    private readonly length: number,
  ) {}

  get body(): Buffer {
    return (this.joined ??= Buffer.concat(this.chunks, this.length));
  }
}
