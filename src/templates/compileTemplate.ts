// Compiles a template once into a function of `request`. The generated code pushes the index of a
// static part (encoded to bytes here, once) or the text of a computed value, so rendering a
// 500 KB body with a few tags neither re-encodes nor copies the static bytes: they are written
// to the socket from the buffers made here.
import { parseTemplate, TemplateSyntaxError, type TemplatePart } from './parseTemplate.js';
import { runSync } from '../injection/index.js';
import { mayRunLong } from './mayRunLong.js';
import { errorMessage } from '../model/caughtError.js';

/** The generated function: static parts by index, computed values as text. */
type RenderFunction = (request: unknown, out: Array<number | string>, escape: (value: unknown) => string) => void;

export interface RenderedChunks {
  /** The static parts are the compiled template's own buffers, shared by every render. */
  chunks: Buffer[];
  length: number;
}

export interface CompiledTemplate {
  renderChunks(request: unknown): RenderedChunks;
  renderString(request: unknown): string;
}

export { TemplateSyntaxError };

export interface TemplateOptions {
  /** How long a template whose code can loop may run per render (--injectionTimeout); 0 = no limit. */
  timeoutMs: number;
  /** --stallLimit: the same, and usually shorter; 0 = no limit. */
  stallMs: number;
}

export function compileTemplate(source: string, options: TemplateOptions): CompiledTemplate {
  const parts = parseTemplate(source);
  const texts: string[] = [];
  let code = 'var __v;\n';
  let longRunning = false;
  for (const part of parts) code += generate(part);
  let render: RenderFunction;
  try {
    render = new Function('request', '__out', '__escape', code) as RenderFunction;
  } catch (err) {
    throw new TemplateSyntaxError(errorMessage(err));
  }
  const bytes = texts.map((t) => Buffer.from(t, 'utf8'));

  const run = (request: unknown): Array<number | string> => {
    const out: Array<number | string> = [];
    if (longRunning) runSync(() => render(request, out, escapeXml), [], options.timeoutMs, options.stallMs);
    else render(request, out, escapeXml);
    return out;
  };

  return {
    renderChunks(request) {
      const chunks: Buffer[] = [];
      let length = 0;
      for (const piece of run(request)) {
        const chunk = typeof piece === 'number' ? bytes[piece]! : Buffer.from(piece, 'utf8');
        chunks.push(chunk);
        length += chunk.length;
      }
      return { chunks, length };
    },
    renderString(request) {
      let text = '';
      for (const piece of run(request)) text += typeof piece === 'number' ? texts[piece]! : piece;
      return text;
    },
  };

  function generate(part: TemplatePart): string {
    switch (part.kind) {
      case 'text':
        texts.push(part.text);
        return `;__out.push(${texts.length - 1})\n`;
      case 'code':
        if (mayRunLong(part.code)) longRunning = true;
        return `;${part.code}\n`;
      case 'output':
        if (mayRunLong(part.code)) longRunning = true;
        // As EJS: escaped output of null/undefined is '', raw output skips them.
        return part.escape ? `;__out.push(__escape(${part.code}))\n` : `;__v = (${part.code}\n);if (__v !== undefined && __v !== null) __out.push('' + __v)\n`;
    }
  }
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

/** EJS's escape for `<%=`. */
function escapeXml(value: unknown): string {
  return value === undefined || value === null ? '' : String(value).replace(/[&<>'"]/g, (c) => HTML_ESCAPES[c]!);
}
