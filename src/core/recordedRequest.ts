// One request in an imposter's journal, with what became of it: the stub that answered, or the
// stub that came closest when none did. The request itself is printed in mountebank's shape; the
// rest only where a client asks for it (savedRequests?explain=true, the event stream).
import type { ProtocolRequest } from '../model/request.js';
import type { StubReport } from './stubReports.js';

export interface StubRef {
  readonly index: number;
  readonly id?: string;
}

export interface RecordedRequest {
  /** Its place in the journal: 1-based, never reused. */
  index: number;
  /** With --workers: when it arrived, in microseconds of the machine's monotonic clock (merging the workers' journals in order). */
  at?: number;
  /** The request with its timestamp, as `requests` and savedRequests print it. */
  readonly request: ProtocolRequest;
  /** The stub that answered; null when none matched; undefined until matching is done. */
  stub?: StubRef | null;
  /** When no stub matched: the closest one and the clauses it failed (undefined if there are no stubs). */
  nearMiss?: StubReport;
}

/**
 * Gives a record that no stub matched its `nearMiss`, worked out the first time it is read (the
 * events stream, savedRequests?explain=true, the dashboard, a worker's or fleet member's journal
 * as it is sent on): a miss nobody looks at costs no explanation. An own enumerable property, so
 * that copies and JSON carry the value.
 */
export function explainMissLater(record: RecordedRequest, explain: () => StubReport | undefined): void {
  let pending: (() => StubReport | undefined) | undefined = explain;
  let report: StubReport | undefined;
  Object.defineProperty(record, 'nearMiss', {
    enumerable: true,
    configurable: true,
    get: () => {
      if (pending !== undefined) {
        report = pending();
        pending = undefined;
      }
      return report;
    },
    set: (value: StubReport | undefined) => {
      pending = undefined;
      report = value;
    },
  });
}

/** A record as savedRequests?explain=true and the event stream print it, in this order. */
export interface ExplainedRecord {
  index: number;
  request: ProtocolRequest;
  stub: StubRef | null;
  nearMiss?: StubReport;
}

/** savedRequests?explain=true and the event stream: the request with what became of it. */
export function explainedRecord(record: RecordedRequest): ExplainedRecord {
  const out: ExplainedRecord = { index: record.index, request: record.request, stub: record.stub ?? null };
  if (record.nearMiss !== undefined) out.nearMiss = record.nearMiss;
  return out;
}
