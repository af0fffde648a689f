// The last N log entries, for GET /logs. With a line per request, keeping each entry as its own
// objects made every young-generation GC copy thousands of them (4 ms pauses instead of 0.7 ms,
// straight into p99 latency). Entries wait in a small array until the next flush, then are packed
// into one batch of a few flat strings and typed arrays, which the GC moves as a handful of objects.
import type { DeferredMessage, LogEntry, LogLevel } from './logEntry.js';

/** Characters GET /logs keeps in all (about 32 MB at most), whatever the entry count. */
export const MEMORY_CHARS = 16 * 1024 * 1024;
/** One entry's message is shortened past this in memory; the console and the log file get it whole. */
export const ENTRY_CHARS = 64 * 1024;
/** What unbuilt messages may hold on to in all (their weights); past it the oldest are built. */
export const DEFERRED_WEIGHT = 16 * 1024 * 1024;

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];
const LEVEL_CODE: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Entries packed together: messages and timestamps joined, with where each one ends. */
interface Batch {
  count: number;
  levels: Uint8Array;
  messages: string;
  messageEnds: Uint32Array;
  timestamps: string;
  timestampEnds: Uint32Array;
  /** Messages not built yet (by position in the batch), and those built since it was packed. */
  deferred?: Map<number, DeferredMessage | string>;
  /** Characters of the messages built since packing. */
  builtChars: number;
}

/** An entry whose message may still be unbuilt, as it waits to be packed. */
type PendingEntry = LogEntry & { deferred?: DeferredMessage };

export class LogMemory {
  private batches: Batch[] = [];
  private packed = 0;
  private packedChars = 0;
  private pending: PendingEntry[] = [];
  /** Entries dropped from the front since start: absolute index = dropped + position. */
  private dropped = 0;
  /** The weight of the unbuilt messages kept (DeferredMessage.weight). */
  private deferredWeight = 0;

  constructor(
    private readonly cap: number,
    private readonly charCap: number = MEMORY_CHARS,
    private readonly deferredCap: number = DEFERRED_WEIGHT,
  ) {}

  get pendingCount(): number {
    return this.pending.length;
  }

  add(entry: LogEntry): void {
    this.pending.push(entry);
  }

  /** An entry whose message is built when first read (its `message` is ignored). */
  addDeferred(entry: LogEntry, message: DeferredMessage): void {
    this.pending.push({ ...entry, deferred: message });
  }

  /** Packs the pending entries into a batch; drops whole old batches beyond the cap. */
  pack(): void {
    const entries = this.pending;
    if (entries.length === 0) return;
    this.pending = [];
    const levels = new Uint8Array(entries.length);
    const messageEnds = new Uint32Array(entries.length);
    const timestampEnds = new Uint32Array(entries.length);
    let messageLength = 0;
    let timestampLength = 0;
    let deferred: Map<number, DeferredMessage | string> | undefined;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i]!;
      levels[i] = LEVEL_CODE[e.level];
      if (e.deferred !== undefined) {
        (deferred ??= new Map()).set(i, e.deferred);
        this.deferredWeight += e.deferred.weight;
        e.message = '';
      }
      if (e.message.length > ENTRY_CHARS) e.message = shortened(e.message);
      messageLength += e.message.length;
      messageEnds[i] = messageLength;
      timestampLength += e.timestamp.length;
      timestampEnds[i] = timestampLength;
    }
    const messages = entries.map((e) => e.message).join('');
    const timestamps = entries.map((e) => e.timestamp).join('');
    this.batches.push({ count: entries.length, levels, messages, messageEnds, timestamps, timestampEnds, deferred, builtChars: 0 });
    this.packed += entries.length;
    this.packedChars += messages.length + timestamps.length;
    while (this.batches.length > 1 && (this.packed - this.batches[0]!.count >= this.cap || this.packedChars > this.charCap)) {
      const old = this.batches.shift()!;
      this.packed -= old.count;
      this.packedChars -= old.messages.length + old.timestamps.length + old.builtChars;
      this.dropped += old.count;
      // Dropped unread: never built.
      for (const message of old.deferred?.values() ?? []) if (typeof message !== 'string') this.deferredWeight -= message.weight;
    }
    this.settleDeferred();
  }

  /**
   * Lets go of unbuilt messages GET /logs can no longer reach (beyond the newest `cap`), and past
   * the budget builds the oldest of the others, so that what they hold on to is released.
   */
  private settleDeferred(): void {
    if (this.deferredWeight === 0) return;
    const keptFrom = this.dropped + this.packed - this.cap;
    let base = this.dropped;
    for (const batch of this.batches) {
      if (this.deferredWeight === 0) break;
      for (const [i, message] of batch.deferred ?? []) {
        if (typeof message === 'string') continue;
        if (base + i < keptFrom) {
          batch.deferred!.delete(i);
          this.deferredWeight -= message.weight;
        } else if (this.deferredWeight > this.deferredCap) {
          this.message(batch, i);
        } else {
          return;
        }
      }
      base += batch.count;
    }
  }

  /** The message of entry `i` of `batch`, built (once) if it was deferred. */
  private message(batch: Batch, i: number): string {
    const deferred = batch.deferred?.get(i);
    if (typeof deferred === 'string') return deferred;
    if (deferred === undefined) return batch.messages.slice(i === 0 ? 0 : batch.messageEnds[i - 1]!, batch.messageEnds[i]);
    let built: string;
    try {
      built = deferred.build();
    } catch (err) {
      built = `(this message could not be built: ${err instanceof Error ? err.message : String(err)})`;
    }
    if (built.length > ENTRY_CHARS) built = shortened(built);
    batch.deferred!.set(i, built);
    this.deferredWeight -= deferred.weight;
    batch.builtChars += built.length;
    this.packedChars += built.length;
    return built;
  }

  /** Entries by absolute index since start (inclusive bounds); the last `cap` are kept. */
  entries(startIndex = 0, endIndex?: number): LogEntry[] {
    this.pack();
    const total = this.dropped + this.packed;
    const keptFrom = Math.max(this.dropped, total - this.cap);
    const first = Math.max(keptFrom, startIndex);
    const last = Math.min(total - 1, endIndex ?? total - 1);
    const out: LogEntry[] = [];
    let base = this.dropped;
    for (const batch of this.batches) {
      const end = base + batch.count;
      for (let abs = Math.max(first, base); abs <= last && abs < end; abs++) out.push(this.unpack(batch, abs - base));
      base = end;
    }
    return out;
  }

  private unpack(batch: Batch, i: number): LogEntry {
    const timestampStart = i === 0 ? 0 : batch.timestampEnds[i - 1]!;
    return {
      level: LEVELS[batch.levels[i]!]!,
      message: this.message(batch, i),
      timestamp: batch.timestamps.slice(timestampStart, batch.timestampEnds[i]),
    };
  }
}

function shortened(message: string): string {
  return `${message.slice(0, ENTRY_CHARS)}... (${message.length} characters; shortened here, whole in the console and log file)`;
}
