// `npm run build` (after tsc has type-checked web/): bundles the dashboard's client into
// dist/dashboard/ (app.js, app.css, favicon.svg), minified, with nothing left to fetch elsewhere.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const here = new URL('.', import.meta.url);
const out = new URL('../dist/dashboard/', here);
mkdirSync(out, { recursive: true });
await build({
  // app.tsx and app.css become app.js and app.css.
  entryPoints: [new URL('src/app.tsx', here).pathname, new URL('src/app.css', here).pathname],
  outdir: out.pathname,
  entryNames: '[name]',
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['chrome109', 'firefox115'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(new URL('favicon.svg', here), new URL('favicon.svg', out));
if (process.env.DASHBOARD_SIZE) {
  const size = (name) => gzipSync(readFileSync(new URL(name, out))).length;
  console.log(`dashboard: app.js ${size('app.js')} B, app.css ${size('app.css')} B gzipped`);
}
