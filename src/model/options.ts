import type { LogLevel } from '../logging/logEntry.js';

/** Default for --bodyLimit and --adminBodyLimit: room for large real bodies, far from memory trouble. */
export const DEFAULT_BODY_LIMIT = 64 * 1024 * 1024;

/** Everything `standin start` accepts, after parsing; names follow mountebank's `mb` flags. */
export interface StandinOptions {
  port: number;
  /** Interface the admin API and imposters bind to; undefined = all interfaces, as mb. */
  host?: string;
  allowInjection: boolean;
  localOnly: boolean;
  /** `--ipWhitelist "a|b"`; ['*'] allows everyone. */
  ipWhitelist: string[];
  loglevel: LogLevel;
  logfile: string;
  nologfile: boolean;
  pidfile: string;
  configfile?: string;
  noParse: boolean;
  /** `--watch`: reload --configfile (or `standin imposter`'s directories) when they change. */
  watch: boolean;
  debug: boolean;
  mock: boolean;
  /** Most requests an imposter's journal keeps (oldest evicted first); numberOfRequests stays exact. */
  journalCap: number;
  /** Milliseconds a proxy waits for the origin (to connect, for headers, between body chunks). */
  proxyTimeout: number;
  /** `--datadir DIR`: imposters are written there and restored at the next start. */
  datadir?: string;
  /** `--apikey KEY`: every admin API request must carry it in `x-api-key`. */
  apikey?: string;
  /** `--origin URL`: the one web origin allowed to call the admin API (CORS). */
  origin?: string;
  /** `--rcfile FILE`: options read from a JSON file. */
  rcfile?: string;
  /** `--formatter MODULE`: loads --configfile and writes `save` output instead of standin's JSON. */
  formatter?: string;
  /** Milliseconds one injected function may run or wait for its callback; 0 = no limit. */
  injectionTimeout: number;
  /**
   * Milliseconds one stretch of a user's synchronous code (script, template, backtracking regex)
   * may hold the event loop before its request fails; 0 = no limit.
   */
  stallLimit: number;
  /** `--scriptsDir DIR`: where `_rift` script files and refs are looked up (and must stay). */
  scriptsDir?: string;
  /** `--protofile FILE`: custom protocols; undefined = ./protocols.json if it exists, as mb. */
  protofile?: string;
  /** `--bodyLimit`: the largest request body an http(s) imposter reads (once inflated), in bytes; larger gets 413. */
  bodyLimit: number;
  /** `--adminBodyLimit`: the largest body the admin API reads, in bytes; larger gets 413. */
  adminBodyLimit: number;
  /** `save`: the file written. */
  savefile: string;
  /** `save`: leave proxy responses out (replay always does). */
  removeProxies: boolean;
  /** `--workers N`: imposters served by N worker processes sharing their ports; undefined = this process alone. */
  workers?: number;
  /** `--fleet redis://host:port/db`: a member of a fleet sharing its imposters and state in that Redis. */
  fleet?: string;
  /** `--strict`: unknown fields in imposters and stubs are refused (400), not only warned about. */
  strict: boolean;
}

export const DEFAULT_OPTIONS: StandinOptions = {
  port: 2525,
  allowInjection: false,
  localOnly: false,
  ipWhitelist: ['*'],
  loglevel: 'info',
  logfile: 'mb.log',
  nologfile: false,
  pidfile: 'mb.pid',
  noParse: false,
  watch: false,
  debug: false,
  mock: false,
  journalCap: 10_000,
  proxyTimeout: 60_000,
  injectionTimeout: 10_000,
  bodyLimit: DEFAULT_BODY_LIMIT,
  adminBodyLimit: DEFAULT_BODY_LIMIT,
  stallLimit: 50,
  savefile: 'mb.json',
  removeProxies: false,
  strict: false,
};
