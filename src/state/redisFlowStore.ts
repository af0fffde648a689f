// Flow state in Redis, shared by every standin process pointed at it and kept across restarts.
// Keys are `{keyPrefix}flow:{flowId}:{key}`, values JSON. Each write is one server-side script
// (atomic INCR + EXPIRE), sent through ioredis's auto-pipelining. A set of the flow's key names,
// `{keyPrefix}flowkeys:{flowId}`, lets set_ttl reach every key of a flow without a SCAN.
import type { Redis, Result } from 'ioredis';
import { FlowStoreError, type CasOutcome, type FlowKeySnapshot, type FlowListing, type FlowStore, type FlowValue } from './flowStore.js';
import { errorMessage } from '../model/caughtError.js';
import { isJsonValue } from '../model/plainObject.js';

export interface RedisFlowStoreOptions {
  url: string;
  keyPrefix: string;
  ttlSeconds: number;
  /** Connection lost and regained: one line each, not one per failed request. */
  log: { warn(message: string): void; info(message: string): void };
}

/** How long creation waits for Redis to answer, and any command for its reply. */
const TIMEOUT_MS = 2_000;

// KEYS: the value key, the flow's key set. ARGV: ttl seconds, key name, value (set only).
const TOUCH_INDEX = `redis.call('SADD', KEYS[2], ARGV[2])
if redis.call('TTL', KEYS[2]) < tonumber(ARGV[1]) then redis.call('EXPIRE', KEYS[2], ARGV[1]) end`;
const SET_SCRIPT = `redis.call('SET', KEYS[1], ARGV[3], 'EX', ARGV[1])
${TOUCH_INDEX}
return 1`;
const INCREMENT_SCRIPT = `local n = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1])
${TOUCH_INDEX}
return n`;
const INCRBY_SCRIPT = `local n = redis.call('INCRBY', KEYS[1], ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[1])
${TOUCH_INDEX}
return n`;
// ARGV: ttl seconds, key name, expected JSON ('' for absent), new JSON. Answers {1} or {0, current}.
const CAS_SCRIPT = `local current = redis.call('GET', KEYS[1])
local expected = ARGV[3]
if (current == false and expected == '') or current == expected then
  redis.call('SET', KEYS[1], ARGV[4], 'EX', ARGV[1])
  ${TOUCH_INDEX.replace(/\n/g, '\n  ')}
  return {1}
end
if current == false then return {0} end
return {0, current}`;
// KEYS: the value key. ARGV: seconds (0 or less deletes).
const KEY_TTL_SCRIPT = `if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if tonumber(ARGV[1]) <= 0 then redis.call('DEL', KEYS[1]) else redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return 1`;
// KEYS: the flow's key set. ARGV: the flow's key prefix.
const CLEAR_SCRIPT = `local names = redis.call('SMEMBERS', KEYS[1])
for _, name in ipairs(names) do redis.call('DEL', ARGV[1] .. name) end
redis.call('DEL', KEYS[1])
return 1`;
// KEYS: the flow's key set. ARGV: seconds, the flow's key prefix.
const SET_TTL_SCRIPT = `local names = redis.call('SMEMBERS', KEYS[1])
if #names == 0 then return 0 end
for _, name in ipairs(names) do redis.call('EXPIRE', ARGV[2] .. name, ARGV[1]) end
if redis.call('TTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return 1`;

// KEYS: the flow's key set. ARGV: the flow's key prefix. Answers name, value, name, value...
const SNAPSHOT_SCRIPT = `local names = redis.call('SMEMBERS', KEYS[1])
local out = {}
for _, name in ipairs(names) do
  local value = redis.call('GET', ARGV[1] .. name)
  if value then
    out[#out + 1] = name
    out[#out + 1] = value
  end
end
return out`;

function parseValue(text: string): FlowValue {
  try {
    const value: unknown = JSON.parse(text);
    if (isJsonValue(value)) return value;
  } catch {
    // not JSON
  }
  return text; // written by something else than standin: the raw string
}

/** A key prefix as a SCAN pattern that matches it literally. */
const escapeGlob = (text: string): string => text.replace(/[*?[\]\\]/g, '\\$&');

