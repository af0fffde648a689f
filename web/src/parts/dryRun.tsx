// "Test a request": the dry run (POST /imposters/:port/test). Says which stub would answer and
// with what, or which stub came closest and why it did not match; nothing is recorded or cycled.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { ClauseTable, NearMiss, stubName, type StubReport } from './clauses.js';
import { ErrorList } from './errors.js';

interface DryRunAnswer {
  matched: boolean;
  stubIndex: number | null;
  stubId?: string;
  response?: unknown;
  nearMiss?: StubReport;
  stubs: StubReport[];
}

/** "Name: value" lines into a headers object. */
function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

export function DryRun({ port, onEdit }: { port: string; onEdit: (index: number) => void }) {
  const [method, setMethod] = useState('GET');
  const [path, setPath] = useState('/');
  const [headers, setHeaders] = useState('');
  const [body, setBody] = useState('');
  const [answer, setAnswer] = useState<DryRunAnswer>();
  const [error, setError] = useState<unknown>();
  const run = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    try {
      setAnswer(await api<DryRunAnswer>('POST', `/imposters/${port}/test`, { request: { method, path, headers: parseHeaders(headers), body } }));
    } catch (err) {
      setAnswer(undefined);
      setError(err);
    }
  };
  return (
    <section class="card" data-testid="dry-run">
      <h2>Test a request</h2>
      <p class="muted">Which stub would answer, without sending anything: no response runs, nothing is recorded.</p>
      <form onSubmit={run}>
        <div class="form-grid">
          <label for="dry-method">Method</label>
          <input id="dry-method" value={method} onInput={(e) => setMethod((e.target as HTMLInputElement).value)} list="methods" />
          <label for="dry-path">Path</label>
          <input id="dry-path" value={path} onInput={(e) => setPath((e.target as HTMLInputElement).value)} />
          <label for="dry-headers">Headers</label>
          <textarea
            id="dry-headers"
            rows={2}
            placeholder="Content-Type: application/json"
            value={headers}
            onInput={(e) => setHeaders((e.target as HTMLTextAreaElement).value)}
          />
          <label for="dry-body">Body</label>
          <textarea id="dry-body" rows={3} value={body} onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)} />
        </div>
        <datalist id="methods">
          {['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'].map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
        <div class="actions">
          <button type="submit">Test</button>
        </div>
      </form>
      <ErrorList error={error} />
      {answer ? (
        <div class="dry-answer" role="status">
          {answer.matched && answer.stubIndex !== null ? (
            <>
              <p>
                <span class="matched">Matched:</span> {stubName({ index: answer.stubIndex, id: answer.stubId })} would answer with
              </p>
              <pre>{JSON.stringify(answer.response, null, 2)}</pre>
            </>
          ) : answer.nearMiss ? (
            <NearMiss report={answer.nearMiss} onEdit={onEdit} />
          ) : (
            <p class="missed">No stub would match: the imposter has no stubs, so the default response answers.</p>
          )}
          {answer.stubs.length > 1 ? (
            <details>
              <summary>Every stub's verdict</summary>
              <ul>
                {answer.stubs.map((report) => (
                  <li key={report.index}>
                    {stubName(report)}: {report.matched ? <span class="matched">matches</span> : `${report.held} of ${report.total} clauses held`}
                    {!report.matched ? <ClauseTable clauses={report.failed} /> : null}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
