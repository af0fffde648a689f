// Dependencies most runs never use (Redis, Lua, SMTP, YAML, proxying...) cost startup time when
// imported eagerly; a lazy module is required on its first use instead, and kept. Synchronous
// (CommonJS require), so it also serves the synchronous compile paths.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** `lazyModule<typeof import('pkg')>('pkg')`: a function that loads the package on first call. */
export function lazyModule<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
