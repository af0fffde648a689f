// /docs and /docs/<page>: the Markdown pages shipped in the package's docs/, rendered once each.
import { readdirSync, readFileSync } from 'node:fs';
import { documentPage } from './pageShell.js';
import { escapeHtml, renderMarkdown } from './markdown.js';

export interface RenderedPage {
  title: string;
  html: string;
}

export class DocsPages {
  private readonly rendered = new Map<string, RenderedPage | null>();

  /** `docs` is the package's docs/ folder; `readme` its README.md. */
  constructor(
    private readonly docs: URL,
    private readonly readme: URL,
  ) {}

  /** The page for `/docs/<name>` (`README` is the package's README), or undefined. */
  page(name: string): RenderedPage | undefined {
    if (!/^[\w-]+$/.test(name)) return undefined;
    let page = this.rendered.get(name);
    if (page === undefined) {
      page = this.render(name);
      this.rendered.set(name, page);
    }
    return page ?? undefined;
  }

  /** /docs: every page with its title. */
  index(): RenderedPage {
    const names = this.names();
    const items = names
      .map((name) => ({ name, title: this.page(name)?.title ?? name }))
      .map(({ name, title }) => `<li><a href="/docs/${name}">${escapeHtml(title)}</a></li>`)
      .join('');
    return {
      title: 'Docs',
      html: documentPage('Docs', '/docs', `<article class="doc"><h1>Docs</h1><ul>${items}</ul></article>`, false),
    };
  }

  private names(): string[] {
    const pages = readdirSync(this.docs)
      .filter((file) => file.endsWith('.md'))
      .map((file) => file.slice(0, -3))
      .sort();
    return ['README', ...pages];
  }

  private render(name: string): RenderedPage | null {
    let source: string;
    try {
      source = readFileSync(name === 'README' ? this.readme : new URL(`${name}.md`, this.docs), 'utf8');
    } catch {
      return null;
    }
    const { html, title = name } = renderMarkdown(source);
    return { title, html: documentPage(title, '/docs', `<article class="doc">${html}</article>`, false) };
  }
}
