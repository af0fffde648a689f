// The last minutes of traffic for the charts: standin keeps them second by second
// (GET /metrics/history), so the charts cover the minutes before the page was opened too; the page
// asks only for the seconds after the last one it has.
import { get } from './api.js';

export interface TrafficSecond {
  t: number;
  requests: number;
  noMatch: number;
  latencyMs: number | null;
}

export interface Rates {
  rate: Array<{ t: number; v: number }>;
  latency: Array<{ t: number; v: number }>;
  misses: Array<{ t: number; v: number }>;
}

/** How many seconds the charts span (what the server keeps). */
export const SPAN_SECONDS = 600;

/** The seconds `kept` is missing, appended; those older than the span dropped. */
export async function refreshed(kept: TrafficSecond[]): Promise<TrafficSecond[]> {
  const last = kept.length > 0 ? kept[kept.length - 1]!.t : undefined;
  const answer = await get<{ seconds: TrafficSecond[] }>(`/metrics/history${last === undefined ? '' : `?since=${last}`}`);
  if (answer.seconds.length === 0) return kept;
  const all = kept.concat(answer.seconds);
  const from = all[all.length - 1]!.t - SPAN_SECONDS * 1000;
  return all.filter((second) => second.t > from);
}

export function rates(seconds: TrafficSecond[]): Rates {
  const out: Rates = { rate: [], latency: [], misses: [] };
  for (const second of seconds) {
    out.rate.push({ t: second.t, v: second.requests });
    out.misses.push({ t: second.t, v: second.noMatch });
    if (second.latencyMs !== null) out.latency.push({ t: second.t, v: second.latencyMs });
  }
  return out;
}
