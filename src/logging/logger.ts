import { appendFileSync, createWriteStream, type WriteStream } from 'node:fs';
import { isoNow } from './isoNow.js';
import type { DeferredMessage, LogEntry, LogLevel } from './logEntry.js';
import { LogMemory } from './logMemory.js';

export { LOG_LEVELS, type LogEntry, type LogLevel } from './logEntry.js';

/** Console lines as mountebank writes them (`info: msg`) or as Imposter does (`[INFO] msg`). */
export type ConsoleStyle = 'mountebank' | 'imposter';

export interface LoggerOptions {
  level: LogLevel;
  /** JSON-lines file, mountebank's mb.log format; null for none. */
  logfile: string | null;
  /** Write `level: message` lines to stdout. */
  console: boolean;
  consoleStyle?: ConsoleStyle;
  /** How many entries GET /logs keeps in memory. */
  memoryCap?: number;
  /** Receives every entry at or above `level`, as it is logged (the programmatic API's `log` option). */
  sink?: (entry: LogEntry) => void;
}

export interface Log {
  debug(message: string): void;
  info(message: string): void;
  /**
   * An info line whose text costs something to build (a miss's explanation): built only when it
   * is written, at once where a console, file or sink takes the lines, else when GET /logs first
   * reads it. `weight`: roughly how many characters `build` holds on to until then.
   */
  infoLater(build: () => string, weight: number): void;
  warn(message: string): void;
  error(message: string): void;
  isDebugEnabled(): boolean;
  isInfoEnabled(): boolean;
}

/** How long a log line may wait in the batch, and how large a batch may grow before it is written. */
const FLUSH_MS = 10;
const FLUSH_BYTES = 64 * 1024;
const FLUSH_ENTRIES = 2048;

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/**
 * Console and file output are batched and flushed every FLUSH_MS (or sooner once a batch grows
 * large), so a log line per request costs a string concatenation on the hot path. A write system
 * call costs ~10 µs on a VM, as much as a fifth of serving a request: flushing once per event-loop
 * turn cost 27% of the throughput of a simple stub, a 10 ms batch costs under 3%.
 */
export class Logger implements Log {
  private readonly threshold: number;
  private readonly memory: LogMemory;
  private consoleBuffer = '';
  private fileBuffer = '';
  private flushScheduled = false;
  private readonly flushLater = (): void => {
    if (this.flushScheduled) this.flushSync();
  };
  private readonly file: WriteStream | null;
  private readonly logfile: string | null;
  private readonly toConsole: boolean;
  private readonly imposterStyle: boolean;
  private readonly sink: ((entry: LogEntry) => void) | undefined;

  constructor(options: LoggerOptions) {
    this.threshold = RANK[options.level];
    this.memory = new LogMemory(options.memoryCap ?? 10_000);
    this.toConsole = options.console;
    this.imposterStyle = options.consoleStyle === 'imposter';
    this.sink = options.sink;
    this.logfile = options.logfile;
    this.file = options.logfile ? createWriteStream(options.logfile, { flags: 'a' }) : null;
    this.file?.on('error', (err) => {
      process.stderr.write(`warn: cannot write logfile ${options.logfile}: ${err.message}\n`);
    });
  }

  isDebugEnabled(): boolean {
    return this.threshold <= 0;
  }

  isInfoEnabled(): boolean {
    return this.threshold <= 1;
  }

  debug(message: string): void {
    if (this.threshold <= 0) this.write('debug', message);
  }

  info(message: string): void {
    if (this.threshold <= 1) this.write('info', message);
  }

  infoLater(build: () => string, weight: number): void {
    if (this.threshold > 1) return;
    if (this.toConsole || this.file !== null || this.sink !== undefined) this.write('info', build());
    else this.remember({ level: 'info', message: '', timestamp: isoNow() }, { build, weight });
  }

  warn(message: string): void {
    if (this.threshold <= 2) this.write('warn', message);
  }

  error(message: string): void {
    this.write('error', message);
  }

  /** A logger that prefixes every message, as mountebank's `[http:4545 name] `. */
  scoped(prefix: string | (() => string)): Log {
    const p = typeof prefix === 'string' ? () => prefix : prefix;
    return {
      debug: (m) => this.debug(p() + m),
      info: (m) => this.info(p() + m),
      infoLater: (build, weight) => {
        if (!this.isInfoEnabled()) return;
        const prefix = p();
        this.infoLater(() => prefix + build(), weight);
      },
      warn: (m) => this.warn(p() + m),
      error: (m) => this.error(p() + m),
      isDebugEnabled: () => this.isDebugEnabled(),
      isInfoEnabled: () => this.isInfoEnabled(),
    };
  }

  /** Entries by absolute index since start (inclusive bounds), as GET /logs?startIndex&endIndex. */
  entries(startIndex = 0, endIndex?: number): LogEntry[] {
    return this.memory.entries(startIndex, endIndex);
  }

  /** Flushes what is buffered; synchronous so it is safe in exit paths. */
  flushSync(): void {
    this.flushScheduled = false;
    this.memory.pack();
    if (this.consoleBuffer) {
      const text = this.consoleBuffer;
      this.consoleBuffer = '';
      try {
        process.stdout.write(text);
      } catch {
        // stdout closed: nothing useful to do
      }
    }
    if (this.fileBuffer && this.logfile) {
      const text = this.fileBuffer;
      this.fileBuffer = '';
      this.file?.write(text);
    }
  }

  async close(): Promise<void> {
    this.flushSync();
    const file = this.file;
    if (!file) return;
    await new Promise<void>((resolve) => file.end(resolve));
  }

  /** For exit paths where the stream cannot be awaited. */
  closeSync(): void {
    const pending = this.fileBuffer;
    this.fileBuffer = '';
    this.flushSync();
    if (pending && this.logfile) appendFileSync(this.logfile, pending);
  }

  /** A caller's sink that throws must not break the request being logged. */
  private callSink(entry: LogEntry): void {
    try {
      this.sink!({ ...entry });
    } catch {
      // the caller's problem; logging it would call the sink again
    }
  }

  /** Only GET /logs can read this entry: its message is built if it ever does. */
  private remember(entry: LogEntry, message: DeferredMessage): void {
    this.memory.addDeferred(entry, message);
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.consoleBuffer.length + this.fileBuffer.length > FLUSH_BYTES || this.memory.pendingCount > FLUSH_ENTRIES) {
      this.flushSync();
    } else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setTimeout(this.flushLater, FLUSH_MS);
    }
  }

  private write(level: LogLevel, message: string): void {
    const timestamp = isoNow();
    const entry: LogEntry = { level, message, timestamp };
    this.memory.add(entry);
    if (this.sink) this.callSink(entry);
    if (this.toConsole) this.consoleBuffer += this.imposterStyle ? `[${level.toUpperCase()}] ${message}\n` : `${level}: ${message}\n`;
    if (this.file) this.fileBuffer += JSON.stringify(entry) + '\n';
    this.scheduleFlush();
  }
}
