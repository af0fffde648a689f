// The dashboard's script: picks the page from the address, and asks for the API key when the
// admin API answers 401 (standin started with --apikey). Everything is rendered as text nodes by
// Preact: no request data ever becomes markup.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { apiKey, whenUnauthorized } from './api.js';
import { HomePage } from './pages/home.js';
import { ImposterPage } from './pages/imposter.js';
import { ImpostersPage } from './pages/imposters.js';
import { LogsPage } from './pages/logs.js';

function pageFor(path: string) {
  if (path === '/' || path === '') return <HomePage />;
  if (/^\/imposters\/?$/.test(path)) return <ImpostersPage />;
  const imposter = /^\/imposters\/([^/]+)\/?$/.exec(path);
  if (imposter) return <ImposterPage port={decodeURIComponent(imposter[1]!)} />;
  if (/^\/logs\/?$/.test(path)) return <LogsPage />;
  return (
    <p>
      No page here. <a href="/">Home</a>
    </p>
  );
}

function KeyForm({ onKey }: { onKey: () => void }) {
  const [key, setKey] = useState('');
  const hadKey = apiKey.get() !== null;
  return (
    <form
      class="card key-form"
      onSubmit={(e) => {
        e.preventDefault();
        apiKey.set(key);
        onKey();
      }}
    >
      <h1>API key required</h1>
      <p>
        This standin was started with <code>--apikey</code>: enter the key to use the dashboard. It is kept in this tab only.
      </p>
      {hadKey ? (
        <p class="error" role="alert">
          The key given was refused.
        </p>
      ) : null}
      <label>
        <span class="label">API key</span>
        <input type="password" name="apikey" autocomplete="off" autoFocus value={key} onInput={(e) => setKey((e.target as HTMLInputElement).value)} />
      </label>
      <div class="actions">
        <button type="submit">Use this key</button>
      </div>
    </form>
  );
}

function App() {
  const [needKey, setNeedKey] = useState(false);
  const [generation, setGeneration] = useState(0);
  useEffect(() => whenUnauthorized(() => setNeedKey(true)), []);
  if (needKey) {
    return (
      <KeyForm
        onKey={() => {
          setNeedKey(false);
          setGeneration((g) => g + 1);
        }}
      />
    );
  }
  return <div key={generation}>{pageFor(location.pathname)}</div>;
}

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
