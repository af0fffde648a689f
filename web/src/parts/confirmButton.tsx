// A button for what cannot be undone: the first press arms it ("Really …?"), the second acts;
// leaving it disarms it. Keyboard and screen readers get the same two steps.
import { useState } from 'preact/hooks';
import { ErrorList } from './errors.js';

interface Props {
  label: string;
  /** What it does, for the accessible name: "Delete imposter 4545". */
  what: string;
  action: () => Promise<void>;
  small?: boolean;
}

export function ConfirmButton({ label, what, action, small }: Props) {
  const [armed, setArmed] = useState(false);
  const [error, setError] = useState<unknown>();
  return (
    <>
      <button
        type="button"
        class={`${small ? 'small ' : ''}${armed ? 'danger' : 'secondary'}`}
        aria-label={armed ? `Really ${what.charAt(0).toLowerCase()}${what.slice(1)}?` : what}
        onBlur={() => setArmed(false)}
        onClick={async () => {
          if (!armed) {
            setArmed(true);
            return;
          }
          setError(undefined);
          try {
            await action();
            setArmed(false);
          } catch (err) {
            setError(err);
          }
        }}
      >
        {armed ? `Really ${label.toLowerCase()}?` : label}
      </button>
      <ErrorList error={error} />
    </>
  );
}
