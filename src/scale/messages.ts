// What the primary process and its workers say to each other over node:cluster's IPC channel
// (advanced serialization: structured clone, so Buffers and nested objects cross as they are).
import { LOG_LEVELS, type LogEntry } from '../logging/logger.js';
import type { RecordedRequest } from '../core/recordedRequest.js';
import type { MatchRecord } from '../core/stub.js';
import type { ErrorCode } from '../model/errors.js';
import type { EchoedResponse } from '../model/echoedDefinition.js';
import { isPlainObject } from '../model/plainObject.js';
import type { GeneratedPredicates } from '../contracts/index.js';

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
      predicates: GeneratedPredicates;
      response: EchoedResponse;
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

/** The settings in a worker's environment, as the primary wrote them; refused when they are not. */
export function workerSettingsFrom(text: string | undefined): WorkerSettings {
  const value: unknown = text === undefined ? undefined : JSON.parse(text);
  if (!isPlainObject(value)) throw new Error(`${WORKER_SETTINGS_ENV} holds no worker settings: workers are started by standin start --workers`);
  const { slot, host, loglevel, localOnly, ipWhitelist, debug, mock, journalCap, proxyTimeout, injectionTimeout, scriptsDir, strict, bodyLimit, stallLimit } =
    value;
  const level = LOG_LEVELS.find((known) => known === loglevel);
  if (
    level === undefined ||
    typeof slot !== 'number' ||
    typeof journalCap !== 'number' ||
    typeof proxyTimeout !== 'number' ||
    typeof injectionTimeout !== 'number' ||
    typeof bodyLimit !== 'number' ||
    typeof stallLimit !== 'number' ||
    typeof localOnly !== 'boolean' ||
    typeof debug !== 'boolean' ||
    typeof mock !== 'boolean' ||
    typeof strict !== 'boolean' ||
    !Array.isArray(ipWhitelist) ||
    !ipWhitelist.every((ip): ip is string => typeof ip === 'string') ||
    (host !== undefined && typeof host !== 'string') ||
    (scriptsDir !== undefined && typeof scriptsDir !== 'string')
  ) {
    throw new Error(`${WORKER_SETTINGS_ENV} holds settings this version of standin does not read`);
  }
  return {
    slot,
    host,
    loglevel: level,
    localOnly,
    ipWhitelist,
    debug,
    mock,
    journalCap,
    proxyTimeout,
    injectionTimeout,
    scriptsDir,
    strict,
    bodyLimit,
    stallLimit,
  };
}
