// Counters, recorded requests and --debug matches under --workers: each worker keeps what it
// served (the request path stays local), and hands it over when the primary asks, just before
// it answers an admin request. The primary merges everything in the order it happened, by the
// machine's monotonic clock, into the imposter it holds: the admin API then reads one journal,
// bounded by --journalCap as in one process.
import type { Imposter } from '../core/imposter.js';
import type { RecordedRequest } from '../core/recordedRequest.js';
import type { MatchRecord } from '../core/stub.js';
import type { Histogram } from '../metrics/histogram.js';
import type { DrainedImposter, HistogramDelta } from './messages.js';

/** Worker: what `imposter` served since the last drain; its counters and journal start again from empty. */
export function drainImposter(imposter: Imposter): DrainedImposter {
  const metrics = imposter.metrics;
  const drained: DrainedImposter = {
    port: imposter.port,
    requests: imposter.numberOfRequests,
    records: imposter.journal === null ? [] : imposter.journal.toArray(),
    matches: [],
    metrics: {
      requests: metrics.requests,
      noMatch: metrics.noMatch,
      blocked: metrics.blocked,
      predicateMatch: takeHistogram(metrics.predicateMatch),
      responseGeneration: takeHistogram(metrics.responseGeneration),
    },
  };
  imposter.numberOfRequests = 0;
  imposter.journal?.clear();
  metrics.requests = 0;
  metrics.noMatch = 0;
  metrics.blocked = 0;
  for (const stub of imposter.stubs) {
    if (stub.matches !== undefined && stub.matches.length > 0 && stub.key !== undefined) {
      drained.matches.push([stub.key, stub.matches.splice(0)]);
    }
  }
  return drained;
}

function takeHistogram(histogram: Histogram): HistogramDelta {
  const delta = { counts: histogram.counts.slice(), sum: histogram.sum, count: histogram.count };
  histogram.counts.fill(0);
  histogram.sum = 0;
  histogram.count = 0;
  return delta;
}

function addHistogram(histogram: Histogram, delta: HistogramDelta): void {
  for (let i = 0; i < histogram.counts.length; i++) histogram.counts[i]! += delta.counts[i] ?? 0;
  histogram.sum += delta.sum;
  histogram.count += delta.count;
}

const byTime = (a: { at?: number }, b: { at?: number }): number => (a.at ?? 0) - (b.at ?? 0);

/**
 * Primary: adds what the workers drained of one imposter. Returns the recorded requests in the
 * order they arrived, renumbered in the primary's journal (for the event stream).
 */
export function absorbImposter(imposter: Imposter, drained: readonly DrainedImposter[], journalCap: number): RecordedRequest[] {
  const records: RecordedRequest[] = [];
  const matches = new Map<number, MatchRecord[]>();
  for (const part of drained) {
    imposter.numberOfRequests += part.requests;
    const metrics = imposter.metrics;
    metrics.requests += part.metrics.requests;
    metrics.noMatch += part.metrics.noMatch;
    metrics.blocked += part.metrics.blocked;
    addHistogram(metrics.predicateMatch, part.metrics.predicateMatch);
    addHistogram(metrics.responseGeneration, part.metrics.responseGeneration);
    for (const record of part.records) records.push(record);
    for (const [key, list] of part.matches) {
      const into = matches.get(key);
      if (into === undefined) matches.set(key, list);
      else for (const match of list) into.push(match);
    }
  }
  const journal = imposter.journal;
  if (journal !== null && records.length > 0) {
    records.sort(byTime);
    for (const record of records) {
      delete record.at;
      record.index = journal.lastIndex + 1;
      journal.add(record);
    }
  }
  if (matches.size > 0) {
    for (const stub of imposter.stubs) {
      const list = stub.key === undefined ? undefined : matches.get(stub.key);
      if (list === undefined || stub.matches === undefined) continue;
      list.sort(byTime);
      for (const match of list) {
        delete match.at;
        stub.matches.push(match);
      }
      if (stub.matches.length > journalCap) stub.matches.splice(0, stub.matches.length - journalCap);
    }
  }
  return journal === null ? [] : records;
}
