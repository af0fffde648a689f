// `--formatter MODULE`: mb's custom formatters, CommonJS (or ES) modules exporting
// `load(options)` (returns the imposters for --configfile) and `save(options, imposters)` (writes
// them for `save`), either possibly async. Every option is passed, the formatter's own included.
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { UsageError } from './flags.js';
import { errorMessage } from '../model/caughtError.js';
import { isPlainObject } from '../model/plainObject.js';

export interface Formatter {
  load?(options: Record<string, unknown>): unknown;
  save?(options: Record<string, unknown>, imposters: unknown): unknown;
}

/** mb's default formatter; naming it means standin's own JSON (and templating) handling. */
export const DEFAULT_FORMATTER = 'mountebank-formatters';

export const usesCustomFormatter = (name: string | undefined): name is string => name !== undefined && name !== DEFAULT_FORMATTER;

/** A path (`./fmt.js`, `/abs/fmt`) from the working directory, else a package found from it, then from standin. */
export async function loadFormatter(name: string, cwd: string = process.cwd()): Promise<Formatter> {
  let file: string;
  try {
    const isPath = name.startsWith('.') || isAbsolute(name);
    const fromCwd = createRequire(join(cwd, 'noop.js'));
    if (isPath) file = fromCwd.resolve(resolve(cwd, name));
    else {
      try {
        file = fromCwd.resolve(name);
      } catch {
        file = createRequire(import.meta.url).resolve(name);
      }
    }
  } catch {
    throw new UsageError(`cannot find --formatter ${name} (a path to a module, or an installed package)`);
  }
  let imported: unknown;
  try {
    imported = await import(pathToFileURL(file).href);
  } catch (err) {
    throw new UsageError(`cannot load --formatter ${name}: ${errorMessage(err).split('\n')[0]}`);
  }
  // A module namespace is an object.
  const module = isPlainObject(imported) ? imported : {};
  const exported = module.default;
  const formatter = isFormatter(exported) ? exported : module;
  if (!isFormatter(formatter)) throw new UsageError(`--formatter ${name} exports neither load nor save`);
  return formatter;
}

function isFormatter(value: unknown): value is Formatter {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  return ('load' in value && typeof value.load === 'function') || ('save' in value && typeof value.save === 'function');
}

/** The formatter's `load`, refused by name when it does not have one. */
export function formatterLoad(formatter: Formatter, name: string): NonNullable<Formatter['load']> {
  if (typeof formatter.load !== 'function') throw missingFunction(name, 'load');
  return formatter.load.bind(formatter);
}

/** The formatter's `save`, refused by name when it does not have one. */
export function formatterSave(formatter: Formatter, name: string): NonNullable<Formatter['save']> {
  if (typeof formatter.save !== 'function') throw missingFunction(name, 'save');
  return formatter.save.bind(formatter);
}

const missingFunction = (name: string, which: keyof Formatter): UsageError => new UsageError(`--formatter ${name} has no ${which} function`);
