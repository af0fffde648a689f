// The recorded requests of an imposter: a bounded ring, oldest evicted first, so memory levels
// off under sustained load while numberOfRequests stays exact. Every item gets an index, 1-based
// and never reused (clearing does not reset it), so a reader can ask for what came after the
// last index it saw.
export class RequestJournal<T> {
  private readonly items: (T | undefined)[] = [];
  private start = 0;
  private count = 0;
  /** Index of the newest item; 0 before the first. */
  private last = 0;
  /** Highest index the cap evicted (items cleared on request are not counted). */
  private evicted = 0;

  constructor(readonly capacity: number) {}

  /** Adds an item and returns its index. */
  add(item: T): number {
    const index = ++this.last;
    if (this.capacity <= 0) {
      this.evicted = index;
      return index;
    }
    if (this.count < this.capacity) {
      this.items[(this.start + this.count) % this.capacity] = item;
      this.count++;
    } else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.capacity;
      this.evicted = index - this.capacity;
    }
    return index;
  }

  clear(): void {
    this.items.length = 0;
    this.start = 0;
    this.count = 0;
  }

  get size(): number {
    return this.count;
  }

  /** The index of the newest item ever added (0 if none): the cursor that follows everything so far. */
  get lastIndex(): number {
    return this.last;
  }

  /** Whether the cap evicted items newer than `cursor`: a reader at that cursor missed some. */
  evictedAfter(cursor: number): boolean {
    return this.evicted > cursor;
  }

  toArray(): T[] {
    return this.since(0);
  }

  /** The items whose index is above `cursor`, oldest first. */
  since(cursor: number): T[] {
    const first = this.last - this.count + 1;
    const skip = Math.min(this.count, Math.max(0, cursor - first + 1));
    const out: T[] = new Array(this.count - skip);
    for (let i = skip; i < this.count; i++) out[i - skip] = this.items[(this.start + i) % this.capacity]!;
    return out;
  }
}