// The scripts below, as ioredis's defineCommand adds them to the client (the way its docs type
// custom commands: they are declared on every client, and defined on the flow store's).
declare module 'ioredis' {
  interface RedisCommander<Context> {
    flowSet(valueKey: string, indexKey: string, ttl: number, name: string, json: string): Result<number, Context>;
    flowIncrement(valueKey: string, indexKey: string, ttl: number, name: string): Result<number, Context>;
    flowSetTtl(indexKey: string, seconds: number, flowPrefix: string): Result<number, Context>;
    flowIncrBy(valueKey: string, indexKey: string, ttl: number, name: string, by: number): Result<number, Context>;
    flowCas(valueKey: string, indexKey: string, ttl: number, name: string, expected: string, next: string): Result<[number, string?], Context>;
    flowKeyTtl(valueKey: string, seconds: number): Result<number, Context>;
    flowClear(indexKey: string, flowPrefix: string): Result<number, Context>;
    flowSnapshot(indexKey: string, flowPrefix: string): Result<string[], Context>;
  }
}

export class RedisFlowStore implements FlowStore {
  private client: Redis | null = null;
  private lost = false;

  constructor(private readonly options: RedisFlowStoreOptions) {}

  async open(): Promise<void> {
    if (this.client) return;
    // Loaded by the first Redis-backed imposter, not at startup (ioredis takes ~200 ms to import).
    const { Redis } = await import('ioredis');
    const client = new Redis(this.options.url, {
      lazyConnect: true,
      enableAutoPipelining: true,
      // While Redis is away, commands fail at once (a clear 5xx) instead of queueing.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: TIMEOUT_MS,
      commandTimeout: TIMEOUT_MS,
      retryStrategy: (attempt: number) => Math.min(attempt * 100, 1_000),
    });
    client.defineCommand('flowSet', { numberOfKeys: 2, lua: SET_SCRIPT });
    client.defineCommand('flowIncrement', { numberOfKeys: 2, lua: INCREMENT_SCRIPT });
    client.defineCommand('flowSetTtl', { numberOfKeys: 1, lua: SET_TTL_SCRIPT });
    client.defineCommand('flowIncrBy', { numberOfKeys: 2, lua: INCRBY_SCRIPT });
    client.defineCommand('flowCas', { numberOfKeys: 2, lua: CAS_SCRIPT });
    client.defineCommand('flowKeyTtl', { numberOfKeys: 1, lua: KEY_TTL_SCRIPT });
    client.defineCommand('flowClear', { numberOfKeys: 1, lua: CLEAR_SCRIPT });
    client.defineCommand('flowSnapshot', { numberOfKeys: 1, lua: SNAPSHOT_SCRIPT });
    let firstError: Error | undefined;
    client.on('error', (err: Error) => {
      firstError ??= err;
      if (this.client === client && !this.lost) {
        this.lost = true;
        this.options.log.warn(`flow state: lost Redis at ${this.options.url} (${err.message}); retrying`);
      }
    });
    client.on('ready', () => {
      if (this.lost) this.options.log.info(`flow state: Redis at ${this.options.url} is back`);
      this.lost = false;
    });
    try {
      await withTimeout(client.connect(), TIMEOUT_MS);
      await client.ping();
    } catch (err) {
      client.disconnect();
      throw new FlowStoreError(`Redis at ${this.options.url} does not answer: ${firstError?.message ?? errorMessage(err)}`);
    }
    this.client = client;
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (!client) return;
    await client.quit().catch(() => client.disconnect());
  }

  async get(flowId: string, key: string): Promise<FlowValue | undefined> {
    const text = await this.run('get', (c) => c.get(this.valueKey(flowId, key)));
    return text === null ? undefined : parseValue(text);
  }

  async set(flowId: string, key: string, value: FlowValue): Promise<boolean> {
    const json = JSON.stringify(value) ?? 'null';
    await this.run('set', (c) => c.flowSet(this.valueKey(flowId, key), this.indexKey(flowId), this.options.ttlSeconds, key, json));
    return true;
  }

  increment(flowId: string, key: string): Promise<number> {
    return this.run('increment', (c) => c.flowIncrement(this.valueKey(flowId, key), this.indexKey(flowId), this.options.ttlSeconds, key));
  }

  async delete(flowId: string, key: string): Promise<boolean> {
    return (await this.run('delete', (c) => c.del(this.valueKey(flowId, key)))) > 0;
  }

