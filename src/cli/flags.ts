// The table of `standin` flags: mountebank's `mb` names and short aliases, plus standin's own.
// parseArgs.ts reads values with it, usage.ts prints it, docs/cli.md mirrors it.
import os from 'node:os';
import { LOG_LEVELS, type LogLevel } from '../logging/logger.js';
import type { StandinOptions } from '../model/options.js';

/** A flag's value was refused; the message names the flag and what was expected. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

type BooleanKey = { [K in keyof StandinOptions]-?: StandinOptions[K] extends boolean ? K : never }[keyof StandinOptions];

/** The commands that serve (and so take every server flag). */
export const SERVER_VERBS = ['start', 'restart', 'imposter'] as const;

export interface FlagSpec {
  /** Long name, without the dashes, as mb spells it. */
  readonly name: string;
  /** The commands that read the flag (`standin VERB --help` lists it); every command accepts every flag. */
  readonly usedBy: readonly string[];
  /** One-letter alias, without the dash. */
  readonly alias?: string;
  /** Boolean flags take no value (or an optional `true`/`false`). */
  readonly boolean: boolean;
  /** Placeholder for the value in the usage text. */
  readonly valueName?: string;
  readonly description: string;
  /** The default, as printed in the usage text and docs. */
  readonly defaultText: string;
  /** Validates `raw` and stores it; throws UsageError naming the flag. */
  apply(options: StandinOptions, raw: string | boolean, written: string): void;
}

function booleanFlag(name: BooleanKey, alias: string | undefined, description: string): FlagSpec {
  return {
    name,
    alias,
    usedBy: SERVER_VERBS,
    boolean: true,
    description,
    defaultText: 'false',
    apply(options, raw, written) {
      options[name] = toBoolean(raw, written);
    },
  };
}

function valueFlag<K extends keyof StandinOptions>(
  name: K,
  alias: string | undefined,
  valueName: string,
  description: string,
  defaultText: string,
  parse: (raw: string, written: string) => StandinOptions[K],
): FlagSpec {
  return {
    name,
    alias,
    usedBy: SERVER_VERBS,
    boolean: false,
    valueName,
    description,
    defaultText,
    apply(options, raw, written) {
      if (typeof raw !== 'string') throw new UsageError(`${written} needs a value`);
      options[name] = parse(raw, written);
    },
  };
}

export function toBoolean(raw: string | boolean, written: string): boolean {
  if (typeof raw === 'boolean') return raw;
  const lower = raw.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  throw new UsageError(`${written} must be true or false, got ${JSON.stringify(raw)}`);
}

function integerIn(min: number, max: number, expected: string) {
  return (raw: string, written: string): number => {
    const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new UsageError(`${written} must be ${expected}, got ${JSON.stringify(raw)}`);
    }
    return value;
  };
}

function nonEmpty(what: string) {
  return (raw: string, written: string): string => {
    if (raw.trim() === '') throw new UsageError(`${written} must be ${what}, got an empty string`);
    return raw;
  };
}

const BYTE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };

/** Node cannot hold a string longer than about 512 MiB, and a body becomes one. */
const MAX_BODY_LIMIT = 500 * 1024 ** 2;

