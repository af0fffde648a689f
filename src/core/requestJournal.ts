// The recorded requests of an imposter: a bounded ring, oldest evicted first, so memory levels
// off under sustained load while numberOfRequests stays exact.
export class RequestJournal<T> {
  private readonly items: (T | undefined)[] = [];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {}

  add(item: T): void {
    if (this.capacity <= 0) return;
    if (this.count < this.capacity) {
      this.items[(this.start + this.count) % this.capacity] = item;
      this.count++;
    } else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  clear(): void {
    this.items.length = 0;
    this.start = 0;
    this.count = 0;
  }

  get size(): number {
    return this.count;
  }

  toArray(): T[] {
    const out: T[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.items[(this.start + i) % this.capacity]!;
    return out;
  }
}
