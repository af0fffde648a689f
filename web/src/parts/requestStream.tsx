// Requests as they arrive (GET /events for this imposter, in its summary view), newest first, each
// with the stub that answered or, when none did, the closest stub and the clauses it failed. The
// requests recorded before the page opened come from savedRequests (summaries too). A request's
// headers and body are fetched when it is opened, so a busy imposter is not made to serialize
// every request for a list nobody reads; what arrives faster than the list shows is counted.
// Request data is shown as text only.
import { useEffect, useState } from 'preact/hooks';
import { api, get, streamEvents } from '../api.js';
import { NearMiss, stubName, type StubReport } from './clauses.js';
import { ErrorList } from './errors.js';

interface RecordedRequest {
  method?: string;
  path?: string;
  query?: Record<string, unknown>;
  headers?: Record<string, unknown>;
  body?: unknown;
  requestFrom?: string;
  timestamp?: string;
  data?: string;
}

/** A recorded request as the summary view gives it. */
interface Summary {
  index: number;
  timestamp?: string;
  method?: string;
  path?: string;
  query?: Record<string, unknown>;
  stub: { index: number; id?: string } | null;
  nearMiss?: StubReport;
}

const KEEP = 200;

function merge(list: Summary[], more: Summary[]): Summary[] {
  const byIndex = new Map(list.map((e) => [e.index, e]));
  for (const e of more) byIndex.set(e.index, e);
  return [...byIndex.values()].sort((a, b) => b.index - a.index).slice(0, KEEP);
}

function queryText(query: Record<string, unknown> | undefined): string {
  if (!query || Object.keys(query).length === 0) return '';
  return `?${Object.entries(query)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join('&')}`;
}

/** The recorded request's headers, body and origin, read when the item is first opened. */
function RequestDetail({ port, index }: { port: string; index: number }) {
  const [request, setRequest] = useState<RecordedRequest>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    get<{ request: RecordedRequest }>(`/imposters/${encodeURIComponent(port)}/savedRequests/${index}`)
      .then((record) => setRequest(record.request))
      .catch(setError);
  }, [port, index]);
  if (error !== undefined) return <ErrorList error={error} />;
  if (request === undefined) return <p class="muted">Loading…</p>;
  const r = request;
  return (
    <>
      <span class="label">Headers</span>
      <pre>
        {Object.entries(r.headers ?? {})
          .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
          .join('\n')}
      </pre>
      {r.body !== undefined && r.body !== '' ? (
        <>
          <span class="label">Body</span>
          <pre>{typeof r.body === 'string' ? r.body : JSON.stringify(r.body, null, 2)}</pre>
        </>
      ) : null}
      {r.data !== undefined ? (
        <>
          <span class="label">Data</span>
          <pre>{r.data}</pre>
        </>
      ) : null}
      <p class="muted">
        From {r.requestFrom ?? '?'}; request {index} of this imposter.
      </p>
    </>
  );
}

function RequestItem({ port, item, onEdit }: { port: string; item: Summary; onEdit: (index: number) => void }) {
  const [opened, setOpened] = useState(false);
  const time = item.timestamp ? new Date(item.timestamp).toLocaleTimeString() : '';
  return (
    <li data-testid="live-request">
      <details onToggle={(event) => (event.currentTarget as HTMLDetailsElement).open && setOpened(true)}>
        <summary>
          <time class="muted">{time}</time> <strong>{item.method ?? ''}</strong> <code>{`${item.path ?? ''}${queryText(item.query)}`}</code>{' '}
          {item.stub ? <span class="matched">→ {stubName(item.stub)}</span> : <span class="missed">→ no stub matched</span>}
        </summary>
        <div class="request-detail">{opened ? <RequestDetail port={port} index={item.index} /> : null}</div>
      </details>
      {item.stub === null && item.nearMiss ? <NearMiss report={item.nearMiss} onEdit={onEdit} /> : null}
    </li>
  );
}

export function RequestStream({
  port,
  recording,
  onEdit,
  onLifecycle,
}: {
  port: string;
  recording: boolean;
  onEdit: (index: number) => void;
  onLifecycle: () => void;
}) {
  const [items, setItems] = useState<Summary[]>([]);
  /** Requests the stream counted but did not list (more than it sends at once). */
  const [unlisted, setUnlisted] = useState(0);
  const [live, setLive] = useState(false);
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    // Subscribe first, then read what was recorded before: merged by index, nothing is lost between.
    const stop = streamEvents(
      `/events?port=${encodeURIComponent(port)}&view=summary`,
      (event) => {
        if (event.event === 'request') setItems((list) => merge(list, [event.data as Summary]));
        else if (event.event === 'more') setUnlisted((n) => n + (event.data as { requests: number }).requests);
        else if (event.event === 'imposter') onLifecycle();
      },
      setLive,
    );
    get<Summary[]>(`/imposters/${encodeURIComponent(port)}/savedRequests?view=summary&last=${KEEP}`)
      .then((saved) => setItems((list) => merge(list, saved)))
      .catch(setError);
    return stop;
  }, [port]);
  const clear = async () => {
    try {
      await api('DELETE', `/imposters/${encodeURIComponent(port)}/savedRequests`);
      setItems([]);
      setUnlisted(0);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section data-testid="request-stream">
      <h2>
        <span class={`live${live ? ' on' : ''}`} aria-hidden="true" />
        Requests {live ? <span class="pill">live</span> : <span class="pill">reconnecting…</span>}
      </h2>
      {!recording ? (
        <p class="notice">
          This imposter does not record requests, so none show here. Create it with <code>"recordRequests": true</code> (or start standin with{' '}
          <code>--mock</code>) to watch them arrive.
        </p>
      ) : null}
      <div class="toolbar">
        <button type="button" class="secondary" onClick={() => void clear()}>
          Clear recorded requests
        </button>
        <span class="muted">{items.length === 0 ? 'None yet.' : `${items.length} shown, newest first.`}</span>
        {unlisted > 0 ? (
          <span class="muted" data-testid="unlisted">
            {' '}
            {unlisted} more arrived faster than this list shows them (reload the page to list the latest {KEEP}).
          </span>
        ) : null}
      </div>
      <ErrorList error={error} />
      <ol class="requests">
        {items.map((item) => (
          <RequestItem key={item.index} port={port} item={item} onEdit={onEdit} />
        ))}
      </ol>
    </section>
  );
}
