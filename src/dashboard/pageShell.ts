// The HTML a browser gets at a dashboard page: no data of the instance, only the script that
// fetches it with the page's API key. So a page can be served before the key is known, and
// nothing a request carried is ever part of the markup.
import { escapeHtml } from './markdown.js';

/** No inline script or style, nothing from another origin: text that slipped into markup could not run. */
export const PAGE_HEADERS: Record<string, string> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-cache',
  Vary: 'Accept',
};

const NAV: Array<[string, string]> = [
  ['/', 'Home'],
  ['/imposters', 'Imposters'],
  ['/logs', 'Logs'],
  ['/docs', 'Docs'],
];

/** The top bar, the same on the script's pages and the docs. */
export function navigation(current: string): string {
  const links = NAV.map(([href, label]) => `<a href="${href}"${href === current ? ' aria-current="page"' : ''}>${label}</a>`).join('');
  return `<header class="top"><a class="brand" href="/">standin</a><nav aria-label="main">${links}</nav></header>`;
}

export function documentPage(title: string, current: string, main: string, script: boolean): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    `<title>${escapeHtml(title)} · standin</title>`,
    '<link rel="icon" href="/dashboard/favicon.svg" type="image/svg+xml">',
    '<link rel="stylesheet" href="/dashboard/app.css">',
    script ? '<script type="module" src="/dashboard/app.js"></script>' : '',
    '</head><body>',
    navigation(current),
    `<main id="main">${main}</main>`,
    '</body></html>',
  ].join('');
}

/** A page the script fills in: which one is read from the address. */
export function scriptPage(title: string, current: string): string {
  return documentPage(
    title,
    current,
    '<div id="app"><p class="muted">Loading…</p><noscript>This page needs JavaScript; the admin API answers JSON at the same address.</noscript></div>',
    true,
  );
}
