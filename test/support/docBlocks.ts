// The fenced code blocks of a Markdown page, with what the docs test needs to know about each:
// its language, its text, where it is, and whether the page marks it as not run (and why).
// The convention itself is described at the top of test/docs/docExamples.test.ts.

export interface DocBlock {
  /** The page, relative to the repository root (README.md, docs/cli.md). */
  page: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** First word of the info string (`sh`, `json`, `text`...), '' when none. */
  lang: string;
  text: string;
  /** The reason given by a `*Not runnable: ...*` line just above the block, if any. */
  notRunReason?: string;
}

/** Languages the docs test runs: shell examples and JSON examples. */
export const SHELL_LANGS = new Set(['sh', 'bash', 'shell']);
export const JSON_LANGS = new Set(['json']);
/** Languages that show something other than an example to run: output, file contents, code of standin itself. */
export const SHOWN_LANGS = new Set(['text', 'yaml', 'yml', 'ts', 'js', 'javascript', 'typescript', 'csv', 'xml', 'lua', 'rhai', 'ejs', 'http']);

/**
 * The marker, on the last non-blank line before the fence, in italics so a reader sees it:
 * `*Not runnable: the shape of an answer, not something to send.*`
 * `*Not run by the docs test: it installs standin.*`
 */
export const NOT_RUN_MARKER = /^[*_](Not runnable|Not run by the docs test): (.+?)[*_]$/;

export function docBlocks(page: string, markdown: string): DocBlock[] {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.trim().startsWith(fence!)) {
      body.push(lines[j]!.startsWith(indent!) ? lines[j]!.slice(indent!.length) : lines[j]!);
      j++;
    }
    let k = i - 1;
    while (k >= 0 && lines[k]!.trim() === '') k--;
    const marker = k >= 0 ? NOT_RUN_MARKER.exec(lines[k]!.trim()) : null;
    blocks.push({ page, line: i + 1, lang: lang!.toLowerCase(), text: body.join('\n'), notRunReason: marker?.[2] });
    i = j;
  }
  return blocks;
}
