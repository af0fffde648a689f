// The server's event log: a bounded ring of numbered events (recorded requests, imposter changes)
// that every consumer reads at its own pace from its own cursor. Publishing appends a reference
// and, when someone is connected, schedules one delivery for everything published in the next
// DELIVERY_MS: under load that is one write per client for many requests instead of one per
// event-loop turn (a write costs a system call and node's stream machinery, more than the request
// it reports). Serialization happens at delivery, once per event whatever the number of clients.
// Request events are kept only once someone has subscribed (before that nobody can resume from
// them), so a server nobody watches does no event work per request.
import type { ProtocolRequest } from '../model/request.js';

export type EventFamily = 'requests' | 'lifecycle';

export interface LoggedEvent {
  readonly id: number;
  /** The SSE event name: `request` or `imposter`. */
  readonly event: string;
  readonly family: EventFamily;
  /** The imposter it concerns; null for all of them (allDeleted). */
  readonly port: number | null;
  /** Request events: the request (for filters) and its flow id. */
  readonly request?: ProtocolRequest;
  readonly flowId?: string;
  /** The data sent; request events build it when first delivered. */
  readonly data: Record<string, unknown> | (() => Record<string, unknown>);
  /** The SSE frame, serialized once for every reader. */
  frame?: string;
}

/** An event as Server-Sent Events text: `event:`, `id:` (when it has one) and `data:` lines. */
export function sseFrame(event: string, id: number | null, data: unknown): string {
  return `event: ${event}\n${id === null ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`;
}

export function frameOf(event: LoggedEvent): string {
  if (event.frame === undefined) {
    const data = typeof event.data === 'function' ? event.data() : event.data;
    event.frame = sseFrame(event.event, event.id, data);
  }
  return event.frame;
}

export interface EventReader {
  /** Called (once per DELIVERY_MS at most) when events after the reader's cursor exist. */
  wake(): void;
}

export const DEFAULT_EVENT_CAPACITY = 2_000;

/** How long an event may wait for the events after it, so that they go out in one write. */
export const DELIVERY_MS = 20;

export class EventLog {
  private readonly ring: (LoggedEvent | undefined)[];
  private count = 0;
  private start = 0;
  private last = 0;
  private readonly readers = new Set<EventReader>();
  private wakeScheduled = false;
  /** True once anyone has subscribed: from then on request events are kept for resuming. */
  private watched = false;

  constructor(readonly capacity: number = DEFAULT_EVENT_CAPACITY) {
    this.ring = new Array<LoggedEvent | undefined>(capacity);
  }

  /** The id of the newest event (0 before the first). */
  get lastId(): number {
    return this.last;
  }

  /** Whether request events are worth publishing (someone subscribed since the server started). */
  get keepsRequests(): boolean {
    return this.watched;
  }

  subscribe(reader: EventReader): () => void {
    this.watched = true;
    this.readers.add(reader);
    return () => this.readers.delete(reader);
  }

  request(port: number, request: ProtocolRequest, flowId: string, data: () => Record<string, unknown>): void {
    this.append({ id: this.last + 1, event: 'request', family: 'requests', port, request, flowId, data });
  }

  /** Rift's lifecycle actions: created, replaced, stubsChanged, deleted, allDeleted. */
  imposter(action: string, port: number | null, detail: Record<string, unknown> = {}): void {
    const data = port === null ? { action, ...detail } : { action, port, ...detail };
    this.append({ id: this.last + 1, event: 'imposter', family: 'lifecycle', port, data });
  }

  private append(event: LoggedEvent): void {
    this.last = event.id;
    if (this.count < this.capacity) {
      this.ring[(this.start + this.count) % this.capacity] = event;
      this.count++;
    } else {
      this.ring[this.start] = event;
      this.start = (this.start + 1) % this.capacity;
    }
    if (this.readers.size > 0 && !this.wakeScheduled) {
      this.wakeScheduled = true;
      setTimeout(this.wakeReaders, DELIVERY_MS).unref();
    }
  }

  private readonly wakeReaders = (): void => {
    this.wakeScheduled = false;
    for (const reader of this.readers) reader.wake();
  };

  /**
   * The events after `cursor`, oldest first, and how many of those the ring no longer holds
   * (a reader that fell that far behind has a gap: it is told so, never silently).
   */
  after(cursor: number): { missed: number; events: LoggedEvent[] } {
    const first = this.last - this.count + 1;
    const from = Math.max(cursor + 1, first);
    const missed = Math.max(0, first - cursor - 1);
    const events: LoggedEvent[] = [];
    for (let id = from; id <= this.last; id++) events.push(this.ring[(this.start + id - first) % this.capacity]!);
    return { missed: cursor >= this.last ? 0 : missed, events };
  }
}
