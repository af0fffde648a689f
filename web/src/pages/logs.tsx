// Logs: the entries GET /logs keeps, newest last, filtered by level and text.
import { useState } from 'preact/hooks';
import { get } from '../api.js';
import { ErrorList } from '../parts/errors.js';
import { usePoll } from '../parts/usePoll.js';

interface Entry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  timestamp: string;
}

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

export function LogsPage() {
  const logs = usePoll(() => get<{ logs: Entry[] }>('/logs'), 2000);
  const [level, setLevel] = useState<Entry['level']>('info');
  const [text, setText] = useState('');
  const floor = LEVELS.indexOf(level);
  const shown = (logs.value?.logs ?? []).filter((e) => LEVELS.indexOf(e.level) >= floor && (text === '' || e.message.includes(text)));
  return (
    <>
      <h1>Logs</h1>
      <div class="toolbar">
        <label>
          <span class="label">Level</span>
          <select value={level} onChange={(e) => setLevel((e.target as HTMLSelectElement).value as Entry['level'])} data-testid="log-level">
            {LEVELS.map((l) => (
              <option key={l} value={l}>
                {l} and above
              </option>
            ))}
          </select>
        </label>
        <label>
          <span class="label">Containing</span>
          <input type="search" value={text} onInput={(e) => setText((e.target as HTMLInputElement).value)} />
        </label>
        <span class="muted">
          {shown.length} of {logs.value?.logs.length ?? 0} entries
        </span>
      </div>
      <ErrorList error={logs.error} />
      <ol class="log" data-testid="log-entries">
        {shown.slice(-1000).map((e, i) => (
          <li key={i} class={`level-${e.level}`}>
            <time>{e.timestamp.replace('T', ' ').replace('Z', '')}</time> <span class="level">{e.level}</span> <span class="message">{e.message}</span>
          </li>
        ))}
      </ol>
    </>
  );
}
