// The last minutes of traffic, second by second, for the dashboard's charts: requests, requests no
// stub matched and mean latency across all imposters. A timer reads the counters the imposters
// keep anyway (ImposterMetrics) once a second and keeps the differences in a fixed ring, so the
// request path does no extra work and memory stays the same however long the server runs.
import type { ImposterMetrics } from './imposterMetrics.js';

/** What one second saw. */
export interface TrafficSecond {
  /** The end of the second, in milliseconds since the epoch. */
  readonly t: number;
  readonly requests: number;
  readonly noMatch: number;
  /** Mean time to match and build a response, in milliseconds; null when nothing was answered. */
  readonly latencyMs: number | null;
}

export const HISTORY_SECONDS = 600;

interface Counts {
  requests: number;
  noMatch: number;
  seconds: number;
  timed: number;
}

const countsOf = (metrics: ImposterMetrics): Counts => ({
  requests: metrics.requests,
  noMatch: metrics.noMatch,
  seconds: metrics.predicateMatch.sum + metrics.responseGeneration.sum,
  timed: metrics.responseGeneration.count,
});

export class TrafficHistory {
  private readonly ring: (TrafficSecond | undefined)[];
  private next = 0;
  private count = 0;
  /** Each imposter's counters at the last sample. */
  private last = new Map<ImposterMetrics, Counts>();
  /** Imposters told of since the last sample (track): one deleted before it is still counted. */
  private tracked = new Set<ImposterMetrics>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly imposters: () => Iterable<{ readonly metrics: ImposterMetrics }>,
    readonly capacity: number = HISTORY_SECONDS,
    intervalMs = 1000,
  ) {
    this.ring = new Array<TrafficSecond | undefined>(capacity);
    for (const imposter of imposters()) this.last.set(imposter.metrics, countsOf(imposter.metrics));
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  /**
   * An imposter created or started: its counters are read at the next sample even if it is
   * deleted before (what it served in its last second counts).
   */
  track(metrics: ImposterMetrics): void {
    this.tracked.add(metrics);
  }

  /** Adds the second that just ended (the timer calls it; exposed for tests). */
  sample(now = Date.now()): void {
    let requests = 0;
    let noMatch = 0;
    let seconds = 0;
    let timed = 0;
    const listed = new Set<ImposterMetrics>();
    for (const { metrics } of this.imposters()) listed.add(metrics);
    // Those no longer listed are read one last time: what they served since the last sample counts.
    const read = new Set([...listed, ...this.last.keys(), ...this.tracked]);
    this.tracked = new Set();
    const last = new Map<ImposterMetrics, Counts>();
    for (const metrics of read) {
      const counts = countsOf(metrics);
      // An imposter created during the second counts from zero.
      const before = this.last.get(metrics) ?? { requests: 0, noMatch: 0, seconds: 0, timed: 0 };
      requests += counts.requests - before.requests;
      noMatch += counts.noMatch - before.noMatch;
      seconds += counts.seconds - before.seconds;
      timed += counts.timed - before.timed;
      if (listed.has(metrics)) last.set(metrics, counts);
    }
    this.last = last;
    const second: TrafficSecond = { t: now, requests, noMatch, latencyMs: timed > 0 ? (seconds / timed) * 1000 : null };
    this.ring[this.next] = second;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** The seconds kept, oldest first; with `since`, only those that ended after it. */
  seconds(since = -Infinity): TrafficSecond[] {
    const out: TrafficSecond[] = [];
    for (let i = 0; i < this.count; i++) {
      const second = this.ring[(this.next - this.count + i + this.capacity) % this.capacity]!;
      if (second.t > since) out.push(second);
    }
    return out;
  }

  close(): void {
    clearInterval(this.timer);
  }
}
