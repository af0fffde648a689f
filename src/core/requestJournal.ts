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

  /** Whether remove() took items from the middle: indexes are no longer contiguous. */
  private holes = false;

  /** `indexOf` reads an item's index back, so that items can be removed from the middle (remove). */
  constructor(
    readonly capacity: number,
    private readonly indexOf?: (item: T) => number,
  ) {}

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

  /** Holds exactly `items`, oldest first, the newest having the index `lastIndex` (a fleet's journal, read from Redis). */
  reset(items: readonly T[], lastIndex: number): void {
    this.clear();
    const kept = items.slice(-Math.max(this.capacity, 1));
    this.last = lastIndex - kept.length;
    for (const item of kept) this.add(item);
    this.last = lastIndex;
  }

  clear(): void {
    this.items.length = 0;
    this.start = 0;
    this.count = 0;
    this.holes = false;
  }

  /** Removes the items `drop` picks (a space's requests); answers how many. Needs `indexOf`. */
  remove(drop: (item: T) => boolean): number {
    if (this.indexOf === undefined) throw new Error('RequestJournal.remove needs indexOf');
    const kept = this.toArray().filter((item) => !drop(item));
    const removed = this.count - kept.length;
    if (removed === 0) return 0;
    this.items.length = 0;
    for (let i = 0; i < kept.length; i++) this.items[i] = kept[i];
    this.start = 0;
    this.count = kept.length;
    this.holes = true;
    return removed;
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
    return this.holes ? this.contiguous() : this.since(0);
  }

  private contiguous(): T[] {
    const out: T[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.items[(this.start + i) % this.capacity]!;
    return out;
  }

  /** The items whose index is above `cursor`, oldest first. */
  since(cursor: number): T[] {
    if (this.holes) {
      const indexOf = this.indexOf!;
      return this.contiguous().filter((item) => indexOf(item) > cursor);
    }
    const first = this.last - this.count + 1;
    const skip = Math.min(this.count, Math.max(0, cursor - first + 1));
    const out: T[] = new Array(this.count - skip);
    for (let i = skip; i < this.count; i++) out[i - skip] = this.items[(this.start + i) % this.capacity]!;
    return out;
  }
}
