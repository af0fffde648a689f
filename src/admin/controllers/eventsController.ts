// GET /events and GET /imposters/:id/savedRequests/stream: the event log as Server-Sent Events,
// in Rift's shapes (hello, request, imposter, lagged), resumable with Last-Event-ID.
import type { ImposterRegistry } from '../../core/imposterRegistry.js';
import type { EventFamily, EventLog, LoggedEvent } from '../../events/eventLog.js';
import { StandinError, validationError } from '../../model/errors.js';
import { VERSION } from '../../model/version.js';
import { ok, StreamBody, type AdminReply, type AdminRequest } from '../adminHttp.js';
import { openEventStream } from '../eventStream.js';
import { parseMatchClauses, parseView, type RequestFilter } from '../requestFilter.js';

function parseTypes(text: string | null): EventFamily[] {
  if (text === null) return ['requests', 'lifecycle'];
  const types: EventFamily[] = [];
  for (const type of text.split(',').filter(Boolean)) {
    if (type !== 'requests' && type !== 'lifecycle') throw validationError(`unknown types value '${type}' (expected requests|lifecycle)`);
    if (!types.includes(type)) types.push(type);
  }
  return types;
}

function parseLastEventId(req: AdminRequest): number | null {
  const header = req.raw.headers['last-event-id'];
  const text = (Array.isArray(header) ? header[0] : header) ?? req.query.get('lastEventId');
  if (text === undefined || text === null || text.trim() === '') return null;
  if (!/^\d+$/.test(text.trim())) throw validationError(`invalid Last-Event-ID '${text}' (expected the id of an event)`);
  return Number(text.trim());
}

function accepts(types: EventFamily[], port: number | null, match: RequestFilter | null) {
  return (event: LoggedEvent): boolean => {
    if (!types.includes(event.family)) return false;
    if (port !== null && event.port !== null && event.port !== port) return false;
    if (event.family === 'requests' && match !== null) return match(event.content!.request, event.content!.flowId());
    return true;
  };
}

export function eventsController(registry: ImposterRegistry, log: EventLog) {
  const stream = (req: AdminRequest, types: EventFamily[], port: number | null): AdminReply => {
    if (port !== null && !registry.get(port)) throw new StandinError('no such resource', `no imposter on port ${port}`);
    const match = parseMatchClauses(req.query);
    const lastEventId = parseLastEventId(req);
    const view = parseView(req.query);
    const hello = { engineVersion: VERSION, seq: log.lastId, types, port, ...(view === 'summary' ? { view } : {}) };
    return ok(new StreamBody((res, headers) => openEventStream(res, log, { accepts: accepts(types, port, match), lastEventId, hello, headers, view })));
  };
  return {
    events(req: AdminRequest): AdminReply {
      const portText = req.query.get('port');
      if (portText !== null && !/^\d+$/.test(portText)) throw validationError(`invalid port: ${portText}`);
      return stream(req, parseTypes(req.query.get('types')), portText === null ? null : Number(portText));
    },

    /** Rift's alias: the request events of one imposter. */
    savedRequestsStream(req: AdminRequest): AdminReply {
      const port = Number(req.params.id);
      if (!/^\d+$/.test(req.params.id ?? '')) throw new StandinError('no such resource', 'Try POSTing to /imposters first?');
      return stream(req, ['requests'], port);
    },
  };
}
