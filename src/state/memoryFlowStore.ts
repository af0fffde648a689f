// Flow state in this process. Each key expires `ttlSeconds` after its last write; reads skip
// expired keys and a periodic sweep drops them, so memory stays bounded under many flow ids.
import { sameValue, type CasOutcome, type FlowKeySnapshot, type FlowListing, type FlowStore, type FlowValue } from './flowStore.js';

interface Entry {
  value: FlowValue;
  expiresAt: number;
}

/** How often the sweep runs at most (shorter TTLs sweep as often as they expire). */
const MAX_SWEEP_INTERVAL_MS = 30_000;

export class MemoryFlowStore implements FlowStore {
  private readonly flows = new Map<string, Map<string, Entry>>();
  private sweeper: NodeJS.Timeout | null = null;
  private readonly ttlMs: number;

  constructor(
    ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    this.ttlMs = ttlSeconds * 1000;
  }

  /** Live and not-yet-swept keys, for tests of the sweep. */
  get size(): number {
    let n = 0;
    for (const flow of this.flows.values()) n += flow.size;
    return n;
  }

  get(flowId: string, key: string): FlowValue | undefined {
    return this.live(flowId, key)?.value;
  }

  set(flowId: string, key: string, value: FlowValue): boolean {
    this.write(flowId, key, value);
    return true;
  }

  increment(flowId: string, key: string): number {
    return this.incrBy(flowId, key, 1);
  }

  incrBy(flowId: string, key: string, by: number): number {
    const current = this.live(flowId, key)?.value;
    const next = (typeof current === 'number' ? current : 0) + by;
    this.write(flowId, key, next);
    return next;
  }

  cas(flowId: string, key: string, expected: FlowValue, next: FlowValue): CasOutcome {
    const current = this.live(flowId, key)?.value;
    if (!sameValue(current, expected)) return { applied: false, current: current ?? null };
    this.write(flowId, key, next);
    return { applied: true };
  }

  keyTtl(flowId: string, key: string, seconds: number): boolean {
    const entry = this.live(flowId, key);
    if (!entry) return false;
    if (seconds <= 0) this.delete(flowId, key);
    else entry.expiresAt = this.now() + seconds * 1000;
    return true;
  }

  clear(flowId: string): boolean {
    this.flows.delete(flowId);
    return true;
  }

  delete(flowId: string, key: string): boolean {
    const flow = this.flows.get(flowId);
    const existed = this.live(flowId, key) !== undefined;
    flow?.delete(key);
    if (flow?.size === 0) this.flows.delete(flowId);
    return existed;
  }

  exists(flowId: string, key: string): boolean {
    return this.live(flowId, key) !== undefined;
  }

  setTtl(flowId: string, seconds: number): boolean {
    const flow = this.flows.get(flowId);
    if (!flow) return false;
    const now = this.now();
    const expiresAt = now + seconds * 1000;
    // Expired entries stay expired (as in Redis, where they are already gone).
    for (const [key, entry] of flow) {
      if (entry.expiresAt <= now) flow.delete(key);
      else entry.expiresAt = expiresAt;
    }
    if (flow.size === 0) this.flows.delete(flowId);
    return true;
  }

  snapshot(flowId: string): ReadonlyMap<string, FlowValue> {
    const out = new Map<string, FlowValue>();
    const flow = this.flows.get(flowId);
    if (flow === undefined) return out;
    const now = this.now();
    for (const [key, entry] of flow) if (entry.expiresAt > now) out.set(key, entry.value);
    return out;
  }

  list(limit: number): FlowListing {
    const now = this.now();
    const listing: FlowListing = { flows: [], truncated: false };
    let count = 0;
    for (const [flowId, flow] of this.flows) {
      const keys: FlowKeySnapshot[] = [];
      for (const [key, entry] of flow) {
        if (entry.expiresAt <= now) continue;
        if (count === limit) {
          listing.truncated = true;
          break;
        }
        keys.push({ key, value: entry.value, ttlSeconds: Math.ceil((entry.expiresAt - now) / 1000) });
        count++;
      }
      if (keys.length > 0) listing.flows.push({ flowId, keys });
      if (listing.truncated) break;
    }
    return listing;
  }

  async open(): Promise<void> {}

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
  }

  /** Drops every expired key and every flow left empty. */
  sweep(): void {
    const now = this.now();
    for (const [flowId, flow] of this.flows) {
      for (const [key, entry] of flow) if (entry.expiresAt <= now) flow.delete(key);
      if (flow.size === 0) this.flows.delete(flowId);
    }
  }

  private live(flowId: string, key: string): Entry | undefined {
    const entry = this.flows.get(flowId)?.get(key);
    return entry && entry.expiresAt > this.now() ? entry : undefined;
  }

  private write(flowId: string, key: string, value: FlowValue): void {
    let flow = this.flows.get(flowId);
    if (!flow) this.flows.set(flowId, (flow = new Map()));
    flow.set(key, { value, expiresAt: this.now() + this.ttlMs });
    // Started by the first write, so an imposter that never stores anything has no timer.
    if (!this.sweeper) {
      this.sweeper = setInterval(() => this.sweep(), Math.min(this.ttlMs, MAX_SWEEP_INTERVAL_MS));
      this.sweeper.unref();
    }
  }
}
