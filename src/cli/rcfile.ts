// `--rcfile FILE`: options from a JSON object (`{"port": 3000, "allowInjection": true}`), as mb's
// "run commands" file. Options given on the command line win over the file's.
import { existsSync, readFileSync } from 'node:fs';
import type { StandinOptions } from '../model/options.js';
import { FLAGS, UNSUPPORTED_FLAGS, UsageError } from './flags.js';
import { isPlainObject } from '../model/plainObject.js';

const warn = (message: string): void => {
  process.stderr.write(`${message}\n`);
};

const camelCase = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

export function applyRcfile(path: string, options: StandinOptions, given: ReadonlySet<string>, formatterOptions: Record<string, unknown>): void {
  // A missing or unreadable rcfile is not fatal in mb: it warns (these lines) and starts without it.
  if (!existsSync(path)) {
    warn(`Cannot find rcfile ${path}; starting without it`);
    return;
  }
  let rc: unknown;
  try {
    rc = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    warn(`Cannot parse rcfile ${path}: ${String(err)}; starting without it`);
    return;
  }
  if (!isPlainObject(rc)) {
    warn(`Cannot use rcfile ${path}: it must hold a JSON object of options, such as {"port": 3000}; starting without it`);
    return;
  }

  for (const [key, value] of Object.entries(rc)) {
    const name = camelCase(key);
    if (name === 'rcfile' || given.has(name)) continue;
    const written = `--rcfile ${path}: "${key}"`;
    const spec = FLAGS.find((flag) => flag.name === name);
    if (!spec) {
      if (UNSUPPORTED_FLAGS.some((flag) => flag.name === name)) {
        throw new UsageError(`${written} is an mb option standin does not support yet`);
      }
      // A custom formatter may define its own options; without one, a typo should not pass silently.
      if (options.formatter !== undefined) {
        formatterOptions[name] = value;
        continue;
      }
      throw new UsageError(`${written} is not a standin option (see standin --help)`);
    }
    spec.apply(options, rawValue(value, spec.boolean, written), written);
  }
}

/** The JSON value as the command line would have given it. */
function rawValue(value: unknown, isBoolean: boolean, written: string): string | boolean {
  if (typeof value === 'boolean') {
    if (!isBoolean) throw new UsageError(`${written} needs a value, got ${String(value)}`);
    return value;
  }
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string') return value;
  // mb's ipWhitelist is an array once parsed; accept it in that shape too.
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join('|');
  throw new UsageError(`${written} must be a string, a number or true/false, got ${JSON.stringify(value)}`);
}
