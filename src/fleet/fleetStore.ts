// What a fleet keeps in Redis, under `standin:fleet:` in the database of the --fleet URL:
//   version            INCR per change to the imposters
//   imposters          HASH port -> {definition, stubs, keys} as JSON
//   bus:{db}           pub/sub channel: {t:"change", version, port} and {t:"collect", id} (Redis
//                      has one set of channels for all databases: the name keeps fleets apart)
//   member:{id}        each live member's heartbeat (JSON, expires when it stops beating)
//   stubkey            INCR: keys for new stubs
//   cycle:{key}        INCR: requests a cycling stub has answered, fleet-wide
//   count:{port}       numberOfRequests;  recorded:{port}  requests ever recorded
//   journal:{port}     ZSET of recorded requests scored by time, trimmed to --journalCap
//   collected:{id}     SET of the members that handed over for collection {id}
//   lock:imposter:{port}  held while a member saves a proxy's answer into the imposter
// Two connections: one for commands, one subscribed to the bus.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RecordedRequest } from '../core/recordedRequest.js';
import type { Log } from '../logging/logger.js';
import { errorMessage } from '../model/caughtError.js';
import { isPlainObject } from '../model/plainObject.js';

const PREFIX = 'standin:fleet:';
const TIMEOUT_MS = 2_000;
/** A lock expires on its own after this long (a member that died holding it); a member waits at most LOCK_WAIT_MS for one. */
const LOCK_TTL_MS = 10_000;
const LOCK_WAIT_MS = 10_000;
/** Deletes the lock only if it is still the caller's (it may have expired and been taken by another). */
const RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0";

/** What members announce on the bus: a change (with the fleet's version after it), or a request to hand over what they served. */
export type BusMessage = { t: 'change'; version: number; port: number | null; from: string } | { t: 'collect'; id: string; from: string };

export interface StoredImposter {
  definition: Record<string, unknown>;
  stubs: unknown[];
  keys: number[];
  /** The JSON it was read from or written as. */
  text: string;
}

export interface MemberBeat {
  member: string;
  pid: number;
  host: string;
  adminPort: number;
  /** The last change it applied (the fleet's version when it is up to date). */
  version: number;
  requests: number;
}

export interface HandedOver {
  port: number;
  requests: number;
  records: RecordedRequest[];
}

export class FleetStore {
  private client: Redis | null = null;
  private subscriber: Redis | null = null;
  private lost = false;
  /** When the connection came back after a loss (0: never lost). */
  recoveredAt = 0;
  private keyBlock = { next: 0, end: 0 };
  private bus = `${PREFIX}bus`;

  constructor(
    readonly url: string,
    private readonly log: Log,
    private readonly handlers: { message(message: BusMessage): void; reconnected(): Promise<void> },
  ) {}

  /** True while commands reach Redis. */
  get ready(): boolean {
    return this.client !== null && this.client.status === 'ready' && !this.lost;
  }

  async open(): Promise<void> {
    const { Redis } = await import('ioredis');
    const options = {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: TIMEOUT_MS,
      commandTimeout: TIMEOUT_MS,
      retryStrategy: (attempt: number) => Math.min(attempt * 100, 1_000),
    };
    const client = new Redis(this.url, { ...options, enableAutoPipelining: true });
    // ioredis would subscribe again by itself after a reconnection, without handling a failure: Redis
    // lost again before it answered left an unhandled rejection (MaxRetriesPerRequestError). The
    // subscriber subscribes on each connection here, failure handled.
    const subscriber = new Redis(this.url, { ...options, autoResubscribe: false });
    const bus = `${PREFIX}bus:${client.options.db ?? 0}`;
    this.bus = bus;
    let firstError: Error | undefined;
    const lose = (why: string) => {
      if (this.client === client && !this.lost) {
        this.lost = true;
        this.log.warn(`fleet: lost Redis at ${this.url} (${why}); serving the imposters this member has, admin changes answer 503 until it is back`);
      }
    };
    client.on('error', (err: Error) => {
      firstError ??= err;
      lose(err.message);
    });
    // A closed connection is lost too: ioredis does not always report an error first (Redis stopped
    // and back before a reconnection failed), and what Redis held may be gone.
    client.on('close', () => lose('connection closed'));
    subscriber.on('error', () => undefined);
    let subscribed = false;
    subscriber.on('ready', () => {
      if (!subscribed) return; // the first connection subscribes below, awaited
      subscriber.subscribe(bus).catch((err: Error) => {
        // Lost again before Redis answered: the next connection subscribes. Still connected (a
        // timeout): reconnect, so that it does.
        if (subscriber.status === 'ready') subscriber.disconnect(true);
        this.log.debug(`fleet: could not subscribe to the fleet's changes again (${err.message}); retrying`);
      });
    });
    client.on('ready', () => {
      if (!this.lost || this.client !== client) return;
      this.lost = false;
      this.recoveredAt = Date.now();
      void this.handlers.reconnected().catch((err: unknown) => this.log.error(`fleet: could not load the imposters again: ${String(err)}`));
    });
    subscriber.on('message', (_channel: string, text: string) => {
      try {
        const message: unknown = JSON.parse(text);
        if (isBusMessage(message)) this.handlers.message(message);
      } catch {
        // not ours
      }
    });
    try {
      await withTimeout(Promise.all([client.connect(), subscriber.connect()]), TIMEOUT_MS);
      await subscriber.subscribe(bus);
      subscribed = true;
      await client.ping();
    } catch (err) {
      client.disconnect();
      subscriber.disconnect();
      throw new Error(`the fleet's Redis at ${this.url} does not answer: ${firstError?.message ?? errorMessage(err)}`, { cause: err });
    }
    this.client = client;
    this.subscriber = subscriber;
  }

