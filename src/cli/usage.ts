// The help text, printed by `standin help`, `standin --help` and after `Invalid command`.
import { FLAGS } from './flags.js';

const COMMANDS: ReadonlyArray<[string, string]> = [
  ['start', 'starts the server (the default command)'],
  ['stop', 'stops the server whose process id is in --pidfile'],
  ['restart', 'stops the server in --pidfile if it runs, then starts in this process'],
  ['save', 'writes the running imposters, replayable, to --savefile'],
  ['replay', 'switches from record mode to replay by removing proxies'],
  ['imposter', 'serves an Imposter config directory: standin imposter DIR [--port 8080] [--adminPort 2525]'],
  ['help', 'prints this text'],
];

export function usage(): string {
  const flagRows = FLAGS.map((flag) => {
    const names = `${flag.alias ? `-${flag.alias}, ` : '    '}--${flag.name}${flag.valueName ? ` ${flag.valueName}` : ''}`;
    return [names, `${flag.description} (default: ${flag.defaultText})`] as const;
  });
  const width = Math.max(...flagRows.map(([names]) => names.length), ...COMMANDS.map(([c]) => c.length + 2)) + 2;
  const lines = [
    'Usage: standin [command=start] [options...]',
    '',
    'Commands:',
    ...COMMANDS.map(([name, text]) => `  ${name.padEnd(width)}${text}`),
    '',
    'Options:',
    ...flagRows.map(([names, text]) => `  ${names.padEnd(width)}${text}`),
    `  ${'    --help'.padEnd(width)}prints this text`,
    `  ${'    --version'.padEnd(width)}prints the version`,
    '',
    'Boolean options also accept a value: --allowInjection true|false.',
    '',
    'Examples:',
    '  standin start --port 3000 --allowInjection --loglevel debug',
    "  standin --ipWhitelist '192.168.1.20|192.168.1.21'",
    '  standin --configfile imposters.json --pidfile test.pid',
    '  standin stop --pidfile test.pid',
    '',
  ];
  return lines.join('\n');
}
