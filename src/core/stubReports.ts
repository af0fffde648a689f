// What each stub makes of one request, clause by clause: the dry run, the closest stub to a
// request that matched none (the miss log line, recorded requests, events) and verify. Runs
// after a miss or on demand, never for a request that matched.
import { describeClause, type Clause } from '../matching/explain.js';
import type { MatchRequest } from '../matching/matchRequest.js';
import type { Stub } from './stub.js';

export interface StubReport {
  readonly index: number;
  readonly id?: string;
  readonly matched: boolean;
  /** Clauses that held, of `total`. */
  readonly held: number;
  readonly total: number;
  /** The clauses that did not hold, in stub order (not/and/or with their own clauses). */
  readonly failed: readonly Clause[];
}

/** The report of one stub; `matched` comes from the stub's compiled matcher, the authority. */
export function reportStub(stub: Stub, index: number, request: MatchRequest, matched: boolean, runInjected = true): StubReport {
  const clauses = stub.explainer(runInjected).explain(request);
  const failed = clauses.filter((clause) => !clause.held);
  const id = stub.id;
  const named = id === undefined ? { index } : { index, id };
  return { ...named, matched, held: clauses.length - failed.length, total: clauses.length, failed };
}

/** Whether the stub's matcher accepts the request; a predicate that throws (inject) counts as no. */
export function safelyMatches(stub: Stub, request: MatchRequest): boolean {
  try {
    return stub.matcher(request);
  } catch {
    return false;
  }
}

/**
 * The stub that came closest to a request none matched (the miss log line, the journal): most
 * clauses held, then fewest that failed, then the first in order. Undefined when there are no stubs.
 */
export function closestStub(stubs: readonly Stub[], request: MatchRequest): StubReport | undefined {
  // Scored by counting clauses (cheap), then only the closest is explained in full. After a
  // request was answered, `inject` predicates are not run a second time.
  let best = -1;
  let bestHeld = -1;
  let bestFailed = 0;
  for (let i = 0; i < stubs.length; i++) {
    const explainer = stubs[i]!.explainer(false);
    const held = explainer.held(request);
    const failed = explainer.total - held;
    if (held > bestHeld || (held === bestHeld && failed < bestFailed)) {
      best = i;
      bestHeld = held;
      bestFailed = failed;
    }
  }
  return best === -1 ? undefined : reportStub(stubs[best]!, best, request, false, false);
}

/** closestStub over reports already made. */
export function closestOf(reports: readonly StubReport[]): StubReport | undefined {
  let best: StubReport | undefined;
  for (const report of reports) {
    if (best === undefined || report.held > best.held || (report.held === best.held && report.failed.length < best.failed.length)) {
      best = report;
    }
  }
  return best;
}

/** `stub 0 "get-user" (1 of 2 clauses held): predicates[0].equals.path: expected "/x", got "/y"` */
export function describeNearMiss(report: StubReport): string {
  const name = report.id === undefined ? `stub ${report.index}` : `stub ${report.index} ${JSON.stringify(report.id)}`;
  const first = report.failed[0];
  return `${name} (${report.held} of ${report.total} clauses held)${first ? `: ${describeClause(first)}` : ''}`;
}

export interface TestResult {
  /** The stub that would answer (the first whose predicates hold); -1 for none. */
  readonly answering: number;
  /** Every stub's report, in order. */
  readonly reports: readonly StubReport[];
}

/**
 * What every stub makes of a request, and which would answer it; nothing is answered or moved.
 * `eligible` says whether a stub may answer this request at all (Rift's space and scenario gates).
 */
export function testStubs(stubs: readonly Stub[], request: MatchRequest, eligible: (stub: Stub) => boolean = () => true): TestResult {
  let answering = -1;
  const reports = stubs.map((stub, i) => {
    const matched = safelyMatches(stub, request);
    if (matched && answering === -1 && eligible(stub)) answering = i;
    return reportStub(stub, i, request, matched);
  });
  return { answering, reports };
}
