// Splits a response template into static text and code, with EJS 3's tag rules (the
// `ejs.render` a user knows), so a template renders the same here as with EJS itself:
//   <% code %>  <%= escaped %>  <%- raw %>  <%# comment %>  <%% literal <%  %%> literal %>
//   -%> drops the line break after the tag; <%_ and _%> drop the spaces and tabs around it.
// The static text is kept whole so it can be encoded once, at compile time.

export type TemplatePart =
  | { kind: 'text'; text: string }
  /** A scriptlet: statements run as written. */
  | { kind: 'code'; code: string }
  /** `<%=` (HTML-escaped) or `<%-` (as is): an expression whose value is written. */
  | { kind: 'output'; code: string; escape: boolean };

/** The template could not be parsed; the message says what is wrong. */
export class TemplateSyntaxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateSyntaxError';
  }
}

const TOKEN = /(<%%|%%>|<%=|<%-|<%_|<%#|<%|%>|-%>|_%>)/;
const CLOSE = new Set(['%>', '-%>', '_%>']);

type Mode = 'code' | 'escaped' | 'raw' | 'comment' | 'literal' | null;

/** True when `text` has something EJS would treat as a tag; anything else is served as is. */
export const hasTemplateTags = (text: string): boolean => text.includes('<%');

export function parseTemplate(source: string): TemplatePart[] {
  // EJS slurps the spaces and tabs before <%_ and after _%> before it tokenizes.
  const text = source.replace(/[ \t]*<%_/gm, '<%_').replace(/_%>[ \t]*/gm, '_%>');
  const tokens = text.split(TOKEN).filter((t) => t !== '');
  const parts: TemplatePart[] = [];
  const addText = (value: string): void => {
    if (value === '') return;
    const last = parts[parts.length - 1];
    if (last?.kind === 'text') last.text += value;
    else parts.push({ kind: 'text', text: value });
  };

  let mode: Mode = null;
  // After -%> or _%>, the next piece of text loses one leading line break.
  let truncate = false;
  const addOutput = (value: string): void => {
    if (truncate) {
      value = value.replace(/^(?:\r\n|\r|\n)/, '');
      truncate = false;
    }
    addText(value);
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.startsWith('<%') && token !== '<%%' && !CLOSE.has(tokens[i + 2] ?? '')) {
      throw new TemplateSyntaxError(`could not find the matching close tag for "${token}"`);
    }
    switch (token) {
      case '<%':
      case '<%_':
        mode = 'code';
        break;
      case '<%=':
        mode = 'escaped';
        break;
      case '<%-':
        mode = 'raw';
        break;
      case '<%#':
        mode = 'comment';
        break;
      case '<%%':
        mode = 'literal';
        addText('<%');
        break;
      case '%%>':
        mode = 'literal';
        addText('%>');
        break;
      case '%>':
      case '-%>':
      case '_%>':
        if (mode === 'literal') addOutput(token);
        mode = null;
        truncate = token !== '%>';
        break;
      default:
        addContent(token);
    }
  }
  return parts;

  function addContent(content: string): void {
    if (mode === null || mode === 'literal') {
      addOutput(content);
      return;
    }
    if (mode === 'comment') return;
    // A line comment at the end of the tag must not swallow the code that follows it.
    const code = content.lastIndexOf('//') > content.lastIndexOf('\n') ? content + '\n' : content;
    if (mode === 'code') parts.push({ kind: 'code', code });
    else parts.push({ kind: 'output', code: code.replace(/;(\s*$)/, '$1'), escape: mode === 'escaped' });
  }
}
