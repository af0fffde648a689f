// One Server-Sent Events client of the event log. It reads from its own cursor when the log wakes
// it, writes what passes its filter in one write, and stops writing while the socket's buffer is
// full: the log keeps going, and when the client drains it is told how many events it missed
// (`lagged`) if the ring moved past them. A slow client therefore costs the imposters nothing.
// In the summary view a delivery sends at most SUMMARY_LIMIT request events; the ones after are
// one `more` frame carrying their count and the id of the last of them, so that resuming from it
// (Last-Event-ID) sends none of them again and skips none after.
import type { ServerResponse } from 'node:http';
import { frameOf, sseFrame, SUMMARY_LIMIT, type EventLog, type EventView, type LoggedEvent } from '../events/eventLog.js';

const HEARTBEAT_MS = 15_000;

export interface StreamOptions {
  /** Which events this client wants. */
  accepts(event: LoggedEvent): boolean;
  /** The id of the last event the client saw (Last-Event-ID); null for a new client. */
  lastEventId: number | null;
  hello: Record<string, unknown>;
  headers: Record<string, string>;
  view: EventView;
}

export function openEventStream(res: ServerResponse, log: EventLog, options: StreamOptions): void {
  res.writeHead(200, {
    ...options.headers,
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    'X-Accel-Buffering': 'no',
    Connection: 'keep-alive',
  });
  // Ids from another run of the server (higher than any here) mean nothing here: start afresh.
  let cursor = options.lastEventId === null || options.lastEventId > log.lastId ? log.lastId : options.lastEventId;
  let paused = false;
  let closed = false;

  const { view, accepts } = options;
  const pump = (): void => {
    if (paused || closed) return;
    const missed = log.missedAfter(cursor);
    let out = '';
    if (missed > 0) {
      out = sseFrame('lagged', null, { missed });
      cursor += missed;
    }
    let shown = 0;
    let folded = 0;
    for (const last = log.lastId; cursor < last;) {
      const event = log.at(++cursor)!;
      if (!accepts(event)) continue;
      if (view === 'summary' && event.family === 'requests') {
        if (shown === SUMMARY_LIMIT) {
          folded++;
          continue;
        }
        shown++;
      } else if (folded > 0) {
        out += sseFrame('more', event.id - 1, { requests: folded });
        folded = 0;
      }
      out += frameOf(event, view);
    }
    if (folded > 0) out += sseFrame('more', cursor, { requests: folded });
    if (out === '') return;
    if (!res.write(out)) {
      paused = true;
      res.once('drain', () => {
        paused = false;
        pump();
      });
    }
  };

  const unsubscribe = log.subscribe({ wake: pump });
  const heartbeat = setInterval(() => {
    if (!paused) res.write(': ping\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();
  res.on('close', () => {
    closed = true;
    clearInterval(heartbeat);
    unsubscribe();
  });
  res.write(sseFrame('hello', null, options.hello));
  pump();
}
