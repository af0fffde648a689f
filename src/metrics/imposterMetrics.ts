// What an imposter counts while serving, read by GET /metrics. The imposter's request path calls
// these with timestamps from performance.now(); nothing here allocates for a synchronous outcome.
import type { Outcome } from '../contracts/index.js';
import { Histogram, PREDICATE_MATCH_BUCKETS, RESPONSE_GENERATION_BUCKETS } from './histogram.js';

export class ImposterMetrics {
  /** mb_request_total: never reset (unlike numberOfRequests, which DELETE savedRequests clears). */
  requests = 0;
  noMatch = 0;
  /** Connections refused by --localOnly / --ipWhitelist. */
  blocked = 0;
  readonly predicateMatch = new Histogram(PREDICATE_MATCH_BUCKETS);
  readonly responseGeneration = new Histogram(RESPONSE_GENERATION_BUCKETS);

  /** A stub matched: records the matching time, returns now (the start of response generation). */
  matched(started: number): number {
    const now = performance.now();
    this.predicateMatch.observe((now - started) / 1000);
    return now;
  }

  /** No stub matched: the default response is ready at once. */
  unmatched(started: number, outcome: Outcome): Outcome {
    this.noMatch++;
    this.predicateMatch.observe((performance.now() - started) / 1000);
    this.responseGeneration.observe(outcome.delayMs / 1000);
    return outcome;
  }

  /** Records how long the response took, a `wait` behavior included (as mb times its behaviors). */
  generated(since: number, outcome: Outcome | Promise<Outcome>): Outcome | Promise<Outcome> {
    if (outcome instanceof Promise) {
      return outcome.then((resolved) => {
        this.responseGeneration.observe((performance.now() - since + resolved.delayMs) / 1000);
        return resolved;
      });
    }
    this.responseGeneration.observe((performance.now() - since + outcome.delayMs) / 1000);
    return outcome;
  }
}
