// `--configfile FILE`: read, render (EJS, unless --noParse), parse, and take `json.imposters || [json]`
// as mb does, so a file holding a single imposter object works too.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ConfigFileError } from './configFileError.js';
import { renderConfigTemplate, type ConfigRenderer } from './configTemplate.js';
import { formatterLoad, loadFormatter } from './formatter.js';
import type { ImposterSource } from '../watch/watchImposters.js';
import { errorCode, errorMessage } from '../model/caughtError.js';
import { isPlainObject } from '../model/plainObject.js';

export { ConfigFileError };

export interface ConfigFileOptions {
  /** mb's --noParse: the file is plain JSON, no template rendering. */
  noParse: boolean;
  /** Renders templates; defaults to configTemplate.ts. */
  render?: ConfigRenderer;
  /** Collects the files read: the config file and what it includes (for --watch). */
  files?: Set<string>;
}

export async function loadConfigFile(filename: string, options: ConfigFileOptions): Promise<unknown[]> {
  let text: string;
  options.files?.add(filename);
  try {
    text = await readFile(filename, 'utf8');
  } catch (err) {
    const code = errorCode(err);
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : errorMessage(err);
    throw new ConfigFileError(`cannot read config file ${filename}: ${reason}`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);

  let rendered = text;
  if (!options.noParse) {
    rendered = await (options.render ?? renderConfigTemplate)(text, filename, options.files);
  }

  let json: unknown;
  try {
    json = JSON.parse(rendered);
  } catch (err) {
    throw new ConfigFileError(`config file ${filename} is not valid JSON: ${errorMessage(err)}`);
  }
  return impostersOf(json, filename);
}

/** --configfile as a source --watch reloads: the file and every file it includes are watched. */
export function configFileSource(filename: string, load: (files: Set<string>) => Promise<unknown[]>): ImposterSource {
  return {
    name: filename,
    configDir: dirname(resolve(filename)),
    async load() {
      const files = new Set<string>([filename]);
      const imposters = await load(files);
      return { imposters, targets: { files } };
    },
  };
}

/** --configfile read by a custom --formatter's `load`, given every option (mb's api.loadConfig). */
export async function loadConfigWithFormatter(filename: string, formatterName: string, options: Record<string, unknown>): Promise<unknown[]> {
  let json: unknown;
  try {
    const load = formatterLoad(await loadFormatter(formatterName), formatterName);
    json = await load(options);
  } catch (err) {
    throw new ConfigFileError(`--formatter ${formatterName} could not load ${filename}: ${errorMessage(err)}`);
  }
  return impostersOf(json, filename);
}

/** `{"imposters":[...]}` or one imposter object, as mb's `json.imposters || [json]`. */
export function impostersOf(json: unknown, filename: string): unknown[] {
  if (!isPlainObject(json)) {
    throw new ConfigFileError(`config file ${filename} must hold a JSON object: {"imposters": [...]} or a single imposter`);
  }
  const imposters = json.imposters;
  if (imposters === undefined || imposters === null || imposters === false || imposters === '' || imposters === 0) {
    return [json];
  }
  if (!Array.isArray(imposters)) {
    throw new ConfigFileError(`config file ${filename}: 'imposters' must be an array`);
  }
  return imposters;
}
