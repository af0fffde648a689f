// What a browser gets from the admin port besides the REST API: pages where it asks for HTML,
// the bundled script and style, and the docs. JSON clients never reach this (see negotiate.ts).
import type { IncomingMessage } from 'node:http';
import { readFileSync } from 'node:fs';
import { AssetFiles, typeOf } from './assets.js';
import { DocsPages } from './docsPages.js';
import { prefersHtml } from './negotiate.js';
import { PAGE_HEADERS, scriptPage } from './pageShell.js';

export interface DashboardAnswer {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface Dashboard {
  /** The answer to a browser's request, or undefined when the admin API answers it. */
  answer(req: IncomingMessage, path: string): DashboardAnswer | undefined;
}

/** Where the files are, relative to this module (dist/src/dashboard/ in the build and the package). */
const PACKAGE_ROOT = new URL('../../../', import.meta.url);

const PAGES: Array<[RegExp, string, string]> = [
  [/^\/$/, 'Home', '/'],
  [/^\/imposters\/?$/, 'Imposters', '/imposters'],
  [/^\/imposters\/\d+\/?$/, 'Imposter', '/imposters'],

  [/^\/logs\/?$/, 'Logs', '/logs'],
];

export function createDashboard(root: URL = PACKAGE_ROOT): Dashboard {
  const assets = new AssetFiles(new URL('dist/dashboard/', root));
  const docs = new DocsPages(new URL('docs/', root), new URL('README.md', root));
  const page = (html: string, status = 200): DashboardAnswer => ({ status, headers: PAGE_HEADERS, body: html });

  return {
    answer(req, path) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return undefined;
      if (path.startsWith('/dashboard/')) {
        const asset = assets.get(path.slice('/dashboard/'.length));
        if (!asset) return { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'no such file' };
        if (req.headers['if-none-match'] === asset.etag) return { status: 304, headers: { ETag: asset.etag }, body: '' };
        const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
        const headers: Record<string, string> = {
          'Content-Type': asset.type,
          ETag: asset.etag,
          'Cache-Control': 'no-cache',
          'X-Content-Type-Options': 'nosniff',
          Vary: 'Accept-Encoding',
        };
        if (gzip) headers['Content-Encoding'] = 'gzip';
        return { status: 200, headers, body: gzip ? asset.gzipped : asset.body };
      }
      if (path === '/docs' || path === '/docs/') return page(docs.index().html);
      if (path.startsWith('/docs/')) {
        const name = path.slice('/docs/'.length).replace(/\.md$/, '').replace(/\/$/, '');
        const image = /^images\/([\w-]+\.png)$/.exec(name);
        if (image) return docsImage(new URL(`docs/images/${image[1]}`, root));
        const doc = docs.page(name);
        return doc ? page(doc.html) : page(docs.index().html, 404);
      }
      if (!prefersHtml(req.headers.accept)) return undefined;
      const found = PAGES.find(([pattern]) => pattern.test(path));
      return found ? page(scriptPage(found[1], found[2])) : undefined;
    },
  };
}

function docsImage(file: URL): DashboardAnswer {
  try {
    return {
      status: 200,
      headers: { 'Content-Type': typeOf(file.pathname) ?? 'application/octet-stream', 'Cache-Control': 'no-cache' },
      body: readFileSync(file),
    };
  } catch {
    return { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' }, body: 'no such image' };
  }
}
