// Rift's filters over recorded requests, for savedRequests and the event stream: `match=` clauses
// (header:<Name>=<Value>, flow_id=<Value>, method=<Verb>, path=<Path>, all exact, AND-ed) and the
// `since=` cursor. A malformed filter is refused, never read as "no filter", which would hand a
// test every other test's requests.
import { headerValues } from '../core/flowId.js';
import { validationError } from '../model/errors.js';
import type { ProtocolRequest } from '../model/request.js';
import type { EventView } from '../events/eventLog.js';

/** Whether a request passes; `flowId` is the request's flow id, undefined when it has none. */
export type RequestFilter = (request: ProtocolRequest, flowId: string | undefined) => boolean;

const EXPECTED = 'expected header:<Name>=<Value>, flow_id=<Value>, method=<Verb> or path=<Path>';

function clause(text: string): RequestFilter {
  if (text.startsWith('header:')) {
    const rest = text.slice('header:'.length);
    const eq = rest.indexOf('=');
    if (eq === -1) throw validationError(`invalid match clause '${text}' (expected header:<Name>=<Value>)`);
    const name = rest.slice(0, eq);
    const value = rest.slice(eq + 1);
    if (name === '') throw validationError(`invalid match clause '${text}' (empty header name)`);
    return (request) => headerValues(request, name).includes(value);
  }
  if (text.startsWith('flow_id=')) {
    const value = text.slice('flow_id='.length);
    return (_request, flowId) => flowId === value;
  }
  if (text.startsWith('method=')) {
    const value = text.slice('method='.length);
    return (request) => request.method === value;
  }
  if (text.startsWith('path=')) {
    const value = text.slice('path='.length);
    return (request) => request.path === value;
  }
  throw validationError(`unsupported match clause '${text}' (${EXPECTED})`);
}

/** Every `match=` of the query as one filter; null when there are none. */
export function parseMatchClauses(query: URLSearchParams): RequestFilter | null {
  const clauses = query.getAll('match').map(clause);
  if (clauses.length === 0) return null;
  return (request, flowId) => clauses.every((c) => c(request, flowId));
}

/** `since=<index>`: null when absent. */
export function parseSince(query: URLSearchParams): number | null {
  const text = query.get('since');
  if (text === null) return null;
  if (!/^\d+$/.test(text)) throw validationError(`invalid since cursor '${text}' (expected a non-negative integer)`);
  return Number(text);
}

/** `view=full` (the default) or `view=summary`: how request events and savedRequests print a request. */
export function parseView(query: URLSearchParams): EventView {
  const view = query.get('view');
  if (view === null || view === 'full') return 'full';
  if (view === 'summary') return 'summary';
  throw validationError(`unknown view '${view}' (expected full|summary)`);
}
