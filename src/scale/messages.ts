// What the primary process and its workers say to each other over node:cluster's IPC channel
// (advanced serialization: structured clone, so Buffers and nested objects cross as they are).
import type { LogEntry } from '../logging/logger.js';
import type { RecordedRequest } from '../core/recordedRequest.js';
import type { MatchRecord } from '../core/stub.js';
import type { ErrorCode } from '../model/errors.js';

/** A histogram's observations since the last drain. */
export interface HistogramDelta {
  counts: number[];
  sum: number;
  count: number;
}

/** What one worker served of one imposter since the primary last asked. */
export interface DrainedImposter {
  port: number;
  /** numberOfRequests since the last drain (or clear). */
  requests: number;
  records: RecordedRequest[];
  /** --debug matches, by stub key. */
  matches: Array<[number, MatchRecord[]]>;
  metrics: {
    requests: number;
    noMatch: number;
    blocked: number;
    predicateMatch: HistogramDelta;
    responseGeneration: HistogramDelta;
  };
}

/** Commands: the worker runs them one at a time, in order, and answers each with `done`. */
export type Command =
  | { t: 'open'; id: number; port: number; definition: Record<string, unknown>; keys: number[]; configDirs: (string | null)[] }
  | { t: 'stubs'; id: number; port: number; stubs: unknown[]; keys: number[]; configDirs: (string | null)[] }
  | { t: 'close'; id: number; port: number }
  | { t: 'clear'; id: number; port: number }
  | { t: 'drain'; id: number };

export type PrimaryMessage = Command | { t: 'position'; id: number; at: number };

export type WorkerMessage =
  | { t: 'ready' }
  | { t: 'done'; id: number; error?: { code: ErrorCode; message: string }; drained?: DrainedImposter[] }
  | { t: 'position?'; id: number; port: number; key: number; peek: boolean }
  | {
      t: 'proxy';
      /** Answered with a `position` of the same id (at: 0) once every worker serves the recording. */
      id: number;
      port: number;
      key: number;
      mode: 'proxyOnce' | 'proxyAlways';
      predicates: Record<string, unknown>[];
      response: Record<string, unknown>;
    }
  | { t: 'log'; entries: LogEntry[] };

/** What a worker is started with (in its environment, as JSON). */
export interface WorkerSettings {
  /** 1..N: which worker this is; a restarted worker keeps its slot. */
  slot: number;
  host?: string;
  loglevel: LogEntry['level'];
  localOnly: boolean;
  ipWhitelist: string[];
  debug: boolean;
  mock: boolean;
  journalCap: number;
  proxyTimeout: number;
  injectionTimeout: number;
  scriptsDir?: string;
  strict: boolean;
  /** --bodyLimit: the workers' http(s) imposters refuse larger request bodies with 413. */
  bodyLimit: number;
  /** --stallLimit: how long a Lua or Rhai script or a regex may keep a worker busy. */
  stallLimit: number;
}

export const WORKER_SETTINGS_ENV = 'STANDIN_WORKER_SETTINGS';
