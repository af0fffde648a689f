import { readFileSync } from 'node:fs';

// Read from package.json so `--version`, /config and the startup line agree.
const packageJson = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
export const VERSION: string = packageJson.version;
