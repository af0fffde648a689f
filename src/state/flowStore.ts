// Flow state (`_rift.flowState`): values kept per flow id (a user, a client, a circuit) so that
// scripts can count, remember and expire things per flow instead of per stub.
// One interface, two backends: in memory (synchronous) and Redis (asynchronous).

import type { FlowValue } from '../model/flowReads.js';

export type { FlowValue };

/** Memory answers at once; Redis answers later. Engines handle both without awaiting a sync value. */
export type MaybePromise<T> = T | Promise<T>;

/** One live key of a flow, for the dashboard: its value and the seconds it has left. */
export interface FlowKeySnapshot {
  key: string;
  value: FlowValue;
  ttlSeconds: number;
}

/** What a store holds now: its flows and their live keys, cut at a limit. */
export interface FlowListing {
  flows: Array<{ flowId: string; keys: FlowKeySnapshot[] }>;
  /** More keys exist than the limit let through. */
  truncated: boolean;
}

export interface FlowStore {
  /** The value, or undefined when the key is absent or expired. */
  get(flowId: string, key: string): MaybePromise<FlowValue | undefined>;
  /** Stores the value and resets the key's expiry to the store's TTL. */
  set(flowId: string, key: string, value: FlowValue): MaybePromise<boolean>;
  /** Adds 1 (a missing key counts as 0, so the first call answers 1) and resets the key's expiry. */
  increment(flowId: string, key: string): MaybePromise<number>;
  /** True when a key was removed. */
  delete(flowId: string, key: string): MaybePromise<boolean>;
  exists(flowId: string, key: string): MaybePromise<boolean>;
  /** Sets the expiry of every key the flow has now to `seconds` from now (0 or less: they expire now). */
  setTtl(flowId: string, seconds: number): MaybePromise<boolean>;
  /** Adds `by` (an integer; a missing key counts as 0) and resets the key's expiry; the new value. */
  incrBy(flowId: string, key: string, by: number): MaybePromise<number>;
  /**
   * Atomic compare-and-set: when the key holds `expected` (null: the key is absent) it becomes
   * `next` (its expiry reset) and `applied` is true; otherwise `current` is what it holds.
   */
  cas(flowId: string, key: string, expected: FlowValue, next: FlowValue): MaybePromise<CasOutcome>;
  /** Sets one key's expiry to `seconds` from now (0 or less deletes it); false when it is absent. */
  keyTtl(flowId: string, key: string, seconds: number): MaybePromise<boolean>;
  /** Removes every key of the flow. */
  clear(flowId: string): MaybePromise<boolean>;
  /** One flow's live keys and their values, read at once (what a request's script predicates read). */
  snapshot(flowId: string): MaybePromise<ReadonlyMap<string, FlowValue>>;
  /** Every flow with its live keys, at most `limit` keys in all (read on demand, never per request). */
  list(limit: number): MaybePromise<FlowListing>;
  /** Connects and checks the backend answers; throws FlowStoreError when it does not. */
  open(): Promise<void>;
  /** Frees connections and timers; `open` may be called again afterwards. */
  close(): Promise<void>;
}

export interface CasOutcome {
  applied: boolean;
  /** On a conflict: the value the key holds (null when absent). */
  current?: FlowValue;
}

/** Values compare as their JSON text (what Redis compares too). */
export const sameValue = (a: FlowValue | undefined, b: FlowValue | undefined): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** The backend failed (Redis unreachable, a command refused): the request gets a clear 5xx. */
export class FlowStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlowStoreError';
  }
}
