// One incoming request as the predicate matchers see it. Every stub's compiled predicates run
// against the same MatchRequest, so normalized views (lower-cased fields, parsed JSON bodies,
// parsed XML documents, canonical deepEquals strings) are built lazily and at most once per
// request: 100 stubs matching on `path` lower-case the path once, not 100 times.
// Views live in numbered slots: each distinct (view, field) pair compiled anywhere gets a small
// integer once, so the per-request lookup is an array read.
import type { FlowReads } from '../model/flowReads.js';
import type { ProtocolRequest } from '../model/request.js';

/** Returned by `MatchRequest.cached` when nothing is stored in a slot yet. */
export const NOT_CACHED: unique symbol = Symbol('not cached');
const UNDEFINED = Symbol('undefined');
const MAX_PREALLOCATED_SLOTS = 512;

const slotNumbers = new Map<string, number>();

/** The slot for a cache key; the same key always gets the same slot. @internal */
export function slotFor(key: string): number {
  let slot = slotNumbers.get(key);
  if (slot === undefined) {
    slot = slotNumbers.size;
    slotNumbers.set(key, slot);
  }
  return slot;
}

export class MatchRequest {
  readonly request: ProtocolRequest;
  private slots: unknown[] | undefined = undefined;
  private lowerKeyIndex: Map<string, string> | undefined = undefined;
  /** The flow state read for this request, when its predicates read some (Rift's script predicates). */
  flowReads: FlowReads | undefined = undefined;

  constructor(request: ProtocolRequest) {
    this.request = request;
  }

  /**
   * A top-level request field by name. With `lowerKeys`, `key` is already lower-case and matches
   * the request field whose lower-cased name equals it (the last one wins, as in mountebank).
   * @internal
   */
  field(key: string, lowerKeys: boolean): unknown {
    const request = this.request;
    if (Object.hasOwn(request, key)) return request[key];
    // Request field names are lower-case but for requestFrom, so this is rarely needed.
    if (!lowerKeys) return undefined;
    let index = this.lowerKeyIndex;
    if (index === undefined) {
      index = new Map();
      for (const name of Object.keys(request)) index.set(name.toLowerCase(), name);
      this.lowerKeyIndex = index;
    }
    const name = index.get(key);
    return name === undefined ? undefined : request[name];
  }

  /** The value cached in a slot for this request, or NOT_CACHED. @internal */
  cached(slot: number): unknown {
    const slots = this.slots;
    if (slots === undefined) return NOT_CACHED;
    const value = slots[slot];
    if (value === undefined) return NOT_CACHED;
    return value === UNDEFINED ? undefined : value;
  }

  /** @internal */
  store<T>(slot: number, value: T): T {
    // Sized up front (within reason) so the array stays in V8's fast, dense mode.
    const slots = (this.slots ??= new Array<unknown>(Math.min(slotNumbers.size, MAX_PREALLOCATED_SLOTS)));
    slots[slot] = value === undefined ? UNDEFINED : value;
    return value;
  }
}
