// Imposter's stores: named maps of items, in memory, shared by every Imposter-config stub of one
// standin instance (Imposter's stores are server-wide too). The `request` store is not here: it lives for
// one request and is created per request (RequestScope).
import type { NamedStores } from '../contracts/index.js';

export class ImposterStores implements NamedStores {
  private readonly stores = new Map<string, Map<string, unknown>>();

  /** The store, created empty on first use. */
  open(name: string): Map<string, unknown> {
    let store = this.stores.get(name);
    if (!store) {
      store = new Map();
      this.stores.set(name, store);
    }
    return store;
  }

  find(name: string): Map<string, unknown> | undefined {
    return this.stores.get(name);
  }

  delete(name: string): void {
    this.stores.delete(name);
  }

  clear(): void {
    this.stores.clear();
  }
}
