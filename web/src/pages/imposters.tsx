// Imposters: the list (port, protocol, name, requests, stubs), creating one from pasted or
// uploaded JSON, deleting, and the whole set downloaded or uploaded as `standin save` writes it.
import { useEffect, useState } from 'preact/hooks';
import { api, download, get, streamEvents } from '../api.js';
import { ConfirmButton } from '../parts/confirmButton.js';
import { ErrorList } from '../parts/errors.js';
import { JsonEditor, parseJson } from '../parts/jsonEditor.js';
import { usePoll } from '../parts/usePoll.js';

interface ListEntry {
  protocol: string;
  port: number;
  name?: string;
  numberOfRequests?: number;
}

interface Definition extends ListEntry {
  stubs?: unknown[];
}

interface Row extends ListEntry {
  stubs: number;
}

async function loadRows(): Promise<Row[]> {
  const [list, full] = await Promise.all([get<{ imposters: ListEntry[] }>('/imposters'), get<{ imposters: Definition[] }>('/imposters?replayable=true')]);
  const stubs = new Map(full.imposters.map((i) => [i.port, i.stubs?.length ?? 0]));
  return list.imposters.map((i) => ({ ...i, stubs: stubs.get(i.port) ?? 0 }));
}

const TEMPLATE = `{
  "protocol": "http",
  "port": 4545,
  "name": "my service",
  "recordRequests": true,
  "stubs": [
    {
      "predicates": [{ "equals": { "method": "GET", "path": "/hello" } }],
      "responses": [{ "is": { "statusCode": 200, "body": "hello" } }]
    }
  ]
}`;

/** Reads a file the user chose as text. */
const readFile = (input: HTMLInputElement): Promise<string | undefined> => input.files?.[0]?.text() ?? Promise.resolve(undefined);

export function ImpostersPage() {
  const rows = usePoll(loadRows, 3000);
  const [creating, setCreating] = useState(false);
  const [createText, setCreateText] = useState(TEMPLATE);
  const [uploadError, setUploadError] = useState<unknown>();
  const [notice, setNotice] = useState('');
  // Imposters created, replaced or deleted elsewhere show at once.
  useEffect(() => streamEvents('/events?types=lifecycle', () => rows.reload()), []);

  const create = async (value: unknown) => {
    const created = await api<{ port: number }>('POST', '/imposters', value);
    setCreating(false);
    setNotice(`Imposter ${created.port} created.`);
    rows.reload();
  };

  const downloadAll = async () => {
    const all = await get<unknown>('/imposters?replayable=true');
    download('imposters.json', JSON.stringify(all, null, 2));
  };

  const upload = async (input: HTMLInputElement) => {
    setUploadError(undefined);
    const text = await readFile(input);
    input.value = '';
    if (text === undefined) return;
    const parsed = parseJson(text);
    try {
      if ('error' in parsed) throw new Error(parsed.error);
      const result = await api<{ imposters: unknown[] }>('PUT', '/imposters', parsed.value);
      setNotice(`Loaded ${result.imposters.length} imposter(s) from the file, in place of the ones running.`);
      rows.reload();
    } catch (err) {
      setUploadError(err);
    }
  };

  return (
    <>
      <h1>Imposters</h1>
      <div class="toolbar">
        <button type="button" onClick={() => setCreating(!creating)} aria-expanded={creating}>
          New imposter
        </button>
        <button type="button" class="secondary" onClick={() => void downloadAll()}>
          Download all
        </button>
        <label class="button secondary">
          Upload (replaces all)
          <input
            type="file"
            accept=".json,application/json"
            class="visually-hidden"
            onChange={(e) => void upload(e.target as HTMLInputElement)}
            data-testid="upload-all"
          />
        </label>
      </div>
      {notice ? (
        <p class="notice" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorList error={uploadError} />
      {creating ? (
        <section class="card">
          <h2>New imposter</h2>
          <p class="muted">
            Paste an imposter in mountebank's JSON, or load it from a file. <a href="/docs/imposters">What goes in one</a>.
          </p>
          <label class="inline">
            <span class="label">From a file</span>
            <input
              type="file"
              accept=".json,application/json"
              onChange={async (e) => {
                const text = await readFile(e.target as HTMLInputElement);
                if (text !== undefined) setCreateText(text);
              }}
            />
          </label>
          <JsonEditor
            key={createText}
            label="Imposter JSON"
            initial={createText}
            submitLabel="Create"
            onSubmit={create}
            onCancel={() => setCreating(false)}
            rows={16}
            testId="create-imposter"
          />
        </section>
      ) : null}
      <ErrorList error={rows.error} />
      {rows.value && rows.value.length === 0 ? <p>No imposters yet. Create one with “New imposter”.</p> : null}
      {rows.value && rows.value.length > 0 ? (
        <table class="list" data-testid="imposters">
          <thead>
            <tr>
              <th scope="col">Port</th>
              <th scope="col">Protocol</th>
              <th scope="col">Name</th>
              <th scope="col" class="num">
                Requests
              </th>
              <th scope="col" class="num">
                Stubs
              </th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.value.map((row) => (
              <tr key={row.port}>
                <td>
                  <a href={`/imposters/${row.port}`}>{row.port}</a>
                </td>
                <td>{row.protocol}</td>
                <td>{row.name ?? ''}</td>
                <td class="num">{row.numberOfRequests ?? 0}</td>
                <td class="num">{row.stubs}</td>
                <td>
                  <ConfirmButton
                    label="Delete"
                    what={`Delete imposter ${row.port}`}
                    action={async () => {
                      await api('DELETE', `/imposters/${row.port}`);
                      rows.reload();
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