/** `1048576`, `512kb`, `64mb` (units of 1024, any case). */
function byteSize(raw: string, written: string): number {
  const match = /^(\d+)\s*([kmg]?b)?$/i.exec(raw.trim());
  const value = match ? Number(match[1]) * BYTE_UNITS[(match[2] ?? '').toLowerCase()]! : NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > MAX_BODY_LIMIT) {
    throw new UsageError(`${written} must be a size from 1 byte to 500mb, such as 1048576, 512kb or 64mb, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function logLevel(raw: string, written: string): LogLevel {
  const level = LOG_LEVELS.find((l) => l === raw.toLowerCase());
  if (!level) throw new UsageError(`${written} must be one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(raw)}`);
  return level;
}

function ipList(raw: string, written: string): string[] {
  const ips = raw
    .split('|')
    .map((ip) => ip.trim())
    .filter((ip) => ip !== '');
  if (ips.length === 0) {
    throw new UsageError(`${written} must be a pipe-delimited list of IP addresses (e.g. "127.0.0.1|::1"), got ${JSON.stringify(raw)}`);
  }
  return ips;
}

/** `--workers N` or `auto` (one per core). */
function workerCount(raw: string, written: string): number {
  if (raw.toLowerCase() === 'auto') return os.availableParallelism();
  return integerIn(1, 256, 'a number of worker processes from 1 to 256, or auto (one per core)')(raw, written);
}

function redisUrl(raw: string, written: string): string {
  if (!/^rediss?:\/\/[^/\s]+/.test(raw)) throw new UsageError(`${written} must be a Redis URL such as redis://localhost:6379/0, got ${JSON.stringify(raw)}`);
  return raw;
}

/** The same flag, read by other commands too. */
const usedBy = (spec: FlagSpec, ...verbs: string[]): FlagSpec => ({ ...spec, usedBy: verbs });
const CLIENT = ['save', 'replay'];

