// The help texts: `standin --help` / `standin help` (every command and flag), and
// `standin VERB --help` / `standin help VERB` (one command and the flags it reads).
import { FLAGS, type FlagSpec } from './flags.js';

interface Command {
  name: string;
  summary: string;
  /** What follows `standin NAME` in its usage line. */
  synopsis: string;
  examples: string[];
}

export const COMMANDS: readonly Command[] = [
  {
    name: 'start',
    summary: 'starts the server (the default command)',
    synopsis: '[options...]',
    examples: ['standin start --port 3000 --allowInjection --loglevel debug', 'standin start --configfile imposters.json --pidfile test.pid'],
  },
  {
    name: 'stop',
    summary: 'stops the server whose process id is in --pidfile',
    synopsis: '[--pidfile FILE]',
    examples: ['standin stop --pidfile test.pid'],
  },
  {
    name: 'restart',
    summary: 'stops the server in --pidfile if it runs, then starts in this process',
    synopsis: '[options...]',
    examples: ['standin restart --configfile imposters.json'],
  },
  {
    name: 'save',
    summary: 'writes the running imposters, replayable, to --savefile',
    synopsis: '[--savefile FILE] [--removeProxies] [--port PORT] [--host HOST]',
    examples: ['standin save --savefile recorded.json --removeProxies'],
  },
  {
    name: 'replay',
    summary: 'switches from record mode to replay by removing proxies',
    synopsis: '[--port PORT] [--host HOST]',
    examples: ['standin replay --port 2525'],
  },
  {
    name: 'imposter',
    summary: 'serves an Imposter config directory as one imposter',
    synopsis: '[DIR] [--port PORT] [--adminPort PORT] [options...]',
    examples: ['standin imposter ./mocks', 'IMPOSTER_CONFIG_DIR=./mocks standin imposter --port 9000 --adminPort 2526'],
  },
  { name: 'help', summary: "prints this text; help COMMAND prints one command's", synopsis: '[COMMAND]', examples: ['standin help save'] },
];

/** `standin imposter` reads --port and --adminPort itself (see imposterArgs.ts). */
const IMPOSTER_PORTS: ReadonlyArray<readonly [string, string]> = [
  ['-p, --port PORT', 'the port of the Imposter server (default: IMPOSTER_PORT, else 8080)'],
  ['    --adminPort PORT', 'the port of the admin API beside it (default: 2525)'],
];

const flagRow = (flag: FlagSpec): readonly [string, string] => [
  `${flag.alias ? `-${flag.alias}, ` : '    '}--${flag.name}${flag.valueName ? ` ${flag.valueName}` : ''}`,
  `${flag.description} (default: ${flag.defaultText})`,
];

const COMMON_ROWS: ReadonlyArray<readonly [string, string]> = [
  ['    --help', "prints the usage (standin COMMAND --help: one command's)"],
  ['    --version', 'prints the version'],
];

function table(rows: ReadonlyArray<readonly [string, string]>, width: number): string[] {
  return rows.map(([names, text]) => `  ${names.padEnd(width)}${text}`);
}

/** The help text: every command and flag, or one command's when `verb` names one. */
export function usage(verb?: string): string {
  const command = COMMANDS.find((c) => c.name === verb && c.name !== 'help');
  return command ? commandUsage(command) : generalUsage();
}

function generalUsage(): string {
  const flagRows = [
    ...FLAGS.map(flagRow),
    ['    --adminPort PORT', "imposter only: the admin API's port (there --port is the Imposter server's)"] as const,
    ...COMMON_ROWS,
  ];
  const width = Math.max(...flagRows.map(([names]) => names.length), ...COMMANDS.map((c) => c.name.length + 2)) + 2;
  const lines = [
    'Usage: standin [command=start] [options...]',
    '',
    'Commands:',
    ...table(
      COMMANDS.map((c) => [c.name, c.summary] as const),
      width,
    ),
    '',
    'Options (standin COMMAND --help lists the ones a command reads):',
    ...table(flagRows, width),
    '',
    'Boolean options also accept a value: --allowInjection true|false.',
    '',
    'Examples:',
    '  standin start --port 3000 --allowInjection --loglevel debug',
    "  standin --ipWhitelist '192.168.1.20|192.168.1.21'",
    '  standin --configfile imposters.json --pidfile test.pid',
    '  standin stop --pidfile test.pid',
    '  standin save --help',
    '',
  ];
  return lines.join('\n');
}

function commandUsage(command: Command): string {
  const own = FLAGS.filter((f) => f.usedBy.includes(command.name));
  const rows =
    command.name === 'imposter'
      ? [...IMPOSTER_PORTS, ...own.filter((f) => f.name !== 'port').map(flagRow), ...COMMON_ROWS]
      : [...own.map(flagRow), ...COMMON_ROWS];
  const width = Math.max(...rows.map(([names]) => names.length)) + 2;
  const lines = [
    `Usage: standin ${command.name} ${command.synopsis}`,
    '',
    `${command.summary[0]!.toUpperCase()}${command.summary.slice(1)}.`,
    '',
    'Options:',
    ...table(rows, width),
    '',
    'Examples:',
    ...command.examples.map((e) => `  ${e}`),
    '',
  ];
  return lines.join('\n');
}
