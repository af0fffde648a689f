// Rift's server-side verify: how many recorded requests satisfy a predicate set (AND-ed, as a
// stub's), optionally which, and the recorded request that came closest when one did not, with
// the predicates it failed. standin adds an expected count (`times`): the answer then says
// whether it held, and names the closest request when too few matched.
import { compilePredicate, compilePredicates, MatchRequest } from '../matching/index.js';
import { compilePredicateExplainers, type Clause } from '../matching/explain.js';
import { usesExtensionOperator } from '../matching/extensionPredicate.js';
import { predicateShape } from '../matching/predicateShape.js';
import type { ProtocolRequest } from '../model/request.js';
import { isPlainObject } from '../model/plainObject.js';
import { flowIdOf } from './flowId.js';
import { untilRead, type Imposter } from './imposter.js';

export interface ExpectedCount {
  readonly atLeast: number;
  readonly atMost: number;
}

export interface VerifyOptions {
  readonly predicates: unknown[];
  readonly flowId?: string;
  readonly includeRequests: boolean;
  readonly includeClosest: boolean;
  readonly times?: ExpectedCount;
}

/** verify's answer, its fields in the order they are printed. */
export interface VerifyAnswer {
  matched: number;
  total: number;
  /** With includeRequests: the requests that matched. */
  requests?: ProtocolRequest[];
  /** With an expected count: whether it held, and why not. */
  verified?: boolean;
  message?: string;
  /** The most recent of the requests that came closest, and the predicates it failed. */
  closest?: { request: ProtocolRequest | undefined; failedPredicates: FailedPredicate[] };
}

interface FailedPredicate {
  predicate: unknown;
  /** The request's values for the fields the predicate names. */
  actual: ProtocolRequest;
  clauses: Clause[];
}

const FIELDS_SHOWN = ['method', 'path', 'query', 'headers', 'body', 'requestFrom', 'ip', 'form'];

/** Rift's `actual`: the request's values for the fields a field predicate names; the whole request otherwise. */
function actualFor(predicate: unknown, request: ProtocolRequest): ProtocolRequest {
  // Already accepted: compilePredicate ran on it first.
  const shape = predicateShape(predicate, false);
  const fields = 'fields' in shape && !isPlainObject(shape.predicate.jsonpath) && !isPlainObject(shape.predicate.xpath) ? shape.fields : undefined;
  const out: ProtocolRequest = {};
  for (const key of fields === undefined ? FIELDS_SHOWN : Object.keys(fields)) {
    if (request[key] !== undefined) out[key] = request[key];
  }
  return out;
}

const describeCount = (times: ExpectedCount): string =>
  times.atLeast === times.atMost
    ? `exactly ${times.atLeast}`
    : times.atMost === Infinity
      ? `at least ${times.atLeast}`
      : `between ${times.atLeast} and ${times.atMost}`;

/** Script predicates (`_rift`) read each request's flow state as it is now; a promise when that is kept in Redis. */
export async function verifyRequests(imposter: Imposter, options: VerifyOptions): Promise<VerifyAnswer> {
  const compileOptions = imposter.predicateOptions;
  const all = compilePredicates(options.predicates, compileOptions);
  const readsFlows = usesExtensionOperator(options.predicates);
  const scoped = imposter
    .recorded()
    .map((record) => record.request)
    .filter((request) => options.flowId === undefined || flowIdOf(imposter.config, imposter.port, request) === options.flowId);
  const matched: ProtocolRequest[] = [];
  const missed: ProtocolRequest[] = [];
  const matchOf = new Map<ProtocolRequest, MatchRequest>();
  for (const request of scoped) {
    const match = imposter.matchRequest(request, readsFlows);
    if (readsFlows) matchOf.set(request, match);
    ((await untilRead(match, () => all(match))) ? matched : missed).push(request);
  }

  const out: VerifyAnswer = { matched: matched.length, total: scoped.length };
  if (options.includeRequests) out.requests = matched;
  let wantClosest = options.includeClosest;
  if (options.times !== undefined) {
    const verified = matched.length >= options.times.atLeast && matched.length <= options.times.atMost;
    out.verified = verified;
    if (!verified) {
      const one = options.times.atLeast === 1 && (options.times.atMost === 1 || options.times.atMost === Infinity);
      out.message = `expected ${describeCount(options.times)} matching request${one ? '' : 's'}, found ${matched.length} of ${scoped.length}`;
      wantClosest ||= matched.length < options.times.atLeast;
    }
  }
  if (wantClosest && missed.length > 0 && options.predicates.length > 0) {
    const each = options.predicates.map((predicate) => compilePredicate(predicate, compileOptions));
    const explainers = compilePredicateExplainers(options.predicates, compileOptions);
    let best: ProtocolRequest | undefined;
    let bestScore = -1;
    for (const request of missed) {
      const match = matchOf.get(request) ?? new MatchRequest(request);
      const score = await untilRead(match, () => each.filter((matches) => matches(match)).length);
      if (score >= bestScore) {
        // `>=`: of equally close requests, the most recent.
        best = request;
        bestScore = score;
      }
    }
    const match = matchOf.get(best!) ?? new MatchRequest(best!);
    const failedPredicates: FailedPredicate[] = [];
    options.predicates.forEach((predicate, i) => {
      if (each[i]!(match)) return;
      const clauses: Clause[] = explainers[i]!.explain(match).filter((clause) => !clause.held);
      failedPredicates.push({ predicate, actual: actualFor(predicate, best!), clauses });
    });
    out.closest = { request: best, failedPredicates };
  }
  return out;
}
