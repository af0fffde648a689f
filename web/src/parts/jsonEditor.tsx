// A JSON text area that parses before anything is sent: a syntax error is shown at once, with
// its line and column; the server's refusal is shown below it by the caller.
import { useState } from 'preact/hooks';
import { ErrorList } from './errors.js';

interface Props {
  label: string;
  initial: string;
  submitLabel: string;
  onSubmit: (value: unknown) => Promise<void>;
  onCancel?: () => void;
  rows?: number;
  testId?: string;
}

/** `JSON.parse`'s message with the line and column of its position, where the engine gives one. */
export function parseJson(text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const position = /position (\d+)/.exec(message);
    if (!position) return { error: `Not valid JSON: ${message}` };
    const before = text.slice(0, Number(position[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    return { error: `Not valid JSON at line ${line}, column ${column}: ${message}` };
  }
}

export function JsonEditor({ label, initial, submitLabel, onSubmit, onCancel, rows = 12, testId }: Props) {
  const [text, setText] = useState(initial);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const parsed = parseJson(text);
    if ('error' in parsed) {
      setError(new Error(parsed.error));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await onSubmit(parsed.value);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="json-editor" onSubmit={submit} data-testid={testId}>
      <label>
        <span class="label">{label}</span>
        <textarea rows={rows} spellcheck={false} value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
      </label>
      <ErrorList error={error} />
      <div class="actions">
        <button type="submit" disabled={busy}>
          {submitLabel}
        </button>
        {onCancel ? (
          <button type="button" class="secondary" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
