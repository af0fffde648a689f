// A log entry and its levels: what the logger writes and the in-memory buffer keeps.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export interface LogEntry {
  level: LogLevel;
  message: string;
  timestamp: string;
}
