// `system.stores.<name>.preloadData` (inline mapping) and `.preloadFile` (a JSON object file,
// relative to the config file) loaded into the stores at startup.
import { readFileSync } from 'node:fs';
import { isPlainObject } from '../model/plainObject.js';
import { fileInsideDir } from './configDirFile.js';
import { ImposterConfigError, type LoadedDocument } from './configModel.js';
import type { NamedStores } from '../contracts/index.js';
import { errorMessage } from '../model/caughtError.js';

export function preloadStores(documents: readonly LoadedDocument[], stores: NamedStores): void {
  for (const document of documents) {
    const system = document.config.system;
    const configured = isPlainObject(system) ? system.stores : undefined;
    if (!isPlainObject(configured)) continue;
    for (const [name, preload] of Object.entries(configured)) {
      if (!isPlainObject(preload)) continue;
      const where = `${document.file}: system.stores.${name}`;
      let data: unknown = preload.preloadData;
      if (typeof preload.preloadFile === 'string') {
        const file = fileInsideDir(document.dir, preload.preloadFile, `${where}: preloadFile`);
        try {
          data = JSON.parse(readFileSync(file, 'utf8'));
        } catch (err) {
          throw new ImposterConfigError(`${where}: cannot load preloadFile ${preload.preloadFile}: ${errorMessage(err)}`);
        }
      }
      if (data === undefined) continue;
      if (!isPlainObject(data)) throw new ImposterConfigError(`${where}: preload data must be a mapping of item names to values`);
      const store = stores.open(name);
      for (const [key, value] of Object.entries(data)) store.set(key, value);
    }
  }
}