  async exists(flowId: string, key: string): Promise<boolean> {
    return (await this.run('exists', (c) => c.exists(this.valueKey(flowId, key)))) > 0;
  }

  async setTtl(flowId: string, seconds: number): Promise<boolean> {
    const flowPrefix = `${this.options.keyPrefix}flow:${flowId}:`;
    return (await this.run('set_ttl', (c) => c.flowSetTtl(this.indexKey(flowId), seconds, flowPrefix))) === 1;
  }

  incrBy(flowId: string, key: string, by: number): Promise<number> {
    return this.run('incr_by', (c) => c.flowIncrBy(this.valueKey(flowId, key), this.indexKey(flowId), this.options.ttlSeconds, key, by));
  }

  async cas(flowId: string, key: string, expected: FlowValue, next: FlowValue): Promise<CasOutcome> {
    const expectedJson = expected === null ? '' : JSON.stringify(expected);
    const nextJson = JSON.stringify(next) ?? 'null';
    const [applied, current] = await this.run('cas', (c) =>
      c.flowCas(this.valueKey(flowId, key), this.indexKey(flowId), this.options.ttlSeconds, key, expectedJson, nextJson),
    );
    if (applied === 1) return { applied: true };
    return { applied: false, current: current === undefined ? null : parseValue(current) };
  }

  async keyTtl(flowId: string, key: string, seconds: number): Promise<boolean> {
    return (await this.run('ttl', (c) => c.flowKeyTtl(this.valueKey(flowId, key), Math.trunc(seconds)))) === 1;
  }

  async clear(flowId: string): Promise<boolean> {
    const flowPrefix = `${this.options.keyPrefix}flow:${flowId}:`;
    await this.run('clear', (c) => c.flowClear(this.indexKey(flowId), flowPrefix));
    return true;
  }

  /** One round trip: the flow's key set and each key's value, read by one server-side script. */
  async snapshot(flowId: string): Promise<ReadonlyMap<string, FlowValue>> {
    const flowPrefix = `${this.options.keyPrefix}flow:${flowId}:`;
    const pairs = await this.run('snapshot', (c) => c.flowSnapshot(this.indexKey(flowId), flowPrefix));
    const out = new Map<string, FlowValue>();
    for (let i = 0; i + 1 < pairs.length; i += 2) out.set(pairs[i]!, parseValue(pairs[i + 1]!));
    return out;
  }

  /** Walks the flows' key sets with SCAN (never KEYS), then reads each key's value and TTL. */
  async list(limit: number): Promise<FlowListing> {
    return this.run('list', async (c) => {
      const listing: FlowListing = { flows: [], truncated: false };
      const indexPrefix = `${this.options.keyPrefix}flowkeys:`;
      let cursor = '0';
      let count = 0;
      do {
        const [next, indexKeys] = await c.scan(cursor, 'MATCH', `${escapeGlob(indexPrefix)}*`, 'COUNT', 100);
        cursor = next;
        for (const indexKey of indexKeys) {
          const flowId = indexKey.slice(indexPrefix.length);
          const names = (await c.smembers(indexKey)).sort();
          const keys: FlowKeySnapshot[] = [];
          for (const name of names) {
            const [text, ttl] = await Promise.all([c.get(this.valueKey(flowId, name)), c.ttl(this.valueKey(flowId, name))]);
            if (text === null || ttl === -2) continue;
            if (count === limit) {
              listing.truncated = true;
              break;
            }
            keys.push({ key: name, value: parseValue(text), ttlSeconds: ttl });
            count++;
          }
          if (keys.length > 0) listing.flows.push({ flowId, keys });
          if (listing.truncated) return listing;
        }
      } while (cursor !== '0');
      return listing;
    });
  }

  private valueKey(flowId: string, key: string): string {
    return `${this.options.keyPrefix}flow:${flowId}:${key}`;
  }

  private indexKey(flowId: string): string {
    return `${this.options.keyPrefix}flowkeys:${flowId}`;
  }

  private async run<T>(operation: string, command: (client: Redis) => Promise<T>): Promise<T> {
    const client = this.client;
    if (!client) throw new FlowStoreError(`flow state: the Redis store is closed (${operation})`);
    try {
      return await command(client);
    } catch (err) {
      throw new FlowStoreError(`flow state: Redis ${operation} failed at ${this.options.url}: ${errorMessage(err)}`);
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
