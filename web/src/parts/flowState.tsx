// Rift's flow state of one imposter (GET /imposters/:port/_rift): the store in force, and each
// flow id with its keys, values and the seconds each key has left.
import { useState } from 'preact/hooks';
import { api, get } from '../api.js';
import { ErrorList } from './errors.js';
import { usePoll } from './usePoll.js';

interface RiftState {
  flowState?: {
    backend: string;
    ttlSeconds: number;
    truncated: boolean;
    flows: Array<{ flowId: string; keys: Array<{ key: string; value: unknown; ttlSeconds: number }> }>;
  };
}

interface Props {
  port: string;
  /** The imposter's stubs: which keys are scenario states, which flows have a space of their own. */
  stubs: Array<Record<string, unknown>>;
}

export function FlowState({ port, stubs }: Props) {
  const state = usePoll(() => get<RiftState>(`/imposters/${encodeURIComponent(port)}/_rift`), 3000, [port]);
  const [error, setError] = useState<unknown>();
  const flowState = state.value?.flowState;
  // Scenario states are kept in the flow store, under the scenario's name.
  const scenarios = new Set(stubs.map((s) => s.scenarioName).filter((n): n is string => typeof n === 'string'));
  const spaces = new Map<string, number>();
  for (const stub of stubs) if (typeof stub.space === 'string') spaces.set(stub.space, (spaces.get(stub.space) ?? 0) + 1);
  const reset = async (flowId: string) => {
    setError(undefined);
    try {
      await api('POST', `/imposters/${encodeURIComponent(port)}/scenarios/reset`, { flowId });
      state.reload();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section data-testid="flow-state">
      <h2>Flow state</h2>
      <ErrorList error={state.error ?? error} />
      {spaces.size > 0 ? (
        <p>
          Spaces (flows with stubs of their own):{' '}
          {[...spaces].map(([space, count], i) => (
            <span key={space}>
              {i > 0 ? ', ' : ''}
              <code>{space}</code> ({count} stub{count === 1 ? '' : 's'})
            </span>
          ))}
        </p>
      ) : null}
      {flowState ? (
        <>
          <p class="muted">
            Rift's per-flow store ({flowState.backend}, keys expire {flowState.ttlSeconds} s after their last write), as scripts in <code>_rift.script</code>{' '}
            left it. <a href="/docs/rift">About flow state</a>.
          </p>
          {flowState.flows.length === 0 ? (
            <p>No flow holds a key.</p>
          ) : (
            <div class="table">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Flow id</th>
                    <th scope="col">Key</th>
                    <th scope="col">Value</th>
                    <th scope="col" class="num">
                      Expires in
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {flowState.flows.flatMap((flow) =>
                    flow.keys.map((k, i) => (
                      <tr key={`${flow.flowId}\u0000${k.key}`}>
                        <td>
                          {i === 0 ? <code>{flow.flowId}</code> : null}
                          {i === 0 && flow.keys.some((key) => scenarios.has(key.key)) ? (
                            <>
                              {' '}
                              <button type="button" class="small secondary" onClick={() => void reset(flow.flowId)}>
                                Reset scenarios
                              </button>
                            </>
                          ) : null}
                        </td>
                        <td>
                          <code>{k.key}</code>
                          {scenarios.has(k.key) ? <span class="muted"> (scenario state)</span> : null}
                        </td>
                        <td>
                          <code>{JSON.stringify(k.value)}</code>
                        </td>
                        <td class="num">{k.ttlSeconds < 0 ? 'never' : `${k.ttlSeconds} s`}</td>
                      </tr>
                    )),
                  )}
                </tbody>
              </table>
            </div>
          )}
          {flowState.truncated ? <p class="muted">More keys exist than are shown here.</p> : null}
        </>
      ) : null}
    </section>
  );
}
