// Compiles a template once into a function of `request`. The generated code pushes the index of a
// static part (encoded to bytes here, once) or the text of a computed value, so rendering a
// 500 KB body with a few tags copies the static bytes instead of re-encoding them.
import { parseTemplate, TemplateSyntaxError, type TemplatePart } from './parseTemplate.js';
import { mayRunLong, runWithTimeout, TEMPLATE_TIMEOUT_MS } from './watchdog.js';

/** The generated function: static parts by index, computed values as text. */
type RenderFunction = (request: unknown, out: Array<number | string>, escape: (value: unknown) => string) => void;

export interface CompiledTemplate {
  renderBuffer(request: unknown): Buffer;
  renderString(request: unknown): string;
}

export { TemplateSyntaxError };

export function compileTemplate(source: string): CompiledTemplate {
  const parts = parseTemplate(source);
  const texts: string[] = [];
  let code = 'var __v;\n';
  let longRunning = false;
  for (const part of parts) code += generate(part);
  let render: RenderFunction;
  try {
    render = new Function('request', '__out', '__escape', code) as RenderFunction;
  } catch (err) {
    throw new TemplateSyntaxError((err as Error).message);
  }
  const bytes = texts.map((t) => Buffer.from(t, 'utf8'));

  const run = (request: unknown): Array<number | string> => {
    const out: Array<number | string> = [];
    if (longRunning) runWithTimeout(() => render(request, out, escapeXml), TEMPLATE_TIMEOUT_MS);
    else render(request, out, escapeXml);
    return out;
  };

  return {
    renderBuffer(request) {
      const out = run(request);
      let length = 0;
      for (const piece of out) length += typeof piece === 'number' ? bytes[piece]!.length : Buffer.byteLength(piece);
      const body = Buffer.allocUnsafe(length);
      let offset = 0;
      for (const piece of out) {
        if (typeof piece === 'number') offset += bytes[piece]!.copy(body, offset);
        else offset += body.write(piece, offset);
      }
      return body;
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
        return part.escape
          ? `;__out.push(__escape(${part.code}))\n`
          : `;__v = (${part.code}\n);if (__v !== undefined && __v !== null) __out.push('' + __v)\n`;
    }
  }
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

/** EJS's escape for `<%=`. */
function escapeXml(value: unknown): string {
  return value === undefined || value === null ? '' : String(value).replace(/[&<>'"]/g, (c) => HTML_ESCAPES[c]!);
}