export const FLAGS: readonly FlagSpec[] = [
  usedBy(valueFlag('port', 'p', 'PORT', 'the port of the admin API', '2525', integerIn(1, 65535, 'an integer from 1 to 65535')), ...SERVER_VERBS, ...CLIENT),
  usedBy(
    valueFlag(
      'host',
      'h',
      'HOST',
      'the hostname or IP to bind the admin API (and, by default, imposters) to; save and replay call it',
      'all interfaces',
      nonEmpty('a hostname or IP address'),
    ),
    ...SERVER_VERBS,
    ...CLIENT,
  ),
  booleanFlag('allowInjection', 'i', 'allow JavaScript injection and shell transforms'),
  booleanFlag('localOnly', 'l', 'accept connections only from localhost'),
  valueFlag('ipWhitelist', 'w', '"IP1|IP2"', 'pipe-delimited list of IP addresses allowed to connect', '*', ipList),
  valueFlag('loglevel', undefined, 'LEVEL', 'debug, info, warn or error', 'info', logLevel),
  valueFlag('logfile', undefined, 'FILE', 'the JSON-lines log file', 'mb.log', nonEmpty('a file path')),
  booleanFlag('nologfile', undefined, 'do not write a log file'),
  usedBy(
    valueFlag('pidfile', undefined, 'FILE', 'where start writes its process id, and where stop reads it', 'mb.pid', nonEmpty('a file path')),
    ...SERVER_VERBS,
    'stop',
  ),
  valueFlag('configfile', undefined, 'FILE', 'a JSON file of imposters to load at startup (replaces all imposters)', 'none', nonEmpty('a file path')),
  booleanFlag('noParse', undefined, 'load --configfile as plain JSON, without EJS templating'),
  booleanFlag('watch', undefined, "reload --configfile (or standin imposter's directory) when it changes (standin only)"),
  booleanFlag('debug', 'd', 'include stub match information in imposter retrievals'),
  booleanFlag('mock', 'm', '[deprecated] record requests on every imposter (use recordRequests per imposter)'),
  valueFlag(
    'proxyTimeout',
    undefined,
    'MS',
    'how long a proxy waits for its origin before answering 500 (standin only)',
    '60000',
    integerIn(1, 3_600_000, 'a number of milliseconds from 1 to 3600000'),
  ),
  valueFlag('datadir', undefined, 'DIR', 'the directory imposters are written to and restored from at the next start', 'none', nonEmpty('a directory path')),
  valueFlag(
    'origin',
    'o',
    'URL',
    'the web origin allowed to call the admin API from a browser (CORS)',
    'none',
    nonEmpty('an origin such as http://localhost:8080'),
  ),
  usedBy(
    valueFlag('apikey', undefined, 'KEY', 'an API key every admin API request must send in the x-api-key header', 'none', nonEmpty('a non-empty key')),
    ...SERVER_VERBS,
    ...CLIENT,
  ),
  usedBy(
    valueFlag('rcfile', undefined, 'FILE', 'a JSON file of options, e.g. {"port": 3000}; command-line options win', 'none', nonEmpty('a file path')),
    ...SERVER_VERBS,
    'stop',
    ...CLIENT,
  ),
  usedBy(
    valueFlag(
      'formatter',
      undefined,
      'MODULE',
      'a module whose load() reads --configfile and whose save() writes save output',
      "standin's JSON",
      nonEmpty('a module path or package name'),
    ),
    ...SERVER_VERBS,
    'save',
  ),
  valueFlag(
    'injectionTimeout',
    undefined,
    'MS',
    'how long one injected script (inject, decorate, wait, shellTransform...) may run before its request fails with 500; 0 for no limit (standin only)',
    '10000',
    integerIn(0, 3_600_000, 'a number of milliseconds from 0 to 3600000'),
  ),
  valueFlag(
    'bodyLimit',
    undefined,
    'SIZE',
    'the largest request body an http(s) imposter reads, once decompressed (e.g. 512kb, 64mb); larger gets 413 (standin only)',
    '64mb',
    byteSize,
  ),
  valueFlag('adminBodyLimit', undefined, 'SIZE', 'the largest request body the admin API reads; larger gets 413 (standin only)', '64mb', byteSize),
  valueFlag(
    'stallLimit',
    undefined,
    'MS',
    'longest a script, template or regex may keep standin busy (every imposter and the admin API wait meanwhile) before its request fails; 0 for no limit (standin only)',
    '50',
    integerIn(0, 3_600_000, 'a number of milliseconds from 0 to 3600000'),
  ),
  valueFlag(
    'scriptsDir',
    undefined,
    'DIR',
    "where _rift scripts' relative `file` paths and unknown `ref` names are looked up; paths may not leave it (standin only)",
    'none',
    nonEmpty('a directory path'),
  ),
  valueFlag(
    'protofile',
    undefined,
    'FILE',
    "custom protocols, each run as a command (mb's out-of-process protocols)",
    'protocols.json, if present',
    nonEmpty('a file path'),
  ),
  usedBy(valueFlag('savefile', undefined, 'FILE', 'the file save writes the imposters to', 'mb.json', nonEmpty('a file path')), 'save'),
  usedBy(booleanFlag('removeProxies', 'r', 'save without proxy responses'), 'save'),
  booleanFlag('strict', undefined, 'refuse imposters and stubs with unknown fields (400) instead of warning about them (standin only)'),
  valueFlag(
    'journalCap',
    undefined,
    'N',
    'most recorded requests kept per imposter, oldest dropped first (standin only)',
    '10000',
    integerIn(1, Number.MAX_SAFE_INTEGER, 'a positive integer'),
  ),
  usedBy(
    valueFlag(
      'fleet',
      undefined,
      'URL',
      'join a fleet of standins sharing imposters, cycles, recorded requests and flow state in this Redis (redis://host:port/db) (standin only)',
      'none',
      redisUrl,
    ),
    'start',
    'restart',
  ),
  usedBy(
    valueFlag(
      'workers',
      undefined,
      'N',
      'serve imposters from N worker processes sharing their ports, or auto for one per core; the admin API stays in this process (standin only)',
      'none',
      workerCount,
    ),
    'start',
    'restart',
  ),
];

/**
 * mb flags standin does not implement yet. They are recognised (so their values are skipped and
 * the error is clear) but refused at start. `boolean` tells the parser whether a value follows.
 */
export const UNSUPPORTED_FLAGS: ReadonlyArray<{ name: string; alias?: string; boolean: boolean }> = [
  { name: 'impostersRepository', boolean: false },
  { name: 'impostersRepositoryConfig', boolean: false },
  { name: 'log', boolean: false },
  { name: 'heroku', boolean: true },
];
