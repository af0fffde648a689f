// One imposter: what it is, its stubs (read, edit, reorder, add, delete), its requests live with
// the stub that answered or why none did, the dry run, and for proxies the switch from
// recording to replaying (removeProxies).
import { useState } from 'preact/hooks';
import { api, download, get } from '../api.js';
import { ConfirmButton } from '../parts/confirmButton.js';
import { DryRun } from '../parts/dryRun.js';
import { ErrorList } from '../parts/errors.js';
import { FlowState } from '../parts/flowState.js';
import { RequestStream } from '../parts/requestStream.js';
import { StubList } from '../parts/stubList.js';
import { hasProxy } from '../parts/stubView.js';
import { usePoll } from '../parts/usePoll.js';

interface Definition {
  protocol: string;
  port: number;
  name?: string;
  recordRequests?: boolean;
  stubs?: Array<Record<string, unknown>>;
}

interface Loaded {
  definition: Definition;
  requests: number;
  mock: boolean;
}

async function load(port: string): Promise<Loaded> {
  const id = encodeURIComponent(port);
  const [definition, list, config] = await Promise.all([
    get<Definition>(`/imposters/${id}?replayable=true`),
    get<{ imposters: Array<{ port: number; numberOfRequests?: number }> }>('/imposters'),
    get<{ options: { mock?: boolean } }>('/config'),
  ]);
  const entry = list.imposters.find((i) => String(i.port) === port);
  return { definition, requests: entry?.numberOfRequests ?? 0, mock: config.options.mock === true };
}

function ReplayControl({ port, onDone }: { port: string; onDone: (notice: string) => void }) {
  const [error, setError] = useState<unknown>();
  const replay = async () => {
    setError(undefined);
    try {
      const recorded = await get<Definition>(`/imposters/${encodeURIComponent(port)}?replayable=true&removeProxies=true`);
      const stubs = recorded.stubs ?? [];
      await api('PUT', `/imposters/${encodeURIComponent(port)}/stubs`, { stubs });
      // This control goes once no proxy is left: the page says what happened.
      onDone(`Now replaying: ${stubs.length} stub(s) of recorded responses, no proxy left.`);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div class="card">
      <h2>Record, then replay</h2>
      <p>
        This imposter proxies. Once it has recorded what you need, replace its stubs with the recorded responses alone: the origin is no longer called (as{' '}
        <code>standin replay</code> does).
      </p>
      <button type="button" onClick={() => void replay()}>
        Replay recorded responses
      </button>
      <ErrorList error={error} />
    </div>
  );
}

export function ImposterPage({ port }: { port: string }) {
  const loaded = usePoll(() => load(port), 5000, [port]);
  const [editing, setEditing] = useState<number | null>(null);
  const [deleted, setDeleted] = useState(false);
  const [notice, setNotice] = useState('');
  const openEditor = (index: number) => {
    setEditing(index);
    requestAnimationFrame(() => document.getElementById(`stub-${index}`)?.scrollIntoView({ block: 'start' }));
  };
  if (deleted) {
    return (
      <p>
        Imposter {port} was deleted. <a href="/imposters">All imposters</a>
      </p>
    );
  }
  if (!loaded.value) {
    return (
      <>
        <h1>Imposter {port}</h1>
        <ErrorList error={loaded.error} />
        {loaded.error ? <a href="/imposters">All imposters</a> : <p class="muted">Loading…</p>}
      </>
    );
  }
  const { definition, requests, mock } = loaded.value;
  const stubs = definition.stubs ?? [];
  return (
    <>
      <p>
        <a href="/imposters">Imposters</a> /
      </p>
      <h1>
        {definition.protocol}:{definition.port}
        {definition.name ? ` ${definition.name}` : ''}
      </h1>
      <div class="toolbar">
        <span class="pill">{requests} request(s)</span>
        <span class="pill">{definition.recordRequests ? 'records requests' : 'does not record requests'}</span>
        <button type="button" class="secondary" onClick={() => download(`imposter-${port}.json`, JSON.stringify(definition, null, 2))}>
          Download JSON
        </button>
        <ConfirmButton
          label="Delete imposter"
          what={`Delete imposter ${port}`}
          action={async () => {
            await api('DELETE', `/imposters/${encodeURIComponent(port)}`);
            setDeleted(true);
          }}
        />
      </div>
      <ErrorList error={loaded.error} />
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      {hasProxy(stubs) ? (
        <ReplayControl
          port={port}
          onDone={(text) => {
            setNotice(text);
            loaded.reload();
          }}
        />
      ) : null}
      <div class="split">
        <StubList port={port} stubs={stubs} editing={editing} setEditing={setEditing} onChanged={loaded.reload} />
        <div>
          <RequestStream port={port} recording={definition.recordRequests === true || mock} onEdit={openEditor} onLifecycle={loaded.reload} />
          <DryRun port={port} onEdit={openEditor} />
          <FlowState port={port} stubs={stubs} />
        </div>
      </div>
    </>
  );
}
