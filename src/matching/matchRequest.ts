// One incoming request as the predicate matchers see it. Every stub's compiled predicates run
// against the same MatchRequest, so normalized views (lower-cased fields, parsed JSON bodies,
// parsed XML documents, canonical deepEquals strings) are built lazily and at most once per
// request: 100 stubs matching on `path` lower-case the path once, not 100 times.
import type { ProtocolRequest } from '../model/request.js';

/** Returned by `MatchRequest.cached` when nothing is stored under a key yet. */
export const NOT_CACHED: unique symbol = Symbol('not cached');

export class MatchRequest {
  readonly request: ProtocolRequest;
  private views: Map<string, unknown> | undefined = undefined;
  private lowerKeyIndex: Map<string, string> | undefined = undefined;

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
    if (!lowerKeys) return Object.hasOwn(request, key) ? request[key] : undefined;
    let index = this.lowerKeyIndex;
    if (index === undefined) {
      index = new Map();
      for (const name of Object.keys(request)) index.set(name.toLowerCase(), name);
      this.lowerKeyIndex = index;
    }
    const name = index.get(key);
    return name === undefined ? undefined : request[name];
  }

  /** A value cached for this request under a compile-time key, or NOT_CACHED. @internal */
  cached(key: string): unknown {
    const views = this.views;
    if (views === undefined) return NOT_CACHED;
    const value = views.get(key);
    return value !== undefined || views.has(key) ? value : NOT_CACHED;
  }

  /** @internal */
  store<T>(key: string, value: T): T {
    (this.views ??= new Map()).set(key, value);
    return value;
  }
}
