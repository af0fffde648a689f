// Where imposter definitions survive a restart. One small interface; the --datadir files are the
// first implementation, a Redis-backed one can follow without touching the core.

/** Where a stub is in its response cycle: [response index, times served at that index]. */
export type CyclePosition = readonly [number, number];

export interface StoredImposter {
  /** The imposter as it can be created again: replayable JSON, recorded proxy responses included. */
  readonly definition: Record<string, unknown>;
  /** One entry per stub, in stub order. */
  readonly positions: readonly CyclePosition[];
}

/**
 * Every method takes its arguments' contents at call time (they are serialized before it returns)
 * and operations take effect in call order.
 */
export interface ImposterRepository {
  /** Every stored imposter, as last written, ordered by port. */
  loadAll(): Promise<StoredImposter[]>;
  /** Adds or replaces one imposter; durable when the promise resolves. */
  save(port: number, imposter: StoredImposter): Promise<void>;
  /** Updates only the cycle positions of a stored imposter; may trail `save` in durability. */
  savePositions(port: number, positions: readonly CyclePosition[]): Promise<void>;
  delete(port: number): Promise<void>;
  /** Replaces the whole stored set in one step (PUT /imposters): a crash leaves the old set or the new. */
  replaceAll(imposters: ReadonlyMap<number, StoredImposter>): Promise<void>;
  close(): Promise<void>;
}
