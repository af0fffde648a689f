// Rendering of --configfile as EJS, as mountebank's default formatter does: the file may split
// its imposters over other files with `include`, and embed multi-line files (injection functions,
// XML or JSON bodies) as JSON string content with `stringify(filename, 'path', data)` (alias
// `inject`). mountebank renders with EJS 2, whose `<% include file.json %>` directive EJS 3
// dropped; it is rewritten to `include('file.json')` so existing config files keep loading.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type ejs from 'ejs';
import { lazyModule } from '../model/lazyModule.js';
import { ConfigFileError } from './configFileError.js';
import { errorCode, errorMessage } from '../model/caughtError.js';

// Loaded when a --configfile is rendered, not at startup (ejs takes ~35 ms to import).
const lazyEjs = lazyModule<typeof ejs>('ejs');

/** Renders the text of `filename` into JSON text, adding every file it includes to `files`. */
export type ConfigRenderer = (text: string, filename: string, files?: Set<string>) => string | Promise<string>;

export const renderConfigTemplate: ConfigRenderer = (text, filename, files) => {
  const { render } = lazyEjs();
  const readIncluded = (path: string, what: string): string => {
    files?.add(path);
    return readFileText(path, what);
  };
  /** EJS resolved the path against the including file (undefined when no such file exists). */
  const includer = (original: string, resolved: string | undefined): { template: string } => {
    if (!resolved) throw new Error(`include('${original}'): no such file`);
    return { template: withCallIncludes(readIncluded(resolved, `include('${original}')`)) };
  };
  const options: ejs.Options & { async: false } = { filename, includer, async: false };
  /**
   * mountebank's signature; paths are relative to the config file (not to the file that calls
   * stringify). `stringify('path')` and `stringify('path', data)` work too.
   */
  const stringify = (file: unknown, includeFile?: unknown, data?: unknown): string => {
    if (typeof includeFile === 'object' && includeFile !== null && data === undefined) [includeFile, data] = [undefined, includeFile];
    const relative = String(includeFile ? includeFile : file);
    const path = join(dirname(filename), relative);
    const contents = readIncluded(path, `stringify('${relative}')`);
    const rendered = render(withCallIncludes(contents), { data, filename, stringify, inject: stringify }, options);
    // The surrounding quotes are the template's own: `"body": "<%- stringify(filename, 'b.xml') %>"`.
    return JSON.stringify(rendered.trim()).slice(1, -1);
  };
  try {
    return render(withCallIncludes(text), { filename, stringify, inject: stringify }, options);
  } catch (err) {
    throw new ConfigFileError(`cannot render config file ${filename} as EJS: ${errorMessage(err)}${hint(err)}`);
  }
};

function readFileText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  } catch (err) {
    const code = errorCode(err);
    throw new Error(`${what}: ${code === 'ENOENT' ? `no such file ${path}` : errorMessage(err)}`, { cause: err });
  }
}

// `<% include path %>`, `<%- include path -%>`: EJS 2's directive, a bare path after `include`.
const LEGACY_INCLUDE = /<%[-_]?\s*include\s+([^\s%('"`][^\s%]*?)\s*([-_]?%>)/g;

function withCallIncludes(text: string): string {
  return text.replace(LEGACY_INCLUDE, (_, path: string, close: string) => `<%- include(${JSON.stringify(path)}) ${close}`);
}

/** The one mistake worth a hint: a response template, meant for each request, met the file's rendering. */
function hint(err: unknown): string {
  if (!(err instanceof ReferenceError) || !/\brequest is not defined/.test(err.message)) return '';
  return (
    '\nThe config file is rendered as EJS once, when it is loaded; a response template meant for each request must be ' +
    'written <%%- request.path %> in it (EJS turns <%% into <%), or load the file with --noParse.'
  );
}
