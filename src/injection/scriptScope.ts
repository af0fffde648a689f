// What every injected function of one imposter shares: mountebank's `state` (one object per
// imposter, seen by predicate injects, inject responses and decorate), the older per-imposter
// object handed to `function (request, state)` responses, a `logger` writing to standin's log
// under the imposter's scope, and the time limit of each call.
import { format } from 'node:util';
import type { Log } from '../logging/logger.js';

export interface ScriptLogger {
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export interface ScriptScope {
  /** `config.state` (mountebank's imposterState); reset only when the imposter is recreated. */
  readonly state: Record<string, unknown>;
  /** The second argument of old-style `function (request, state, logger, callback)` responses (mountebank's injectState). */
  readonly legacyState: Record<string, unknown>;
  readonly logger: ScriptLogger;
  /** Milliseconds one call may run (or wait for its callback); 0 = no limit. */
  readonly timeoutMs: number;
  /**
   * --stallLimit: milliseconds one stretch of synchronous script code may hold the event loop
   * (every other imposter and the admin API wait meanwhile); 0 = no limit.
   */
  readonly stallMs: number;
  /** Where standin itself reports script failures. */
  readonly log: Log;
  /** Scripts that did not compile, noted while a stub compiles; the imposter logs and clears them. */
  readonly compileWarnings: string[];
}

export function createScriptScope(log: Log, timeoutMs: number, stallMs: number): ScriptScope {
  // printf-style arguments, as mountebank's winston logger accepts them.
  const logger: ScriptLogger = {
    debug: (...args) => log.debug(format(...args)),
    info: (...args) => log.info(format(...args)),
    warn: (...args) => log.warn(format(...args)),
    error: (...args) => log.error(format(...args)),
  };
  return { state: {}, legacyState: {}, logger, timeoutMs, stallMs, log, compileWarnings: [] };
}
