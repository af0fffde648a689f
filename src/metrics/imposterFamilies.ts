// mountebank's per-imposter metric families, labelled as mb labels them: `imposter` is the
// imposter's log scope, e.g. `[http:4545 orders] ` (trailing space included).
import type { Exposition, Labels } from './exposition.js';
import type { Histogram } from './histogram.js';
import type { ImposterMetrics } from './imposterMetrics.js';

/** What the families read of an imposter (core's Imposter has it). */
interface Imposter {
  readonly config: Record<string, unknown>;
  readonly protocol: { readonly name: string };
  readonly port: number;
  readonly metrics: ImposterMetrics;
}

const labelsOf = (imposter: Imposter): Labels => {
  const name = typeof imposter.config.name === 'string' ? ` ${imposter.config.name}` : '';
  return { imposter: `[${imposter.protocol.name}:${imposter.port}${name}] ` };
};

/**
 * The five families, each with a sample per imposter only once that imposter counted or timed
 * something there (prom-client writes a labelled series from its first observation on).
 */
export function writeImposterFamilies(out: Exposition, imposters: readonly Imposter[]): void {
  const labelled = imposters.map((imposter) => [labelsOf(imposter), imposter.metrics] as const);
  const histograms = (pick: (m: ImposterMetrics) => Histogram) =>
    labelled.filter(([, m]) => pick(m).count > 0).map(([labels, m]) => [labels, pick(m)] as const);
  const counters = (pick: (m: ImposterMetrics) => number) => labelled.filter(([, m]) => pick(m) > 0).map(([labels, m]) => [labels, pick(m)] as const);
  out.histogram(
    'mb_predicate_match_duration_seconds',
    'Time it takes to match the predicates and select a stub',
    histograms((m) => m.predicateMatch),
  );
  out.family(
    'mb_no_match_total',
    'counter',
    'Number of times no stub matched the request',
    counters((m) => m.noMatch),
  );
  out.family(
    'mb_request_total',
    'counter',
    'Number of requests to the imposter',
    counters((m) => m.requests),
  );
  out.histogram(
    'mb_response_generation_duration_seconds',
    'Time it takes to generate the response from a stub',
    histograms((m) => m.responseGeneration),
  );
  out.family(
    'mb_blocked_ip_total',
    'counter',
    'Number of times a connection was blocked from a non-whitelisted IP address',
    counters((m) => m.blocked),
  );
}
