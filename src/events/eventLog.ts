// The server's event log: a bounded ring of numbered events (recorded requests, imposter changes)
// that every consumer reads at its own pace from its own cursor. Publishing appends a reference
// and, when someone is connected, schedules one delivery for everything published in the next
// DELIVERY_MS: under load that is one write per client for many requests instead of one per
// event-loop turn (a write costs a system call and node's stream machinery, more than the request
// it reports). A request event is built and serialized only when a client is sent it, once per
// event and view whatever the number of clients (JSON of the whole request is most of what a
// watched request costs); the summary view (the dashboard's) is a few fields, and is sent for at
// most SUMMARY_LIMIT requests per delivery, the rest counted in one `more` frame, so watching a
// busy imposter costs it about as little as not watching.
// Request events are kept only once someone has subscribed (before that nobody can resume from
// them), so a server nobody watches does no event work per request.
import type { ProtocolRequest } from '../model/request.js';

export type EventFamily = 'requests' | 'lifecycle';

/** What a request event is made of, asked for only when a client is sent it (or filters on it). */
export interface RequestEventContent {
  readonly request: ProtocolRequest;
  /** Rift's flow id of the request (the imposter's port when its flowIdSource header is absent). */
  flowId(): string;
  /** The `request` event as documented: port, flowId, index, request, stub, nearMiss when none matched. */
  full(): object;
  /** The summary view: what a list of live requests shows (no headers, no body). */
  summary(): object;
}

/** How a client reads request events: everything, or the dashboard's summaries. */
export type EventView = 'full' | 'summary';

export interface LoggedEvent {
  readonly id: number;
  /** The SSE event name: `request` or `imposter`. */
  readonly event: string;
  readonly family: EventFamily;
  /** The imposter it concerns; null for all of them (allDeleted). */
  readonly port: number | null;
  /** Request events: what the event is built from. */
  readonly content?: RequestEventContent;
  /** Lifecycle events: the data sent (the same in both views). */
  readonly data?: Record<string, unknown>;
  /** The SSE frames, each serialized once for every reader. */
  frame?: string;
  summaryFrame?: string;
}

/** An event as Server-Sent Events text: `event:`, `id:` (when it has one) and `data:` lines. */
export function sseFrame(event: string, id: number | null, data: unknown): string {
  return `event: ${event}\n${id === null ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`;
}

/** The event's frame in a view, built the first time any client needs it. */
export function frameOf(event: LoggedEvent, view: EventView): string {
  const content = event.content;
  if (content === undefined) return (event.frame ??= sseFrame(event.event, event.id, event.data));
  if (view === 'summary') return (event.summaryFrame ??= sseFrame(event.event, event.id, content.summary()));
  return (event.frame ??= sseFrame(event.event, event.id, content.full()));
}

export interface EventReader {
  /** Called (once per DELIVERY_MS at most) when events after the reader's cursor exist. */
  wake(): void;
}

export const DEFAULT_EVENT_CAPACITY = 2_000;

/** The most request summaries one delivery sends a client; the rest of the delivery is one `more` frame. */
export const SUMMARY_LIMIT = 10;

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

  request(port: number, content: RequestEventContent): void {
    this.append({ id: this.last + 1, event: 'request', family: 'requests', port, content });
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
   * How many events after `cursor` the ring no longer holds (a reader that fell that far behind
   * has a gap: it is told so, never silently).
   */
  missedAfter(cursor: number): number {
    if (cursor >= this.last) return 0;
    return Math.max(0, this.last - this.count - cursor);
  }

  /** The event with this id, if the ring still holds it. */
  at(id: number): LoggedEvent | undefined {
    const first = this.last - this.count + 1;
    if (id < first || id > this.last) return undefined;
    return this.ring[(this.start + id - first) % this.capacity];
  }
}
