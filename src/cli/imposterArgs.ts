// `standin imposter [DIR] [--port N] [--adminPort N] [start's flags...]`: here --port is the
// Imposter server's port (Imposter's own meaning) and --adminPort the admin API's, so both are
// taken out first and the remaining flags go through the ordinary `start` parser.
import { FLAGS, UsageError } from './flags.js';
import { parseArgs } from './parseArgs.js';
import type { StandinOptions } from '../model/options.js';

export interface ImposterArgs {
  /** Config directories from the command line (none: IMPOSTER_CONFIG_DIR). */
  dirs: string[];
  port: number | undefined;
  options: StandinOptions;
}

const VALUE_FLAGS = new Set(FLAGS.filter((f) => !f.boolean).flatMap((f) => [`--${f.name}`, ...(f.alias ? [`-${f.alias}`] : [])]));

export function parsePortValue(raw: string | undefined, written: string): number {
  const value = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new UsageError(`${written} must be an integer from 1 to 65535, got ${JSON.stringify(raw ?? '')}`);
  }
  return value;
}

export function parseImposterArgs(argv: readonly string[]): ImposterArgs {
  const rest: string[] = [];
  const dirs: string[] = [];
  let port: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    const eq = token.indexOf('=');
    const name = token.startsWith('--') && eq !== -1 ? token.slice(0, eq) : token;
    const inline = token.startsWith('--') && eq !== -1 ? token.slice(eq + 1) : undefined;
    if (name === '--port' || name === '-p') {
      port = parsePortValue(inline ?? argv[++i], name);
    } else if (name === '--adminPort' || name === '--admin-port') {
      rest.push('--port', inline ?? argv[++i] ?? '');
    } else if (token.startsWith('-')) {
      rest.push(token);
      if (inline === undefined && VALUE_FLAGS.has(token) && i + 1 < argv.length) rest.push(argv[++i]!);
    } else {
      dirs.push(...token.split(',').filter((d) => d !== ''));
    }
  }
  const parsed = parseArgs(['start', ...rest]);
  if (parsed.kind !== 'run') throw new UsageError("'standin imposter' takes a config directory and start's flags (see standin --help)");
  if (parsed.unsupportedFlags.length > 0) throw new UsageError(`${parsed.unsupportedFlags[0]} is an mb flag standin does not support yet`);
  return { dirs, port, options: parsed.options };
}
