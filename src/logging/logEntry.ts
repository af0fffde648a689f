// A log entry and its levels: what the logger writes and the in-memory buffer keeps.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export interface LogEntry {
  level: LogLevel;
  message: string;
  timestamp: string;
}

/**
 * A message built only if something reads it: the logger keeps it unbuilt when no console, file
 * or sink takes its lines, and GET /logs builds it when it is first read. `weight` estimates what
 * the unbuilt message holds on to (the request it describes), in characters.
 */
export interface DeferredMessage {
  readonly build: () => string;
  readonly weight: number;
}
