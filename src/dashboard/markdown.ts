// A small Markdown renderer for the pages of docs/: headings, paragraphs, lists, block quotes,
// tables, fenced code, inline code, emphasis, links and images. Every piece of text is escaped and
// no raw HTML passes through; links to other pages of docs/ (`x.md#a`) become `/docs/x#a`.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** A heading's anchor, as GitHub makes it: lower case, punctuation dropped, spaces to hyphens. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

/** Only relative links, anchors and http(s)/mailto: never `javascript:` or `data:`. */
function safeHref(href: string): string | undefined {
  const trimmed = href.trim();
  if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !/^(https?|mailto):/i.test(trimmed)) return undefined;
  // Pages of docs/ and the README link to each other by file name.
  const local = /^(?:\.\/)?(?:docs\/)?([\w-]+)\.md(#.*)?$/.exec(trimmed);
  if (local) return `/docs/${local[1]}${local[2] ?? ''}`;
  const readme = /^(?:\.\.\/)?README\.md(#.*)?$/.exec(trimmed);
  if (readme) return `/docs/README${readme[1] ?? ''}`;
  return trimmed;
}

/** Inline markup: code spans first (their content is literal), then images, links and emphasis. */
function inline(text: string): string {
  const out: string[] = [];
  const pattern = /(`+)([\s\S]*?[^`])\1(?!`)|!\[([^\]]*)\]\(([^)\s]+)\)|\[([^\]]+)\]\(([^)\s]+)\)|<(https?:\/\/[^>\s]+)>/g;
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    out.push(emphasis(escapeHtml(text.slice(last, m.index))));
    last = m.index + m[0].length;
    if (m[1] !== undefined) {
      out.push(`<code>${escapeHtml(m[2]!.replace(/^ (.*) $/, '$1'))}</code>`);
    } else if (m[4] !== undefined) {
      const src = safeHref(m[4]);
      out.push(src === undefined ? escapeHtml(m[3]!) : `<img src="${escapeHtml(src)}" alt="${escapeHtml(m[3]!)}">`);
    } else if (m[6] !== undefined) {
      const href = safeHref(m[6]);
      out.push(href === undefined ? inline(m[5]!) : `<a href="${escapeHtml(href)}">${inline(m[5]!)}</a>`);
    } else {
      out.push(`<a href="${escapeHtml(m[7]!)}">${escapeHtml(m[7]!)}</a>`);
    }
  }
  out.push(emphasis(escapeHtml(text.slice(last))));
  return out.join('');
}

/** **strong** and *em* / _em_ on text that is already escaped. */
function emphasis(escaped: string): string {
  return escaped
    .replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[^\w*])\*(?=\S)([^*]*?\S)\*(?![\w*])/g, '$1<em>$2</em>')
    .replace(/(^|[^\w])_(?=\S)([^_]*?\S)_(?!\w)/g, '$1<em>$2</em>');
}

const splitRow = (line: string): string[] =>
  line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim().replace(/\\\|/g, '|'));

const LIST_ITEM = /^(\s*)([-*+]|\d+[.)])\s+(.*)$/;

function renderList(lines: string[]): string {
  const first = LIST_ITEM.exec(lines[0]!)!;
  const indent = first[1]!.length;
  const ordered = /\d/.test(first[2]!);
  const items: string[][] = [];
  for (const line of lines) {
    const m = LIST_ITEM.exec(line);
    if (m && m[1]!.length === indent) items.push([m[3]!]);
    else items[items.length - 1]!.push(line.slice(Math.min(indent + 2, line.length - line.trimStart().length)));
  }
  const body = items.map((item) => {
    const nested = item.findIndex((l, i) => i > 0 && LIST_ITEM.test(l));
    const text = (nested === -1 ? item : item.slice(0, nested)).map((l) => l.trim()).join(' ');
    const sub = nested === -1 ? '' : renderList(item.slice(nested).filter((l) => l.trim() !== ''));
    return `<li>${inline(text)}${sub}</li>`;
  });
  return ordered ? `<ol>${body.join('')}</ol>` : `<ul>${body.join('')}</ul>`;
}

/** The page's HTML and its title (the first heading). */
export function renderMarkdown(source: string): { html: string; title: string | undefined } {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  let title: string | undefined;
  let i = 0;
  const isBlank = (line: string | undefined) => line === undefined || line.trim() === '';
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i++;
      continue;
    }
    const fence = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/.exec(line);
    if (fence) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !lines[i]!.trim().startsWith(fence[2]!)) body.push(lines[i++]!);
      i++;
      const lang = fence[3] ? ` class="language-${escapeHtml(fence[3])}"` : '';
      out.push(`<pre><code${lang}>${escapeHtml(body.join('\n'))}</code></pre>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const level = heading[1]!.length;
      title ??= heading[2]!.replace(/[`*]/g, '');
      out.push(`<h${level} id="${escapeHtml(slug(heading[2]!))}">${inline(heading[2]!)}</h${level}>`);
      i++;
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      out.push('<hr>');
      i++;
      continue;
    }
    if (line.trimStart().startsWith('|') && /^\s*\|?[\s:|-]+\|[\s:|-]*$/.test(lines[i + 1] ?? '')) {
      const head = splitRow(line);
      const align = splitRow(lines[i + 1]!).map((c) => (c.endsWith(':') ? (c.startsWith(':') ? 'center' : 'right') : ''));
      const cell = (tag: string, text: string, n: number) => `<${tag}${align[n] ? ` class="align-${align[n]}"` : ''}>${inline(text)}</${tag}>`;
      const rows: string[] = [];
      i += 2;
      while (i < lines.length && lines[i]!.trimStart().startsWith('|')) {
        rows.push(
          `<tr>${splitRow(lines[i]!)
            .map((c, n) => cell('td', c, n))
            .join('')}</tr>`,
        );
        i++;
      }
      out.push(
        `<div class="table"><table><thead><tr>${head.map((c, n) => cell('th', c, n)).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`,
      );
      continue;
    }
    if (line.trimStart().startsWith('>')) {
      const quoted: string[] = [];
      while (i < lines.length && lines[i]!.trimStart().startsWith('>')) quoted.push(lines[i++]!.trimStart().replace(/^> ?/, ''));
      out.push(`<blockquote>${renderMarkdown(quoted.join('\n')).html}</blockquote>`);
      continue;
    }
    if (LIST_ITEM.test(line)) {
      const items: string[] = [];
      // A blank line ends the list unless an item of the same kind (bulleted or numbered) follows.
      const ordered = /^\s*\d/.test(line);
      const sameKind = (next: string | undefined) => next !== undefined && LIST_ITEM.test(next) && /^\s*\d/.test(next) === ordered;
      while (
        i < lines.length &&
        (LIST_ITEM.test(lines[i]!) || (/^\s+\S/.test(lines[i]!) && items.length > 0) || (isBlank(lines[i]) && sameKind(lines[i + 1])))
      ) {
        if (!isBlank(lines[i])) items.push(lines[i]!);
        i++;
      }
      out.push(renderList(items));
      continue;
    }
    // The first line always belongs to the paragraph (a `|` line that starts no table, say).
    const paragraph: string[] = [lines[i++]!.trim()];
    while (i < lines.length && !isBlank(lines[i]) && !/^(#{1,6}\s|\s*(`{3,}|~{3,})|\s*>|\s*\|)/.test(lines[i]!) && !LIST_ITEM.test(lines[i]!)) {
      paragraph.push(lines[i++]!.trim());
    }
    out.push(`<p>${inline(paragraph.join('\n'))}</p>`);
  }
  return { html: out.join('\n'), title };
}
