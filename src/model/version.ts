import { readFileSync } from 'node:fs';
import { isPlainObject } from './plainObject.js';

// Read from package.json so `--version`, /config and the startup line agree.
const packageJson: unknown = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8'));
if (!isPlainObject(packageJson) || typeof packageJson.version !== 'string') throw new Error("standin's package.json has no version");
export const VERSION: string = packageJson.version;

/**
 * The Rift API level standin implements, reported as `options.version` by GET /config: the Rift
 * release whose admin routes and `_rift` fields Rift's SDKs call are served here (docs/rift.md
 * lists what of that release standin leaves out). Rift's SDKs compare it with their minimum
 * engine version; it is not standin's own version (the top-level `version`).
 */
export const RIFT_API_LEVEL = '0.16.0';
