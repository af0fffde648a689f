// A stub rendered for reading: its predicates as "field operator value" lines (not/and/or
// nested), its responses summed up (status, headers, body; where a proxy sends; ...).

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const short = (v: unknown, max = 160): string => {
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return text.length > max ? `${text.slice(0, max)}…` : text;
};

const FIELD_OPERATORS = ['equals', 'deepEquals', 'contains', 'startsWith', 'endsWith', 'matches', 'exists'];

function PredicateLine({ predicate }: { predicate: Obj }) {
  const params: string[] = [];
  if (predicate.caseSensitive === true) params.push('case-sensitive');
  if (isObj(predicate.jsonpath)) params.push(`jsonpath ${short(predicate.jsonpath.selector)}`);
  if (isObj(predicate.xpath)) params.push(`xpath ${short(predicate.xpath.selector)}`);
  if (predicate.except !== undefined && predicate.except !== '') params.push(`except ${short(predicate.except)}`);
  const operator = Object.keys(predicate).find((k) => FIELD_OPERATORS.includes(k) || ['not', 'and', 'or', 'inject', '_rift'].includes(k));
  const suffix = params.length > 0 ? <span class="muted"> ({params.join(', ')})</span> : null;
  if (operator === undefined)
    return (
      <li>
        <code>{short(predicate)}</code>
      </li>
    );
  const value = predicate[operator];
  if (operator === 'inject')
    return (
      <li>
        inject <code>{short(value, 80)}</code>
      </li>
    );
  // Rift's script predicate: its script's engine and code (or the file or named script it runs).
  if (operator === '_rift' && isObj(value) && isObj(value.script)) {
    const script = value.script;
    const source = script.code ?? script.file ?? script.ref;
    return (
      <li>
        script{typeof script.engine === 'string' ? ` (${script.engine})` : ''} <code>{short(source, 80)}</code>
      </li>
    );
  }
  if (operator === 'not' && isObj(value)) {
    return (
      <li>
        not
        <ul>
          <PredicateLine predicate={value} />
        </ul>
      </li>
    );
  }
  if ((operator === 'and' || operator === 'or') && Array.isArray(value)) {
    return (
      <li>
        {operator}
        <ul>{value.map((p, i) => (isObj(p) ? <PredicateLine key={i} predicate={p} /> : null))}</ul>
      </li>
    );
  }
  if (!isObj(value))
    return (
      <li>
        {operator} <code>{short(value)}</code>
        {suffix}
      </li>
    );
  return (
    <>
      {Object.entries(value).map(([field, expected]) => (
        <li key={field}>
          <code>{field}</code> {operator} <code>{short(expected)}</code>
          {suffix}
        </li>
      ))}
    </>
  );
}

function ResponseLine({ response }: { response: Obj }) {
  const extras: string[] = [];
  if (typeof response.repeat === 'number') extras.push(`×${response.repeat}`);
  const behaviors = response.behaviors ?? response._behaviors;
  if (Array.isArray(behaviors)) extras.push(`behaviors: ${behaviors.flatMap((b) => (isObj(b) ? Object.keys(b) : [])).join(', ')}`);
  else if (isObj(behaviors)) extras.push(`behaviors: ${Object.keys(behaviors).join(', ')}`);
  const suffix = extras.length > 0 ? <span class="muted"> ({extras.join('; ')})</span> : null;
  if (isObj(response.is)) {
    const is = response.is;
    const headers = isObj(is.headers) ? Object.keys(is.headers).length : 0;
    return (
      <li>
        is <strong>{String(is.statusCode ?? 200)}</strong>
        {headers > 0 ? <span class="muted"> · {headers} header(s)</span> : null}
        {is.body !== undefined && is.body !== '' ? (
          <>
            {' '}
            · body <code>{short(is.body)}</code>
          </>
        ) : null}
        {is.data !== undefined ? (
          <>
            {' '}
            · data <code>{short(is.data)}</code>
          </>
        ) : null}
        {suffix}
      </li>
    );
  }
  if (isObj(response.proxy)) {
    return (
      <li>
        proxy to <code>{String(response.proxy.to)}</code> <span class="muted">({String(response.proxy.mode ?? 'proxyOnce')})</span>
        {suffix}
      </li>
    );
  }
  if (response.inject !== undefined)
    return (
      <li>
        inject <code>{short(response.inject, 80)}</code>
        {suffix}
      </li>
    );
  if (response.fault !== undefined)
    return (
      <li>
        fault <code>{short(response.fault)}</code>
        {suffix}
      </li>
    );
  const kind = Object.keys(response).find((k) => k !== 'repeat' && k !== 'behaviors' && k !== '_behaviors');
  return (
    <li>
      {kind ?? 'empty response'} {kind ? <code>{short(response[kind])}</code> : null}
      {suffix}
    </li>
  );
}

export function StubView({ stub }: { stub: Obj }) {
  const predicates = Array.isArray(stub.predicates) ? stub.predicates.filter(isObj) : [];
  const responses = Array.isArray(stub.responses) ? stub.responses.filter(isObj) : [];
  const scenario = typeof stub.scenarioName === 'string' ? stub.scenarioName : undefined;
  return (
    <div class="stub-view">
      {typeof stub.space === 'string' ? (
        <p>
          Only for flow <code>{stub.space}</code> (its space)
        </p>
      ) : null}
      {scenario !== undefined ? (
        <p>
          Scenario <code>{scenario}</code>
          {typeof stub.requiredScenarioState === 'string' ? (
            <>
              : answers while it is <code>{stub.requiredScenarioState}</code>
            </>
          ) : null}
          {typeof stub.newScenarioState === 'string' ? (
            <>
              , then moves it to <code>{stub.newScenarioState}</code>
            </>
          ) : null}
        </p>
      ) : null}
      <span class="label">Matches</span>
      {predicates.length === 0 ? (
        <p class="muted">every request (no predicates)</p>
      ) : (
        <ul>
          {predicates.map((p, i) => (
            <PredicateLine key={i} predicate={p} />
          ))}
        </ul>
      )}
      <span class="label">Responds, in turn</span>
      {responses.length === 0 ? (
        <p class="muted">the default response</p>
      ) : (
        <ol>
          {responses.map((r, i) => (
            <ResponseLine key={i} response={r} />
          ))}
        </ol>
      )}
    </div>
  );
}

export const hasProxy = (stubs: unknown[]): boolean =>
  stubs.some((s) => isObj(s) && Array.isArray(s.responses) && s.responses.some((r) => isObj(r) && r.proxy !== undefined));
