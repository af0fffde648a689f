// Samples of GET /metrics turned into rates: requests per second and mean latency per interval.
import { getText } from './api.js';

export interface Sample {
  t: number;
  requests: number;
  noMatch: number;
  seconds: number;
  timed: number;
}

export interface Rates {
  rate: Array<{ t: number; v: number }>;
  latency: Array<{ t: number; v: number }>;
  misses: Array<{ t: number; v: number }>;
}

const STORAGE = 'standin.metrics';
export const SPAN_SECONDS = 300;

function total(text: string, name: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== '{' && rest[0] !== ' ') continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) sum += value;
  }
  return sum;
}

export async function sample(): Promise<Sample> {
  const text = await getText('/metrics');
  return {
    t: Date.now(),
    requests: total(text, 'mb_request_total'),
    noMatch: total(text, 'mb_no_match_total'),
    seconds: total(text, 'mb_predicate_match_duration_seconds_sum') + total(text, 'mb_response_generation_duration_seconds_sum'),
    timed: total(text, 'mb_response_generation_duration_seconds_count'),
  };
}

/** The samples of the last minutes, kept in this tab so that they survive going to another page. */
export function history(next?: Sample): Sample[] {
  let samples: Sample[];
  try {
    samples = JSON.parse(sessionStorage.getItem(STORAGE) ?? '[]') as Sample[];
  } catch {
    samples = [];
  }
  if (next) {
    samples.push(next);
    samples = samples.filter((s) => s.t > next.t - SPAN_SECONDS * 1000);
    sessionStorage.setItem(STORAGE, JSON.stringify(samples));
  }
  return samples;
}

export function rates(samples: Sample[]): Rates {
  const out: Rates = { rate: [], latency: [], misses: [] };
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!;
    const b = samples[i]!;
    const dt = (b.t - a.t) / 1000;
    // A restart (counters back to zero) or a long pause: no point for that interval.
    if (dt <= 0 || b.requests < a.requests) continue;
    const requests = b.requests - a.requests;
    const timed = b.timed - a.timed;
    out.rate.push({ t: b.t, v: requests / dt });
    out.misses.push({ t: b.t, v: (b.noMatch - a.noMatch) / dt });
    out.latency.push({ t: b.t, v: timed > 0 ? ((b.seconds - a.seconds) / timed) * 1000 : 0 });
  }
  return out;
}
