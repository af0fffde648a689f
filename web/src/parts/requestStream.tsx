// Requests as they arrive (GET /events for this imposter), newest first, each with the stub that
// answered or, when none did, the closest stub and the clauses it failed. The requests recorded
// before the page opened come from savedRequests?explain=true. Request data is shown as text only.
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

export interface Explained {
  index: number;
  request: RecordedRequest;
  stub: { index: number; id?: string } | null;
  nearMiss?: StubReport;
}

const KEEP = 200;

function merge(list: Explained[], more: Explained[]): Explained[] {
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

function RequestItem({ item, onEdit }: { item: Explained; onEdit: (index: number) => void }) {
  const r = item.request;
  const time = r.timestamp ? new Date(r.timestamp).toLocaleTimeString() : '';
  return (
    <li data-testid="live-request">
      <details>
        <summary>
          <time class="muted">{time}</time> <strong>{r.method ?? ''}</strong> <code>{`${r.path ?? ''}${queryText(r.query)}`}</code>{' '}
          {item.stub ? <span class="matched">→ {stubName(item.stub)}</span> : <span class="missed">→ no stub matched</span>}
        </summary>
        <div class="request-detail">
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
            From {r.requestFrom ?? '?'}; request {item.index} of this imposter.
          </p>
        </div>
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
  const [items, setItems] = useState<Explained[]>([]);
  const [live, setLive] = useState(false);
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    // Subscribe first, then read what was recorded before: merged by index, nothing is lost between.
    const stop = streamEvents(
      `/events?port=${encodeURIComponent(port)}`,
      (event) => {
        if (event.event === 'request') setItems((list) => merge(list, [event.data as Explained]));
        else if (event.event === 'imposter') onLifecycle();
      },
      setLive,
    );
    get<Explained[]>(`/imposters/${encodeURIComponent(port)}/savedRequests?explain=true`)
      .then((saved) => setItems((list) => merge(list, saved.slice(-KEEP))))
      .catch(setError);
    return stop;
  }, [port]);
  const clear = async () => {
    try {
      await api('DELETE', `/imposters/${encodeURIComponent(port)}/savedRequests`);
      setItems([]);
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
      </div>
      <ErrorList error={error} />
      <ol class="requests">
        {items.map((item) => (
          <RequestItem key={item.index} item={item} onEdit={onEdit} />
        ))}
      </ol>
    </section>
  );
}