  async close(): Promise<void> {
    const client = this.client;
    const subscriber = this.subscriber;
    this.client = null;
    this.subscriber = null;
    await Promise.all([client, subscriber].map((c) => c?.quit().catch(() => c.disconnect())));
  }

  private get redis(): Redis {
    if (this.client === null) throw new Error('the fleet store is closed');
    return this.client;
  }

  /** A key for a new stub, from blocks of 100 taken with one INCRBY. */
  newKey(): number {
    // Keys must be unique across members: the block is reserved in Redis before use (see reserveKeys).
    if (this.keyBlock.next >= this.keyBlock.end) throw new Error('no stub keys reserved');
    return this.keyBlock.next++;
  }

  /** Makes sure `count` keys can be handed out without a round trip. */
  async reserveKeys(count: number): Promise<void> {
    if (this.keyBlock.end - this.keyBlock.next >= count) return;
    const size = Math.max(100, count);
    const end = await this.redis.incrby(`${PREFIX}stubkey`, size);
    this.keyBlock = { next: end - size + 1, end: end + 1 };
  }

  /** Stores an imposter; a new one (`fresh`) starts with no requests. Returns the fleet's new version. */
  async put(port: number, stored: StoredImposter, fresh: boolean): Promise<number> {
    const multi = this.redis.multi();
    if (fresh) multi.del(...requestKeys(port));
    const results = (await multi.hset(`${PREFIX}imposters`, String(port), stored.text).incr(`${PREFIX}version`).exec()) ?? [];
    return Number(results[results.length - 1]?.[1]);
  }

  async remove(port: number): Promise<number> {
    const results =
      (await this.redis
        .multi()
        .del(...requestKeys(port))
        .hdel(`${PREFIX}imposters`, String(port))
        .incr(`${PREFIX}version`)
        .exec()) ?? [];
    return Number(results[results.length - 1]?.[1]);
  }

  async replaceAll(imposters: ReadonlyMap<number, StoredImposter>): Promise<number> {
    const multi = this.redis.multi().del(`${PREFIX}imposters`);
    for (const [port, stored] of imposters) multi.del(...requestKeys(port)).hset(`${PREFIX}imposters`, String(port), stored.text);
    const results = (await multi.incr(`${PREFIX}version`).exec()) ?? [];
    return Number(results[results.length - 1]?.[1]);
  }

  /** Redis came back empty: the first member to get here writes what it serves. Returns whether it did. */
  async seed(imposters: ReadonlyMap<number, StoredImposter>): Promise<boolean> {
    const won = await this.redis.set(`${PREFIX}seeded`, '1', 'EX', 10, 'NX');
    if (won !== 'OK') return false;
    const version = await this.replaceAll(imposters);
    await this.announce({ t: 'change', version, port: null, from: 'seed' });
    return true;
  }

  async loadAll(): Promise<{ version: number; imposters: Map<number, StoredImposter> }> {
    const [all, version] = await Promise.all([this.redis.hgetall(`${PREFIX}imposters`), this.redis.get(`${PREFIX}version`)]);
    const imposters = new Map<number, StoredImposter>();
    for (const [port, text] of Object.entries(all)) imposters.set(Number(port), parseStored(text));
    return { version: Number(version ?? 0), imposters };
  }

  async get(port: number): Promise<StoredImposter | undefined> {
    const text = await this.redis.hget(`${PREFIX}imposters`, String(port));
    return text === null ? undefined : parseStored(text);
  }

  async version(): Promise<number> {
    return Number((await this.redis.get(`${PREFIX}version`)) ?? 0);
  }

  async announce(message: BusMessage): Promise<void> {
    await this.redis.publish(this.bus, JSON.stringify(message));
  }

  async beat(beat: MemberBeat, ttlMs: number): Promise<void> {
    await this.redis.set(`${PREFIX}member:${beat.member}`, JSON.stringify(beat), 'PX', ttlMs);
  }

  async leave(member: string): Promise<void> {
    await this.redis.del(`${PREFIX}member:${member}`);
  }

  /** The members whose heartbeat has not expired. */
  async members(): Promise<MemberBeat[]> {
    const keys = await this.redis.keys(`${PREFIX}member:*`);
    if (keys.length === 0) return [];
    const values = await this.redis.mget(...keys);
    return values.flatMap((v): MemberBeat[] => {
      const beat: unknown = v === null ? null : JSON.parse(v);
      return isMemberBeat(beat) ? [beat] : [];
    });
  }

