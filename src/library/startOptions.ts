// The programmatic API's options: the `standin start` flags that make sense inside a process,
// named as the flags are, with a caller's log sink instead of the console and log file.
import type { LogEntry, LogLevel } from '../logging/logger.js';
import type { ImposterDefinition } from '../model/imposterDefinition.js';
import { DEFAULT_OPTIONS, type StandinOptions } from '../model/options.js';

/** One log line, as `GET /logs` shows it. */
export type LogRecord = LogEntry;

export interface StartOptions {
  /** The admin API's port; 0 (the default here) lets the OS choose a free one. */
  port?: number;
  /** The interface the admin API and imposters bind to. Default `127.0.0.1`; `0.0.0.0` or `::` for all. */
  host?: string;
  /** Allow JavaScript injection and shell transforms (`--allowInjection`). */
  allowInjection?: boolean;
  /** Accept connections only from this machine (`--localOnly`). */
  localOnly?: boolean;
  /** Addresses allowed to connect besides local ones (`--ipWhitelist`); default everyone. */
  ipWhitelist?: string[];
  /** Lowest level passed to `log` (`--loglevel`); default `info`. */
  logLevel?: LogLevel;
  /** Receives every log line at or above `logLevel`. Without it standin is silent. */
  log?: (entry: LogRecord) => void;
  /** Also write mountebank's JSON-lines log to this file (`--logfile`); default none. */
  logfile?: string;
  /** Imposters to start with. */
  imposters?: ImposterDefinition[];
  /** A file of imposters to start with (`--configfile`), rendered as EJS unless `noParse`. */
  configfile?: string;
  /** Read `configfile` as plain JSON (`--noParse`). */
  noParse?: boolean;
  /** Reload `configfile` when it (or a file it includes) changes (`--watch`). */
  watch?: boolean;
  /** Store imposters in this directory and restore them at the next start (`--datadir`). */
  datadir?: string;
  /** Every admin API request must carry this key in `x-api-key` (`--apikey`); the methods here send it. */
  apikey?: string;
  /** The web origin allowed to call the admin API (`--origin`). */
  origin?: string;
  /** Include stub match information in imposter retrievals (`--debug`). */
  debug?: boolean;
  /** Record requests on every imposter (`--mock`). */
  mock?: boolean;
  /** Most requests an imposter keeps (`--journalCap`); default 10000. */
  journalCap?: number;
  /** Milliseconds a proxy waits for its origin (`--proxyTimeout`); default 60000. */
  proxyTimeout?: number;
  /** Milliseconds one injected script may run (`--injectionTimeout`); 0 for no limit; default 10000. */
  injectionTimeout?: number;
  /**
   * Milliseconds one stretch of user code (a script, an injected function, a template, a
   * backtracking regex) may keep standin busy before its request fails (`--stallLimit`); 0 for no
   * limit; default 50.
   */
  stallLimit?: number;
  /** Custom protocols (`--protofile`); default ./protocols.json if that file exists, as the CLI. */
  protofile?: string;
}

/** The server's options for `options`, refusing values the CLI would refuse. */
export function serverOptions(options: StartOptions): StandinOptions {
  const known = new Set<string>(OPTION_NAMES);
  for (const name of Object.keys(options)) {
    if (!known.has(name)) throw new TypeError(`standin start(): unknown option '${name}'; known options: ${OPTION_NAMES.join(', ')}`);
  }
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new TypeError(`standin start(): port must be an integer from 0 to 65535, got ${JSON.stringify(options.port)}`);
  }
  if (options.imposters !== undefined && options.configfile !== undefined) {
    throw new TypeError('standin start(): give imposters or a configfile, not both');
  }
  const stallLimit = options.stallLimit ?? DEFAULT_OPTIONS.stallLimit;
  if (!Number.isInteger(stallLimit) || stallLimit < 0 || stallLimit > 3_600_000) {
    throw new TypeError(`standin start(): stallLimit must be a number of milliseconds from 0 to 3600000, got ${JSON.stringify(options.stallLimit)}`);
  }
  if (options.watch && options.configfile === undefined) {
    throw new TypeError('standin start(): watch needs a configfile to watch');
  }
  return {
    ...DEFAULT_OPTIONS,
    port,
    host: options.host ?? '127.0.0.1',
    allowInjection: options.allowInjection ?? false,
    localOnly: options.localOnly ?? false,
    ipWhitelist: options.ipWhitelist ?? ['*'],
    loglevel: options.logLevel ?? 'info',
    logfile: options.logfile ?? DEFAULT_OPTIONS.logfile,
    nologfile: options.logfile === undefined,
    configfile: options.configfile,
    noParse: options.noParse ?? false,
    datadir: options.datadir,
    apikey: options.apikey,
    origin: options.origin,
    debug: options.debug ?? false,
    mock: options.mock ?? false,
    journalCap: options.journalCap ?? DEFAULT_OPTIONS.journalCap,
    proxyTimeout: options.proxyTimeout ?? DEFAULT_OPTIONS.proxyTimeout,
    injectionTimeout: options.injectionTimeout ?? DEFAULT_OPTIONS.injectionTimeout,
    stallLimit,
    protofile: options.protofile,
  };
}

const OPTION_NAMES: readonly (keyof StartOptions)[] = [
  'port',
  'host',
  'allowInjection',
  'localOnly',
  'ipWhitelist',
  'logLevel',
  'log',
  'logfile',
  'imposters',
  'configfile',
  'noParse',
  'watch',
  'datadir',
  'apikey',
  'origin',
  'debug',
  'mock',
  'journalCap',
  'proxyTimeout',
  'injectionTimeout',
  'stallLimit',
  'protofile',
];
