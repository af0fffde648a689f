// `standin start`: listen, load --configfile, then write the pidfile (the readiness signal mb's
// tooling waits for). SIGTERM/SIGINT close everything, remove our pidfile and say goodbye.
import { Logger, type ConsoleStyle, type Log } from '../logging/logger.js';
import { StandinError, ValidationFailure } from '../model/errors.js';
import type { StandinOptions } from '../model/options.js';
import { startStandin, type RunningStandin } from '../server/standin.js';
import { DatadirError } from '../persistence/datadirRepository.js';
import { ScaleError } from '../scale/refuse.js';
import { ProtofileError } from '../protocols/custom/protofile.js';
import { ConfigFileError, configFileSource, loadConfigFile, loadConfigWithFormatter } from './configFile.js';
import type { ImposterSource } from '../watch/watchImposters.js';
import type { NamedStores } from '../contracts/index.js';
import type { WatchTargets } from '../watch/fileWatcher.js';
import { usesCustomFormatter } from './formatter.js';
import { removePidfileIfOwned, writePidfile } from './pidfile.js';
import { logStrayErrors } from './strayErrors.js';
import { errorCode } from '../model/caughtError.js';
import { isPlainObject } from '../model/plainObject.js';

/** How long shutdown waits for the server to close before leaving anyway. */
const CLOSE_TIMEOUT_MS = 5_000;

const fail = (message: string): number => {
  process.stderr.write(`standin: ${message}\n`);
  return 1;
};

/** Imposters another front door prepared (`standin imposter`), loaded instead of --configfile. */
export interface PreparedImposters {
  imposters: unknown[];
  /** Where they came from, for error messages. */
  source: string;
  /** With --watch: how to read them again when their files change, and what to watch. */
  watch?: { source: ImposterSource; targets: WatchTargets };
  consoleStyle?: ConsoleStyle;
  /** Imposter's stores, already preloaded, for the instance to use. */
  stores?: NamedStores;
  /** Called once the logger exists, before the imposters load. */
  withLogger?(logger: Logger): void;
}

/**
 * Returns an exit code when start failed (everything it opened is closed again, no pidfile),
 * or undefined when the server is up: the process then lives until a signal arrives.
 */
export async function start(
  options: StandinOptions,
  formatterOptions: Record<string, unknown> = {},
  prepared?: PreparedImposters,
): Promise<number | undefined> {
  // Read the config file first: a missing or malformed file should not cost a server start.
  let imposters: unknown[] | undefined = prepared?.imposters;
  let watched = prepared?.watch;
  let reloadable: { source: ImposterSource; targets: WatchTargets } | undefined;
  const source = prepared?.source ?? options.configfile;
  if (prepared === undefined && options.configfile !== undefined) {
    const configfile = options.configfile;
    const load = (files?: Set<string>): Promise<unknown[]> =>
      usesCustomFormatter(options.formatter)
        ? loadConfigWithFormatter(configfile, options.formatter, { ...options, ...formatterOptions })
        : loadConfigFile(configfile, { noParse: options.noParse, files });
    try {
      // Read through the file source also without --watch: POST /admin/reload reads it again.
      const fileSource = configFileSource(configfile, load);
      const loaded = await fileSource.load();
      imposters = loaded.imposters;
      if (options.watch) watched = { source: fileSource, targets: loaded.targets };
      else reloadable = { source: fileSource, targets: loaded.targets };
    } catch (err) {
      return fail(err instanceof ConfigFileError ? err.message : `cannot load config file ${options.configfile}: ${reason(err)}`);
    }
  } else if (prepared === undefined && options.watch) {
    return fail('--watch reloads --configfile FILE when it changes: give one (or run standin imposter DIR --watch)');
  }

  if (prepared !== undefined && options.workers !== undefined) {
    return fail('--workers serves the imposters of standin start; standin imposter keeps its stores in one process, so run it without --workers');
  }

  const logger = new Logger({
    level: options.loglevel,
    logfile: options.nologfile ? null : options.logfile,
    console: true,
    consoleStyle: prepared?.consoleStyle,
  });
  prepared?.withLogger?.(logger);

  let running: RunningStandin;
  try {
    // Imposter's own log lines go to the unscoped logger, so they read as Imposter prints them.
    running = await startStandin(options, logger, {
      stores: prepared?.stores,
      imposterLog: prepared?.consoleStyle === 'imposter' ? logger : undefined,
    });
  } catch (err) {
    await logger.close();
    if (err instanceof DatadirError || err instanceof ProtofileError || err instanceof ScaleError) return fail(err.message);
    const where = `${options.host ?? 'all interfaces'}:${options.port}`;
    return fail(`cannot start the admin API on ${where}: ${reason(err)}`);
  }

  const log = logger.scoped(`[mb:${running.port}] `);
  logStrayErrors(log);
  const shutdown = installShutdown(running, logger, log, options.pidfile);

  if (imposters !== undefined) {
    log.debug(`loading ${imposters.length} imposter(s) from ${source}`);
    try {
      // Only the Imposter-config front door's own imposters may use its internal `_imposter` kind.
      const internal = prepared !== undefined;
      if (watched) await running.watch(watched.source, { imposters, targets: watched.targets });
      else if (reloadable) await running.load(reloadable.source, { imposters, targets: reloadable.targets });
      else await running.replaceImposters(imposters, internal);
    } catch (err) {
      const code = fail(`cannot load imposters from ${source}:${describeLoadError(err, imposters)}`);
      await shutdown.abandon();
      return code;
    }
  }

  if (shutdown.started()) return undefined;
  running.announce();
  try {
    writePidfile(options.pidfile);
  } catch (err) {
    const code = fail(`cannot write pidfile ${options.pidfile}: ${reason(err)}`);
    await shutdown.abandon();
    return code;
  }
  log.debug(`ready; process ${process.pid} written to pidfile ${options.pidfile}`);
  return undefined;
}

