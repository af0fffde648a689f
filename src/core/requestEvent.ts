// A recorded request as the event log carries it: a reference to the record, built into the
// documented `request` event (the whole request) or the summary view (what a list of live
// requests shows) only when a client is sent it. Publishing costs one small object per request.
import type { RequestEventContent } from '../events/eventLog.js';
import type { ProtocolRequest } from '../model/request.js';
import { flowIdOf } from './flowId.js';
import { explainedRecord, type ExplainedRecord, type RecordedRequest, type StubRef } from './recordedRequest.js';
import type { StubReport } from './stubReports.js';

export class RequestEvent implements RequestEventContent {
  constructor(
    private readonly config: Record<string, unknown>,
    private readonly port: number,
    private readonly record: RecordedRequest,
  ) {}

  get request(): ProtocolRequest {
    return this.record.request;
  }

  // A header flow id the request lacks falls back to the port here, as in Rift's stream.
  flowId(): string {
    return flowIdOf(this.config, this.port, this.record.request) ?? String(this.port);
  }

  full(): { port: number; flowId: string } & ExplainedRecord {
    return { port: this.port, flowId: this.flowId(), ...explainedRecord(this.record) };
  }

  summary(): RequestSummary {
    return summaryOf(this.port, this.record);
  }
}

/** A recorded request in the summary view, its fields in the order they are printed. */
export interface RequestSummary {
  port: number;
  index: number;
  timestamp: unknown;
  method?: string;
  path?: string;
  query?: unknown;
  stub?: StubRef | null;
  nearMiss?: StubReport;
}

/**
 * The summary of a recorded request: port, index, timestamp, method, path and query (when the
 * protocol has them), the stub that answered and, when none did, the closest one's report.
 */
export function summaryOf(port: number, record: RecordedRequest): RequestSummary {
  const request = record.request;
  const out: RequestSummary = { port, index: record.index, timestamp: request.timestamp };
  if (typeof request.method === 'string') out.method = request.method;
  if (typeof request.path === 'string') out.path = request.path;
  if (request.query !== undefined) out.query = request.query;
  out.stub = record.stub ?? null;
  if (record.nearMiss !== undefined) out.nearMiss = record.nearMiss;
  return out;
}
