// An imposter's stubs in order: each rendered for reading, editable as JSON in place (errors
// shown under it), moved up or down, deleted; and a new stub added at the end. A stub with an id
// is changed by its id (wherever it is now), one without by its position.
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { ConfirmButton } from './confirmButton.js';
import { ErrorList } from './errors.js';
import { JsonEditor } from './jsonEditor.js';
import { StubView } from './stubView.js';

type Stub = Record<string, unknown> & { id?: string };

interface Props {
  port: string;
  stubs: Stub[];
  /** The stub whose editor is open (opened from a near miss, say), or null. */
  editing: number | null;
  setEditing: (index: number | null) => void;
  onChanged: () => void;
}

const NEW_STUB = `{
  "predicates": [{ "equals": { "method": "GET", "path": "/" } }],
  "responses": [{ "is": { "statusCode": 200, "body": "" } }]
}`;

const stubPath = (port: string, stub: Stub, index: number) =>
  typeof stub.id === 'string' ? `/imposters/${port}/stubs/by-id/${encodeURIComponent(stub.id)}` : `/imposters/${port}/stubs/${index}`;

function StubCard({ port, stub, index, count, editing, setEditing, onChanged, stubs }: Props & { stub: Stub; index: number; count: number }) {
  const [error, setError] = useState<unknown>();
  const title = `Stub ${index}${typeof stub.id === 'string' ? ` “${stub.id}”` : ''}`;
  const move = async (to: number) => {
    setError(undefined);
    const reordered = [...stubs];
    const [moved] = reordered.splice(index, 1);
    reordered.splice(to, 0, moved!);
    try {
      await api('PUT', `/imposters/${port}/stubs`, { stubs: reordered });
      onChanged();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <li class="card stub" id={`stub-${index}`} data-testid={`stub-${index}`}>
      <header>
        <h3>{title}</h3>
        <div class="tools">
          <button type="button" class="small secondary" onClick={() => setEditing(editing === index ? null : index)} aria-expanded={editing === index}>
            Edit
          </button>
          <button type="button" class="small secondary" disabled={index === 0} onClick={() => void move(index - 1)} aria-label={`Move ${title} up`}>
            ↑
          </button>
          <button type="button" class="small secondary" disabled={index === count - 1} onClick={() => void move(index + 1)} aria-label={`Move ${title} down`}>
            ↓
          </button>
          <ConfirmButton
            small
            label="Delete"
            what={`Delete ${title}`}
            action={async () => {
              await api('DELETE', stubPath(port, stub, index));
              onChanged();
            }}
          />
        </div>
      </header>
      <ErrorList error={error} />
      {editing === index ? (
        <JsonEditor
          label={`${title} as JSON`}
          initial={JSON.stringify(stub, null, 2)}
          submitLabel="Save stub"
          rows={Math.min(24, JSON.stringify(stub, null, 2).split('\n').length + 2)}
          onSubmit={async (value) => {
            await api('PUT', stubPath(port, stub, index), value);
            setEditing(null);
            onChanged();
          }}
          onCancel={() => setEditing(null)}
          testId={`edit-stub-${index}`}
        />
      ) : (
        <StubView stub={stub as never} />
      )}
    </li>
  );
}

export function StubList(props: Props) {
  const [adding, setAdding] = useState(false);
  return (
    <section>
      <h2>Stubs</h2>
      <p class="muted">The first stub whose predicates all match answers the request.</p>
      {props.stubs.length === 0 ? <p>No stubs: every request gets the default response.</p> : null}
      <ol class="stubs">
        {props.stubs.map((stub, index) => (
          <StubCard key={`${index}:${stub.id ?? ''}`} {...props} stub={stub} index={index} count={props.stubs.length} />
        ))}
      </ol>
      {adding ? (
        <JsonEditor
          label="New stub (added at the end)"
          initial={NEW_STUB}
          submitLabel="Add stub"
          onSubmit={async (value) => {
            await api('POST', `/imposters/${props.port}/stubs`, { stub: value });
            setAdding(false);
            props.onChanged();
          }}
          onCancel={() => setAdding(false)}
          testId="add-stub"
        />
      ) : (
        <button type="button" onClick={() => setAdding(true)}>
          Add a stub
        </button>
      )}
    </section>
  );
}
