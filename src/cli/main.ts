// The `standin` executable: mountebank's `mb` verbs and flags. bin/standin.js calls main(argv).
// main never rejects and never calls process.exit: it sets process.exitCode and lets output drain.
import { UsageError } from './flags.js';
import { parseArgs } from './parseArgs.js';
import { applyRcfile } from './rcfile.js';
import { replay, save } from './saveReplay.js';
import { stop } from './stop.js';
import { usage } from './usage.js';
import { errorStack } from '../model/caughtError.js';
import { VERSION } from '../model/version.js';

export async function main(argv: string[]): Promise<void> {
  try {
    const code = await run(argv);
    if (code !== undefined) process.exitCode = code;
  } catch (err) {
    const message = err instanceof UsageError ? err.message : `unexpected error: ${errorStack(err)}`;
    process.stderr.write(`standin: ${message}\n`);
    process.exitCode = 1;
  }
}

/** The exit code, or undefined while a started server keeps the process alive. */
async function run(argv: string[]): Promise<number | undefined> {
  // `standin imposter` reads its own flags: there --port is the Imposter server's, --adminPort the admin API's.
  if (argv[0] === 'imposter' && !argv.includes('--help')) return (await import('./imposterVerb.js')).runImposter(argv.slice(1));
  const parsed = parseArgs(argv);
  switch (parsed.kind) {
    case 'help':
      process.stdout.write(usage(parsed.verb));
      return 0;
    case 'version':
      process.stdout.write(`${VERSION}\n`);
      return 0;
    case 'invalidCommand':
      process.stderr.write(`Invalid command '${parsed.command}'.\n\n${usage()}`);
      return 1;
  }

  const { verb, options, unsupportedFlags, given, formatterOptions } = parsed;
  if (unsupportedFlags.length > 0) {
    throw new UsageError(`${unsupportedFlags[0]} is an mb flag standin does not support yet`);
  }
  if (options.rcfile !== undefined) applyRcfile(options.rcfile, options, given, formatterOptions);

  switch (verb) {
    case 'stop':
      return stop({ pidfile: options.pidfile });
    case 'save':
      return save(options, formatterOptions);
    case 'replay':
      return replay(options);
    case 'restart': {
      const stopped = await stop({ pidfile: options.pidfile });
      if (stopped !== 0) return stopped;
      return (await import('./start.js')).start(options, formatterOptions);
    }
    case 'start':
      // Loaded on demand: stop, help and --version need none of the server.
      return (await import('./start.js')).start(options, formatterOptions);
    default:
      throw new UsageError(`'${verb}' is not a command standin can run`);
  }
}
