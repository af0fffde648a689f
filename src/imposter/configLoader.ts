// Finds and parses the config files of one or more directories: every `*-config.yaml|yml|json`
// (not recursive), env placeholders substituted over the raw text, each `---` document kept as
// its own config, in lexical file order (imposter-go walks directories the same way).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { isPlainObject } from '../model/types.js';
import { ImposterConfigError, type ImposterConfigDocument, type LoadedDocument } from './configModel.js';
import { substituteEnv } from './envSubstitution.js';

const CONFIG_FILE = /-config\.(ya?ml|json)$/;

export function loadConfigDirs(dirs: readonly string[], env: NodeJS.ProcessEnv): LoadedDocument[] {
  const documents: LoadedDocument[] = [];
  for (const dir of dirs) {
    let names: string[];
    try {
      if (!statSync(dir).isDirectory()) throw new ImposterConfigError(`${dir} is not a directory`);
      names = readdirSync(dir).filter((name) => CONFIG_FILE.test(name)).sort();
    } catch (err) {
      if (err instanceof ImposterConfigError) throw err;
      throw new ImposterConfigError(`cannot read config directory ${dir}: ${(err as Error).message}`);
    }
    for (const name of names) documents.push(...loadConfigFile(join(dir, name), dir, env));
  }
  if (documents.length === 0) {
    throw new ImposterConfigError(`no Imposter config files (*-config.yaml, *-config.yml, *-config.json) in ${dirs.join(', ')}`);
  }
  return documents;
}

function loadConfigFile(file: string, dir: string, env: NodeJS.ProcessEnv): LoadedDocument[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ImposterConfigError(`cannot read ${file}: ${(err as Error).message}`);
  }
  const parsed = parseAllDocuments(substituteEnv(text, env));
  const documents = Array.isArray(parsed) ? parsed : [parsed];
  const loaded: LoadedDocument[] = [];
  for (const document of documents) {
    const error = document.errors[0];
    if (error) throw new ImposterConfigError(`${file}: not valid YAML or JSON: ${error.message.split('\n')[0]}`);
    const config: unknown = document.toJS();
    if (config === null || config === undefined) continue;
    if (!isPlainObject(config)) throw new ImposterConfigError(`${file}: a config must be a mapping of keys, such as "plugin: rest"`);
    loaded.push({ file, dir, config: config as ImposterConfigDocument });
  }
  return loaded;
}
