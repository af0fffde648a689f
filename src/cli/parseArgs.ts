// Turns argv into a verb and StandinOptions, the way mb (yargs) reads its command line:
// `--flag value`, `--flag=value`, `-p 2525`, `-p2525`, `-il`, `--flag true|false`, `--no-flag`,
// kebab-case spellings (`--allow-injection`). Every refusal is a UsageError with a one-line message.
import { didYouMeanSuffix } from '../model/didYouMean.js';
import { DEFAULT_OPTIONS, type StandinOptions } from '../model/options.js';
import { FLAGS, UNSUPPORTED_FLAGS, UsageError, type FlagSpec } from './flags.js';

export const VERBS = ['start', 'stop', 'restart', 'save', 'replay', 'help'] as const;
export type Verb = (typeof VERBS)[number];

export type ParsedCommand =
  | {
      kind: 'run';
      verb: Verb;
      options: StandinOptions;
      unsupportedFlags: string[];
      /** Long names of the flags given on the command line (they win over --rcfile). */
      given: Set<string>;
      /** Flags standin does not know, kept for the --formatter module (mb passes it every option). */
      formatterOptions: Record<string, string | boolean>;
    }
  /** `--help`, `help`, `VERB --help` or `help VERB`: the usage, of one verb when named. */
  | { kind: 'help'; verb?: string }
  | { kind: 'version' }
  /** The first positional argument is not a verb: mb prints `Invalid command 'x'.` and its usage. */
  | { kind: 'invalidCommand'; command: string };

interface Known {
  spec?: FlagSpec;
  unsupported?: { name: string; boolean: boolean };
}

const byName = new Map<string, Known>();
const byAlias = new Map<string, Known>();
for (const spec of FLAGS) {
  byName.set(spec.name, { spec });
  if (spec.alias) byAlias.set(spec.alias, { spec });
}
for (const flag of UNSUPPORTED_FLAGS) {
  byName.set(flag.name, { unsupported: flag });
  if (flag.alias) byAlias.set(flag.alias, { unsupported: flag });
}

const camelCase = (name: string): string => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** Every long flag a user may write, for "did you mean" hints. */
const LONG_NAMES = [...FLAGS.map((f) => `--${f.name}`), '--help', '--version'];

function unknownFlag(written: string): UsageError {
  if (written === '--adminPort' || written === '--admin-port') {
    return new UsageError(`${written} is for standin imposter; for standin start the admin API's port is --port`);
  }
  const hint = written.startsWith('--') ? didYouMeanSuffix(written, LONG_NAMES) : '';
  return new UsageError(`unknown flag ${written}${hint}; standin --help lists every flag`);
}

function lookupLong(name: string): { known: Known; negated: boolean } | undefined {
  const exact = byName.get(name) ?? byName.get(camelCase(name));
  if (exact) return { known: exact, negated: false };
  if (name.startsWith('no-')) {
    const positive = byName.get(name.slice(3)) ?? byName.get(camelCase(name.slice(3)));
    const isBoolean = positive?.spec?.boolean ?? positive?.unsupported?.boolean;
    if (positive && isBoolean) return { known: positive, negated: true };
  }
  return undefined;
}

/** `-x`/`--x`, but not a negative number, which is read as a (refused) value. */
const looksLikeFlag = (token: string | undefined): boolean => token !== undefined && token.length > 1 && token.startsWith('-') && !/^-\d/.test(token);

const isBooleanWord = (token: string | undefined): boolean => token !== undefined && /^(true|false)$/i.test(token);

