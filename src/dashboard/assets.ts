// The dashboard's built files (`npm run build` bundles web/ into dist/dashboard/), read once and
// kept with their gzip form: every asset comes from the package, none from another server.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

export interface Asset {
  body: Buffer;
  gzipped: Buffer;
  etag: string;
  type: string;
}

const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
};

export const typeOf = (name: string): string | undefined => TYPES[name.slice(name.lastIndexOf('.') + 1)];

export class AssetFiles {
  private readonly cache = new Map<string, Asset | null>();

  constructor(private readonly dir: URL) {}

  /** The asset `name` (a bare file name), or undefined when there is none. */
  get(name: string): Asset | undefined {
    if (!/^[\w-]+\.\w+$/.test(name)) return undefined;
    let asset = this.cache.get(name);
    if (asset === undefined) {
      asset = load(new URL(name, this.dir));
      this.cache.set(name, asset);
    }
    return asset ?? undefined;
  }
}

function load(file: URL): Asset | null {
  const type = typeOf(file.pathname);
  if (!type) return null;
  try {
    const body = readFileSync(file);
    return { body, gzipped: gzipSync(body), etag: `"${createHash('sha1').update(body).digest('base64url')}"`, type };
  } catch {
    return null;
  }
}
