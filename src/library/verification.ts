// `handle.verify()`: the admin API's verification (`POST /imposters/:port/verify`), shaped for a
// test: with an expected count it passes or rejects with a message naming the closest request and
// the clauses it failed; without one it answers the counts.
import type { AdminClient } from '../admin/adminClient.js';
import type { JsonValue, Predicate, RecordedRequest } from '../model/imposterDefinition.js';

/** How many recorded requests must match: exactly `n`, or a range (`atMost` unbounded when left out). */
export type ExpectedCount = number | { atLeast?: number; atMost?: number };

/** One clause of a predicate, explained: where it is, whether it held, what it expected and what the request had. */
export interface Clause {
  at: string;
  operator: string;
  held: boolean;
  field?: string;
  expected?: JsonValue;
  actual?: JsonValue;
  clauses?: Clause[];
  [detail: string]: JsonValue | Clause[] | undefined;
}

export interface VerifyResult {
  /** Recorded requests that satisfy every predicate. */
  matched: number;
  /** Recorded requests looked at. */
  total: number;
  /** With an expected count: whether it held. */
  verified?: boolean;
  /** Why it did not hold, e.g. `expected exactly 1 matching request, found 0 of 2`. */
  message?: string;
  /** With `includeRequests`: the matching requests. */
  requests?: RecordedRequest[];
  /** The recorded request that came closest, with the predicates it failed and their clauses. */
  closest?: { request: RecordedRequest; failedPredicates: { predicate: Predicate; actual: JsonValue; clauses: Clause[] }[] };
}

export interface VerifyOptions {
  /** Only requests of this flow (Rift's flow id). */
  flowId?: string;
  /** Answer the matching requests too (`requests`). */
  includeRequests?: boolean;
}

/** `verify` with an expected count that did not hold; `result` is the whole answer. */
export class VerificationError extends Error {
  readonly result: VerifyResult;
  constructor(port: number, result: VerifyResult) {
    super(describe(port, result));
    this.name = 'VerificationError';
    this.result = result;
  }
}

export async function verify(
  admin: AdminClient,
  port: number,
  predicates: Predicate | Predicate[],
  times: ExpectedCount | undefined,
  options: VerifyOptions,
  ensureRecording: () => Promise<void>,
): Promise<VerifyResult> {
  const body: Record<string, unknown> = { predicates: Array.isArray(predicates) ? predicates : [predicates] };
  if (times !== undefined) body.times = times;
  if (options.flowId !== undefined) body.flowId = options.flowId;
  if (options.includeRequests === true) body.includeRequests = true;
  const result = await admin.json<VerifyResult>('POST', `/imposters/${port}/verify`, body);
  // An imposter that records nothing would fail every count for a reason the count does not say.
  if (result.total === 0) await ensureRecording();
  if (result.verified === false) throw new VerificationError(port, result);
  return result;
}

function describe(port: number, result: VerifyResult): string {
  const lines = [`imposter ${port}: ${result.message ?? `${result.matched} of ${result.total} requests matched`}`];
  const closest = result.closest;
  if (closest) {
    const { method, path, data } = closest.request;
    lines.push(`closest request: ${method !== undefined ? `${method} ${path ?? ''}` : JSON.stringify(data ?? closest.request)}`);
    for (const failed of closest.failedPredicates) {
      for (const clause of failing(failed.clauses)) {
        const field = clause.field === undefined ? clause.at : `${clause.at} (${clause.field})`;
        const expected = clause.expected === undefined ? '' : ` expected ${JSON.stringify(clause.expected)},`;
        lines.push(`  ${field}: ${clause.operator}${expected} got ${clause.actual === undefined ? 'nothing' : JSON.stringify(clause.actual)}`);
      }
    }
  }
  return lines.join('\n');
}

/** The innermost clauses that did not hold. */
function failing(clauses: readonly Clause[]): Clause[] {
  return clauses.filter((c) => !c.held).flatMap((c) => (c.clauses && c.clauses.some((inner) => !inner.held) ? failing(c.clauses) : [c]));
}
