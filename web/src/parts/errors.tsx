// An admin API refusal shown where the user acted: each error's code and message, and the part
// of what was sent that it is about (`source`), as text.
import { ApiError } from '../api.js';

export function ErrorList({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  if (!(error instanceof ApiError)) {
    return (
      <div class="error" role="alert">
        {error instanceof Error ? error.message : String(error)}
      </div>
    );
  }
  return (
    <div class="error" role="alert">
      {error.errors.length === 0 ? <p>HTTP {error.status}</p> : null}
      {error.errors.map((e, i) => (
        <div key={i} class="error-item">
          <p>
            <strong>{e.code ?? 'error'}</strong>: {e.message}
          </p>
          {e.source !== undefined ? (
            <>
              <p class="muted">in:</p>
              <pre class="source">{typeof e.source === 'string' ? e.source : JSON.stringify(e.source, null, 2)}</pre>
            </>
          ) : null}
        </div>
      ))}
    </div>
  );
}
