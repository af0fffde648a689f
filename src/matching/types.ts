// The predicate compiler's public types: what callers pass in and what they get back.
import type { ProtocolRequest } from '../model/request.js';
import type { ExtensionPredicateCheck } from './extensionPredicate.js';
import type { MatchRequest } from './matchRequest.js';

export interface CompileOptions {
  /** 'base64' = tcp binary mode: base64-decode strings on both sides; matches/xpath/jsonpath refused. */
  encoding: 'utf8' | 'base64';
  /**
   * Compiles an `inject` predicate's JS source; when absent, an inject predicate is refused with
   * StandinError('invalid injection', 'JavaScript injection is not allowed unless mb is run with
   * the --allowInjection flag', predicate). Applies nested inside and/or/not too.
   */
  compileInject?: (source: string, predicate: Record<string, unknown>) => (request: ProtocolRequest) => boolean;
  /**
   * Compiles the `_rift` predicate operator (Rift's script predicate), given by the imposter's
   * extension; when absent, such a predicate is refused. `explaining`: for a clause report.
   */
  compileExtension?: (value: unknown, predicate: Record<string, unknown>, explaining: boolean) => ExtensionPredicateCheck;
  /**
   * --stallLimit: milliseconds a regex that only a backtracking engine can run (backreferences,
   * lookarounds) may take on one long text before its request fails; 0 or absent = no limit.
   */
  stallMs?: number;
}

export type RequestMatcher = (request: MatchRequest) => boolean;

/** One field predicate's test: the generic walk or a fast path. */
export type FieldChecker = (request: MatchRequest) => boolean;

/** Internal compiler switches (not exported from index.ts); tests turn fast paths off to compare them with the generic walk. */
export interface CompilerSettings {
  readonly fastPaths: boolean;
  /** Called at compile time each time a field gets a fast-path checker. */
  readonly onFastPath?: () => void;
}
