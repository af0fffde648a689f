// An object map over a JavaScript plain object whose values are converted when first read: a
// script reads one or two of a request's many headers, so the rest are never converted. Any
// operation that needs the whole map (size, iteration, delete) converts everything first.
import type { Value } from './values.js';

export class LazyMap extends Map<string, Value> {
  private source: Record<string, unknown> | undefined;

  constructor(
    source: Record<string, unknown>,
    private readonly convert: (js: unknown) => Value,
  ) {
    super();
    this.source = source;
  }

  /** Converts every remaining property, keeping the source's key order. */
  private fill(): void {
    const source = this.source;
    if (!source) return;
    this.source = undefined;
    const known = new Map(super.entries());
    super.clear();
    for (const key of Object.keys(source)) {
      super.set(key, known.has(key) ? known.get(key) : this.convert(source[key]));
      known.delete(key);
    }
    for (const [key, value] of known) super.set(key, value);
  }

  override get(key: string): Value {
    const source = this.source;
    if (source && !super.has(key)) {
      if (!Object.hasOwn(source, key)) return undefined;
      const value = this.convert(source[key]);
      super.set(key, value);
      return value;
    }
    return super.get(key);
  }

  override has(key: string): boolean {
    return super.has(key) || (this.source !== undefined && Object.hasOwn(this.source, key));
  }

  override set(key: string, value: Value): this {
    super.set(key, value);
    return this;
  }

  override delete(key: string): boolean {
    this.fill();
    return super.delete(key);
  }

  override clear(): void {
    this.source = undefined;
    super.clear();
  }

  override get size(): number {
    this.fill();
    return super.size;
  }

  override keys(): MapIterator<string> {
    this.fill();
    return super.keys();
  }

  override values(): MapIterator<Value> {
    this.fill();
    return super.values();
  }

  override entries(): MapIterator<[string, Value]> {
    this.fill();
    return super.entries();
  }

  override [Symbol.iterator](): MapIterator<[string, Value]> {
    return this.entries();
  }

  override forEach(callback: (value: Value, key: string, map: Map<string, Value>) => void, thisArg?: unknown): void {
    this.fill();
    super.forEach(callback, thisArg);
  }
}
