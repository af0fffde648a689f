// A resource's `response` block (statusCode, content or file, headers, template, delay) compiled
// once. Without `template: true` the body is fixed bytes; with it, a compiled template. Responses
// apply onto a ResponseState, so a `continue: true` interceptor's headers carry into the resource's.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { isPlainObject } from '../model/plainObject.js';
import type { HttpReply } from '../protocols/http/httpReply.js';
import { ImposterConfigError } from './configModel.js';
import { compileTemplate, type TemplateContext } from './template.js';
import { errorMessage } from '../model/caughtError.js';

export interface ResponseState {
  statusCode: number;
  /** By lower-case name: the name as written and its value. */
  headers: Map<string, [string, string]>;
  body: Buffer;
  /** The Content-Type Imposter gives a body that has none: JSON for inline content, by extension for files. */
  defaultContentType: string | undefined;
  delayMs: number;
}

export interface CompiledMockResponse {
  /** True when applying reads the request (templates): the caller then builds a context. */
  readonly dynamic: boolean;
  apply(state: ResponseState, context: TemplateContext | undefined): void;
}

const CONTENT_TYPES: Record<string, string> = {
  '.json': 'application/json',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.txt': 'text/plain',
  '.xml': 'application/xml',
  '.yaml': 'application/x-yaml',
  '.yml': 'application/x-yaml',
  '.md': 'text/markdown',
  '.csv': 'text/csv',
  '.js': 'application/javascript',
  '.css': 'text/css',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.pdf': 'application/pdf',
};

export const newResponseState = (): ResponseState => ({
  statusCode: 200,
  headers: new Map(),
  body: Buffer.alloc(0),
  defaultContentType: undefined,
  delayMs: 0,
});

export function compileMockResponse(config: unknown, where: string): CompiledMockResponse {
  if (config === undefined || config === null) return { dynamic: false, apply: () => undefined };
  if (!isPlainObject(config)) throw new ImposterConfigError(`${where}: 'response' must be a mapping such as {statusCode: 200, content: ...}`);
  const statusCode = compileStatus(config.statusCode, where);
  const headers = compileHeaders(config.headers, where);
  const delay = compileDelay(config.delay, where);
  const template = config.template === true || config.template === 'true';

  let text: string | undefined;
  let bytes: Buffer | undefined;
  let defaultContentType: string | undefined;
  if (config.file !== undefined && config.file !== null) {
    if (typeof config.file !== 'string') throw new ImposterConfigError(`${where}: response.file must be a file path`);
    try {
      bytes = readFileSync(config.file);
    } catch (err) {
      throw new ImposterConfigError(`${where}: cannot read response file ${config.file}: ${errorMessage(err)}`);
    }
    defaultContentType = CONTENT_TYPES[extname(config.file).toLowerCase()] ?? 'application/octet-stream';
    if (template) text = bytes.toString('utf8');
  } else if (config.content !== undefined && config.content !== null) {
    text = typeof config.content === 'string' ? config.content : String(config.content);
    bytes = Buffer.from(text, 'utf8');
    defaultContentType = 'application/json';
  }
  const render = template && text !== undefined ? compileTemplate(text, where) : undefined;

  return {
    dynamic: render !== undefined,
    apply(state, context) {
      if (statusCode !== undefined) state.statusCode = statusCode;
      for (const [name, value] of headers) state.headers.set(name.toLowerCase(), [name, value]);
      if (render && context) state.body = Buffer.from(render(context), 'utf8');
      else if (bytes) state.body = bytes;
      if (defaultContentType) state.defaultContentType = defaultContentType;
      const ms = delay();
      if (ms > 0) state.delayMs = ms;
    },
  };
}

/** The state as the wire reply; Content-Type defaulted only for a non-empty body without one. */
export function replyOf(state: ResponseState): HttpReply {
  const headers: string[] = [];
  for (const [name, value] of state.headers.values()) if (name.toLowerCase() !== 'content-length') headers.push(name, value);
  if (state.body.length > 0 && state.defaultContentType && !state.headers.has('content-type')) {
    headers.push('Content-Type', state.defaultContentType);
  }
  headers.push('Content-Length', String(state.body.length));
  return { statusCode: state.statusCode, headers, body: state.body };
}

function compileStatus(value: unknown, where: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 100 || n > 999) {
    throw new ImposterConfigError(`${where}: response.statusCode must be an HTTP status such as 200, got ${JSON.stringify(value)}`);
  }
  return n;
}

function compileHeaders(value: unknown, where: string): [string, string][] {
  if (value === undefined || value === null) return [];
  if (!isPlainObject(value)) throw new ImposterConfigError(`${where}: response.headers must be a mapping of names to values`);
  return Object.entries(value).map(([name, raw]) => {
    const text = raw === null || raw === undefined ? '' : String(raw);
    try {
      validateHeaderName(name);
      validateHeaderValue(name, text);
    } catch {
      throw new ImposterConfigError(`${where}: invalid response header ${JSON.stringify(name)}`);
    }
    return [name, text];
  });
}

function compileDelay(value: unknown, where: string): () => number {
  if (value === undefined || value === null) return () => 0;
  const bad = () => new ImposterConfigError(`${where}: response.delay must be {exact: ms} or {min: ms, max: ms}`);
  if (!isPlainObject(value)) throw bad();
  const ms = (v: unknown): number => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw bad();
    return n;
  };
  if (value.exact !== undefined) {
    const exact = ms(value.exact);
    return () => exact;
  }
  if (value.min !== undefined && value.max !== undefined) {
    const min = ms(value.min);
    const max = ms(value.max);
    if (max < min) throw bad();
    return () => min + Math.floor(Math.random() * (max - min + 1));
  }
  throw bad();
}