  /** Runs `task` holding the lock `name`, which one member at a time holds across the fleet. */
  async locked<T>(name: string, task: () => Promise<T>): Promise<T> {
    const key = `${PREFIX}lock:${name}`;
    const token = randomUUID();
    const deadline = Date.now() + LOCK_WAIT_MS;
    while ((await this.redis.set(key, token, 'PX', LOCK_TTL_MS, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw new Error(`${name} stayed locked for ${LOCK_WAIT_MS / 1000}s`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    try {
      return await task();
    } finally {
      await this.redis.eval(RELEASE, 1, key, token).catch(() => undefined);
    }
  }

  nextInCycle(key: number): Promise<number> {
    return this.redis.incr(`${PREFIX}cycle:${key}`);
  }

  /** How many requests a cycling stub has answered, fleet-wide (its counter, not moved). */
  async servedInCycle(key: number): Promise<number> {
    return Number((await this.redis.get(`${PREFIX}cycle:${key}`)) ?? 0);
  }

  async handOver(id: string, member: string, parts: readonly HandedOver[], journalCap: number): Promise<void> {
    const multi = this.redis.multi();
    for (const part of parts) {
      if (part.requests > 0) multi.incrby(`${PREFIX}count:${part.port}`, part.requests);
      if (part.records.length === 0) continue;
      const journal = `${PREFIX}journal:${part.port}`;
      for (const record of part.records) multi.zadd(journal, record.at ?? Date.now() * 1000, JSON.stringify({ ...record, member }));
      multi.zremrangebyrank(journal, 0, -(journalCap + 1));
      multi.incrby(`${PREFIX}recorded:${part.port}`, part.records.length);
    }
    multi.sadd(`${PREFIX}collected:${id}`, member).expire(`${PREFIX}collected:${id}`, 60);
    await multi.exec();
  }

  async handedOver(id: string): Promise<Set<string>> {
    return new Set(await this.redis.smembers(`${PREFIX}collected:${id}`));
  }

  async requests(port: number): Promise<{ count: number; recorded: number; records: RecordedRequest[] }> {
    const [count, recorded, records] = await Promise.all([
      this.redis.get(`${PREFIX}count:${port}`),
      this.redis.get(`${PREFIX}recorded:${port}`),
      this.redis.zrange(`${PREFIX}journal:${port}`, 0, -1),
    ]);
    return {
      count: Number(count ?? 0),
      recorded: Number(recorded ?? 0),
      records: records.flatMap((text): RecordedRequest[] => {
        const record: unknown = JSON.parse(text);
        if (!isHandedOverRecord(record)) return [];
        delete record.member;
        return [record];
      }),
    };
  }

  async clearRequests(port: number): Promise<void> {
    await this.redis.del(`${PREFIX}count:${port}`, `${PREFIX}journal:${port}`);
  }
}

/** What a fleet keeps of an imposter's requests. */
const requestKeys = (port: number): string[] => [`${PREFIX}count:${port}`, `${PREFIX}journal:${port}`, `${PREFIX}recorded:${port}`];

function parseStored(text: string): StoredImposter {
  const parsed: unknown = JSON.parse(text);
  if (!isStoredImposter(parsed)) throw new Error(`the fleet's Redis holds an imposter that no member stored: ${text.slice(0, 100)}`);
  return { ...parsed, text };
}

// What a member reads back from Redis is checked before use: members write it, but anyone may
// write to the database, and a value no member wrote is skipped rather than trusted.

/** A change or a collection request, as announce() publishes them. */
function isBusMessage(value: unknown): value is BusMessage {
  if (!isPlainObject(value) || typeof value.from !== 'string') return false;
  if (value.t === 'change') return typeof value.version === 'number' && (value.port === null || typeof value.port === 'number');
  return value.t === 'collect' && typeof value.id === 'string';
}

/** A heartbeat, as beat() writes it. */
function isMemberBeat(value: unknown): value is MemberBeat {
  return (
    isPlainObject(value) &&
    typeof value.member === 'string' &&
    typeof value.pid === 'number' &&
    typeof value.host === 'string' &&
    typeof value.adminPort === 'number' &&
    typeof value.version === 'number' &&
    typeof value.requests === 'number'
  );
}

/** An imposter as put() stores it (without the text it was read from). */
function isStoredImposter(value: unknown): value is Omit<StoredImposter, 'text'> {
  return (
    isPlainObject(value) &&
    isPlainObject(value.definition) &&
    Array.isArray(value.stubs) &&
    Array.isArray(value.keys) &&
    value.keys.every((key) => typeof key === 'number')
  );
}

/** A journal entry as handOver() writes it: a recorded request and the member that served it. */
function isHandedOverRecord(value: unknown): value is RecordedRequest & { member?: unknown } {
  return (
    isPlainObject(value) &&
    typeof value.index === 'number' &&
    isPlainObject(value.request) &&
    (value.at === undefined || typeof value.at === 'number') &&
    (value.stub === undefined || value.stub === null || isPlainObject(value.stub)) &&
    (value.nearMiss === undefined || isPlainObject(value.nearMiss))
  );
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