interface Shutdown {
  /** A signal has begun the shutdown. */
  started(): boolean;
  /** Start failed after the server was up: close it without the goodbye, let main set the exit code. */
  abandon(): Promise<void>;
}

function installShutdown(running: RunningStandin, logger: Logger, log: Log, pidfile: string): Shutdown {
  let stopping = false;

  const closeServer = async (): Promise<void> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        log.warn(`server did not close within ${CLOSE_TIMEOUT_MS / 1000}s; exiting anyway`);
        resolve();
      }, CLOSE_TIMEOUT_MS);
      timer.unref();
    });
    try {
      await Promise.race([running.close(), timeout]);
    } catch (err) {
      log.error(`error while closing: ${reason(err)}`);
    } finally {
      clearTimeout(timer);
    }
  };

  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      // A second signal while closing: leave now.
      removePidfileIfOwned(pidfile);
      logger.closeSync();
      process.exit(1);
    }
    stopping = true;
    log.debug(`received ${signal}`);
    void (async () => {
      await closeServer();
      removePidfileIfOwned(pidfile);
      log.info('Adios - see you soon?');
      await logger.close();
      await flushStdio();
      process.exitCode = 0;
      process.exit();
    })();
  };

  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);

  return {
    started: () => stopping,
    async abandon() {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      stopping = true;
      await closeServer();
      await logger.close();
    },
  };
}

const flushStdio = async (): Promise<void> => {
  await Promise.all(
    [process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => (stream.writableEnded ? resolve() : stream.write('', () => resolve())))),
  );
};

/** One-line reason for a failure, naming the port or host when the OS refused them. */
function reason(err: unknown): string {
  if (err instanceof StandinError) return err.message;
  if (!(err instanceof Error)) return String(err);
  // A failed listen() names its port and address beside the code.
  const port = 'port' in err ? err.port : undefined;
  switch (errorCode(err)) {
    case 'EADDRINUSE':
      return port !== undefined ? `port ${String(port)} is already in use` : `address already in use (${err.message})`;
    case 'EACCES':
      return port !== undefined ? `permission denied to listen on port ${String(port)}` : `permission denied (${err.message})`;
    case 'EADDRNOTAVAIL':
      return `address ${'address' in err ? String(err.address ?? '') : ''} is not available on this machine`.replace('  ', ' ');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot resolve host (${err.message})`;
  }
  return err.message;
}

/**
 * The text after `cannot load imposters from FILE:` — one line, or one line per validation error,
 * each naming the imposter and stub it is about.
 */
function describeLoadError(err: unknown, imposters: unknown[]): string {
  if (err instanceof ValidationFailure) {
    return err.errors.map((e) => `\n  - ${where(e.location, imposters)}${e.message}`).join('') || ` ${err.message}`;
  }
  const port = err instanceof StandinError && isPlainObject(err.source) ? err.source.port : undefined;
  const at = port === undefined ? -1 : imposters.findIndex((i) => isPlainObject(i) && i.port === port);
  return ` ${at === -1 ? '' : where([at], imposters)}${reason(err)}`;
}

/** `imposter 2 (http:4546 "orders"), stub 3: ` for the location [1, 2]; '' when there is none. */
function where(location: readonly number[], imposters: unknown[]): string {
  const [at, stub] = location;
  if (at === undefined) return '';
  const imposter = imposters[at];
  const config: Record<string, unknown> = isPlainObject(imposter) ? imposter : {};
  const parts = [
    [config.protocol, config.port].filter((v) => v !== undefined && v !== null).join(':'),
    typeof config.name === 'string' ? JSON.stringify(config.name) : '',
  ].filter((p) => p !== '');
  return `imposter ${at + 1}${parts.length > 0 ? ` (${parts.join(' ')})` : ''}${stub === undefined ? '' : `, stub ${stub + 1}`}: `;
}