export function parseArgs(argv: readonly string[]): ParsedCommand {
  const options: StandinOptions = { ...DEFAULT_OPTIONS, ipWhitelist: [...DEFAULT_OPTIONS.ipWhitelist] };
  const positionals: string[] = [];
  const unsupportedFlags: string[] = [];
  const given = new Set<string>();
  const formatterOptions: Record<string, string | boolean> = {};
  // With a custom formatter, unknown flags are its own options (mb hands it every flag).
  const hasFormatter = argv.some((token) => token === '--formatter' || token.startsWith('--formatter='));
  let help = false;
  let version = false;

  /** Applies one occurrence of a flag; returns how many following tokens it consumed. */
  const apply = (known: Known, written: string, inline: string | undefined, next: string | undefined, negated: boolean): number => {
    const isBoolean = known.spec?.boolean ?? known.unsupported?.boolean ?? false;
    let raw: string | boolean;
    let consumed = 0;
    if (negated) {
      if (inline !== undefined) throw new UsageError(`${written} takes no value`);
      raw = false;
    } else if (inline !== undefined) {
      raw = inline;
    } else if (isBoolean) {
      if (isBooleanWord(next)) {
        raw = next!;
        consumed = 1;
      } else {
        raw = true;
      }
    } else {
      if (next === undefined || looksLikeFlag(next)) {
        const hint = written === '-h' ? ' (-h is --host, as in mb; use --help for usage)' : '';
        throw new UsageError(`${written} needs a value${hint}`);
      }
      raw = next;
      consumed = 1;
    }
    if (known.spec) {
      known.spec.apply(options, raw, written);
      given.add(known.spec.name);
    } else if (known.unsupported) unsupportedFlags.push(`--${known.unsupported.name}`);
    return consumed;
  };

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    const next = argv[i + 1];

    if (token === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }

    if (token.startsWith('--')) {
      const eq = token.indexOf('=');
      const name = eq === -1 ? token.slice(2) : token.slice(2, eq);
      const inline = eq === -1 ? undefined : token.slice(eq + 1);
      if (name === 'help') {
        help = true;
        continue;
      }
      if (name === 'version') {
        version = true;
        continue;
      }
      const found = lookupLong(name);
      if (!found && hasFormatter) {
        const takesNext = inline === undefined && next !== undefined && !looksLikeFlag(next);
        formatterOptions[camelCase(name)] = inline ?? (takesNext ? next! : true);
        if (takesNext) i++;
        continue;
      }
      if (!found) throw unknownFlag(`--${name}`);
      i += apply(found.known, `--${name}`, inline, next, found.negated);
      continue;
    }

    if (looksLikeFlag(token)) {
      // A cluster of one-letter aliases: `-il`, `-p 2525`, `-p2525`, `-p=2525`.
      const letters = token.slice(1);
      for (let j = 0; j < letters.length; j++) {
        const letter = letters[j]!;
        const known = byAlias.get(letter);
        if (!known) throw unknownFlag(`-${letter}`);
        const isBoolean = known.spec?.boolean ?? known.unsupported?.boolean ?? false;
        const rest = letters.slice(j + 1);
        if (!isBoolean || rest.startsWith('=')) {
          const inline = rest === '' ? undefined : rest.replace(/^=/, '');
          i += apply(known, `-${letter}`, inline, next, false);
          break;
        }
        i += apply(known, `-${letter}`, undefined, rest === '' ? next : undefined, false);
      }
      continue;
    }

    positionals.push(token);
  }

  if (version && !help) return { kind: 'version' };

  const command = positionals[0] ?? 'start';
  if (help || command === 'help') {
    // `help VERB`, `VERB --help`, `help`, `--help`.
    const named = command === 'help' ? positionals[1] : positionals[0];
    if (named === undefined) return { kind: 'help' };
    if (named !== 'imposter' && !VERBS.some((v) => v === named)) return { kind: 'invalidCommand', command: named };
    return named === 'help' ? { kind: 'help' } : { kind: 'help', verb: named };
  }
  const verb = VERBS.find((v) => v === command);
  if (!verb) return { kind: 'invalidCommand', command };
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[1])} after '${verb}'`);
  return { kind: 'run', verb, options, unsupportedFlags, given, formatterOptions };
}
