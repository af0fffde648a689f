// Seeing inside an imposter: the dry run (POST /imposters/:id/test), the recorded requests with
// Rift's cursor and filters (GET savedRequests), Rift's server-side verify, and the flow state
// `_rift` holds (GET /imposters/:id/_rift).
import type { ImposterRegistry } from '../../core/imposterRegistry.js';
import { flowIdOf } from '../../core/flowId.js';
import { explainedRecord } from '../../core/recordedRequest.js';
import { summaryOf } from '../../core/requestEvent.js';
import { closestOf } from '../../core/stubReports.js';
import { verifyRequests, type ExpectedCount, type VerifyOptions } from '../../core/verify.js';
import { StandinError, validationError } from '../../model/errors.js';
import { isPlainObject } from '../../model/plainObject.js';
import { flag, ok, type AdminReply, type AdminRequest } from '../adminHttp.js';
import { parseMatchClauses, parseSince, parseView } from '../requestFilter.js';
import { findImposter } from './findImposter.js';
import { requestToTest } from './testRequest.js';

export function inspectController(registry: ImposterRegistry) {
  return {
    /** What the imposter's `_rift` holds now: its flow store's settings, flows, keys and their TTLs. */
    async rift(req: AdminRequest): Promise<AdminReply> {
      const imposter = findImposter(registry, req);
      return ok((await imposter.inspectExtension('_rift')) ?? {});
    },

    /** Which stub would answer the request and why each did or did not match; nothing moves. */
    async test(req: AdminRequest): Promise<AdminReply> {
      const imposter = findImposter(registry, req);
      const request = requestToTest(imposter, req.body);
      const { answering, reports } = await imposter.test(request);
      const out: Record<string, unknown> = { request, matched: answering !== -1, stubIndex: answering === -1 ? null : answering };
      if (answering !== -1) {
        const stub = imposter.stubs[answering]!;
        if (stub.id !== undefined) out.stubId = stub.id;
        out.response = (await imposter.upcomingResponse(stub)).config;
      } else {
        const nearMiss = closestOf(reports);
        if (nearMiss !== undefined) out.nearMiss = nearMiss;
      }
      out.stubs = reports;
      return ok(out);
    },

    /**
     * Rift's savedRequests: the journal as a bare array (mountebank's request shape), cut by
     * `since=` and `match=`; the cursor rides in headers. `explain=true` wraps each request with
     * the stub that answered it, or the closest stub and its failed clauses; `view=summary` gives
     * the event stream's summaries instead (a list of requests without their headers and
     * bodies); `last=N` keeps the newest N.
     */
    savedRequests(req: AdminRequest): AdminReply {
      const imposter = findImposter(registry, req);
      const since = parseSince(req.query);
      const match = parseMatchClauses(req.query);
      const last = parseLast(req.query);
      const summary = parseView(req.query) === 'summary';
      let records = imposter
        .recorded(since)
        .filter((record) => match === null || match(record.request, flowIdOf(imposter.config, imposter.port, record.request)));
      if (last !== null) records = records.slice(Math.max(0, records.length - last));
      const body = summary
        ? records.map((record) => summaryOf(imposter.port, record))
        : flag(req.query, 'explain')
          ? records.map(explainedRecord)
          : records.map((record) => record.request);
      const headers: Record<string, string> = { 'x-rift-next-index': String(imposter.journal?.lastIndex ?? 0) };
      if (since !== null && imposter.journal?.evictedAfter(since)) headers['x-rift-truncated'] = 'true';
      return ok(body, headers);
    },

    /** One recorded request by its index, as `explain=true` gives it (what the dashboard shows when a request is opened). */
    savedRequest(req: AdminRequest): AdminReply {
      const imposter = findImposter(registry, req);
      const text = req.params.index ?? '';
      if (!/^[1-9]\d*$/.test(text)) throw validationError(`invalid request index '${text}' (expected the index of a recorded request, 1 or more)`);
      const index = Number(text);
      const record = imposter.recorded(index - 1)[0];
      if (record === undefined || record.index !== index) {
        const held = imposter.recorded();
        const range = held.length === 0 ? 'it holds none' : `it holds ${held[0]!.index} to ${held[held.length - 1]!.index}`;
        throw new StandinError('no such resource', `request ${index} is not in the journal of imposter ${imposter.port} (${range})`);
      }
      return ok(explainedRecord(record));
    },

    async verify(req: AdminRequest): Promise<AdminReply> {
      const imposter = findImposter(registry, req);
      const options = verifyOptions(req.body);
      try {
        return ok(await verifyRequests(imposter, options));
      } catch (err) {
        if (err instanceof StandinError) throw err;
        // A predicate's own code (inject) failed: the caller's predicate, so a 400.
        throw validationError(`a predicate failed while verifying: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  };
}

function parseLast(query: URLSearchParams): number | null {
  const text = query.get('last');
  if (text === null) return null;
  if (!/^\d+$/.test(text)) throw validationError(`invalid last '${text}' (expected how many of the newest requests to keep, a non-negative integer)`);
  return Number(text);
}

function verifyOptions(body: unknown): VerifyOptions {
  if (!isPlainObject(body)) throw validationError('the body must be an object such as {"predicates": [{"equals": {"path": "/orders"}}]}');
  const predicates = body.predicates ?? [];
  if (!Array.isArray(predicates)) throw validationError("'predicates' must be an array of predicates");
  const flowId = body.flowId;
  if (flowId !== undefined && typeof flowId !== 'string') throw validationError("'flowId' must be a string");
  return {
    predicates,
    flowId,
    includeRequests: body.includeRequests === true,
    includeClosest: body.includeClosest === true,
    times: body.times === undefined ? undefined : expectedCount(body.times),
  };
}

const TIMES_MESSAGE = '\'times\' must be a count (2) or a range ({"atLeast": 1, "atMost": 3})';

function expectedCount(times: unknown): ExpectedCount {
  const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (isCount(times)) return { atLeast: times, atMost: times };
  if (!isPlainObject(times) || Object.keys(times).some((key) => key !== 'atLeast' && key !== 'atMost')) throw validationError(TIMES_MESSAGE);
  const { atLeast = 0, atMost = Infinity } = times;
  const most = atMost === Infinity ? Infinity : isCount(atMost) ? atMost : undefined;
  if (!isCount(atLeast) || most === undefined || most < atLeast) throw validationError(TIMES_MESSAGE);
  return { atLeast, atMost: most };
}
