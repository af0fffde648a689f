// Preloaded (`--import`) into a standin under test to see which npm packages it has loaded. A
// module hook (packageLoadHooks.ts) reports every module the ESM loader loads; require.cache holds
// what CommonJS loaded (createRequire included). On SIGUSR2 the package names so far are written,
// as a JSON array, to the file $STANDIN_PACKAGE_LOADS.
import { writeFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const loadedUrls = new Set<string>();
const { port1, port2 } = new MessageChannel();
port1.on('message', (url: string) => loadedUrls.add(url));
port1.unref();
register('./packageLoadHooks.js', import.meta.url, { data: { port: port2 }, transferList: [port2] });

const requireCache = createRequire(import.meta.url).cache;

/** `node_modules/@scope/name/...` or `node_modules/name/...` (the innermost): the package name. */
function packageOf(path: string): string | undefined {
  const names = [...path.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)];
  return names.at(-1)?.[1];
}

process.on('SIGUSR2', () => {
  const packages = new Set<string>();
  for (const path of [...loadedUrls, ...Object.keys(requireCache)]) {
    const name = packageOf(path);
    if (name !== undefined) packages.add(name);
  }
  writeFileSync(process.env.STANDIN_PACKAGE_LOADS!, JSON.stringify([...packages].sort()));
});
