// Finds and parses the config files of one or more directories: every `*-config.yaml|yml|json`
// (subdirectories too with IMPOSTER_CONFIG_SCAN_RECURSIVE=true), env placeholders substituted over
// the raw text, each `---` document kept as its own config, in lexical order (imposter-go walks
// directories the same way, and skips .git, .idea, .svn and node_modules).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { lazyModule } from '../model/lazyModule.js';
import { isPlainObject } from '../model/plainObject.js';
import { ImposterConfigError, type LoadedDocument } from './configModel.js';
import { substituteEnv } from './envSubstitution.js';
import { errorMessage } from '../model/caughtError.js';

// Loaded when the first config file is parsed, not at startup (yaml takes ~95 ms to import).
const yaml = lazyModule<typeof import('yaml')>('yaml');

const CONFIG_FILE = /-config\.(ya?ml|json)$/;

const SKIPPED_DIRS = new Set(['.git', '.idea', '.svn', 'node_modules']);

export function loadConfigDirs(dirs: readonly string[], env: NodeJS.ProcessEnv): LoadedDocument[] {
  const recursive = (env.IMPOSTER_CONFIG_SCAN_RECURSIVE ?? '').toLowerCase() === 'true';
  const documents: LoadedDocument[] = [];
  for (const dir of dirs) {
    try {
      if (!statSync(dir).isDirectory()) throw new ImposterConfigError(`${dir} is not a directory`);
    } catch (err) {
      if (err instanceof ImposterConfigError) throw err;
      throw new ImposterConfigError(`cannot read config directory ${dir}: ${errorMessage(err)}`);
    }
    for (const file of configFiles(dir, recursive)) documents.push(...loadConfigFile(file.path, file.dir, env));
  }
  if (documents.length === 0) {
    throw new ImposterConfigError(`no Imposter config files (*-config.yaml, *-config.yml, *-config.json) in ${dirs.join(', ')}`);
  }
  return documents;
}

function configFiles(dir: string, recursive: boolean): { path: string; dir: string }[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: { path: string; dir: string }[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (recursive && !SKIPPED_DIRS.has(entry.name)) files.push(...configFiles(path, true));
    } else if (CONFIG_FILE.test(entry.name)) {
      files.push({ path, dir });
    }
  }
  return files;
}

function loadConfigFile(file: string, dir: string, env: NodeJS.ProcessEnv): LoadedDocument[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ImposterConfigError(`cannot read ${file}: ${errorMessage(err)}`);
  }
  const parsed = yaml().parseAllDocuments(substituteEnv(text, env));
  const documents = Array.isArray(parsed) ? parsed : [parsed];
  const loaded: LoadedDocument[] = [];
  for (const document of documents) {
    const error = document.errors[0];
    if (error) throw new ImposterConfigError(`${file}: not valid YAML or JSON: ${error.message.split('\n')[0]}`);
    const config: unknown = document.toJS();
    if (config === null || config === undefined) continue;
    if (!isPlainObject(config)) throw new ImposterConfigError(`${file}: a config must be a mapping of keys, such as "plugin: rest"`);
    loaded.push({ file, dir, config });
  }
  return loaded;
}
