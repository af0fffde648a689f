// A member of a fleet (--fleet redis://host:port/db): several standin processes, on one machine
// or many, serving one set of imposters kept in Redis. Each member serves every imposter on its
// own ports and answers the admin API; Redis holds what they share:
//   - the definitions (a hash), a version number counting changes, and a pub/sub channel that
//     announces each change with its version; an admin change answers once every live member
//     has applied it (each member publishes the version it applied with its heartbeat);
//   - cycle positions, one counter per stub that has several responses (INCR, once per request);
//   - numberOfRequests and the recorded requests (a sorted set by time, bounded): members keep
//     their own and hand them over when any member's admin API is asked, as --workers do.
// Flow state is shared through Rift's Redis flow store, which scripts must use in a fleet.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type { Imposter, ImposterScale } from '../core/imposter.js';
import type { ImposterRegistry, RegistryObserver } from '../core/imposterRegistry.js';
import { printImposter } from '../core/imposterPrinter.js';
import type { Stub } from '../core/stub.js';
import type { Log } from '../logging/logger.js';
import { StandinError } from '../model/errors.js';
import { isPlainObject } from '../model/plainObject.js';
import type { EchoedResponse } from '../model/echoedDefinition.js';
import type { GeneratedPredicates } from '../contracts/index.js';
import { refuseUnshareable } from '../scale/refuse.js';
import type { ScaleView } from '../admin/scaleView.js';
import type { Exposition } from '../metrics/exposition.js';
import { FleetStore, type BusMessage, type MemberBeat, type StoredImposter } from './fleetStore.js';

/** How long an admin change waits for every member to apply it before answering 503. */
const APPLY_TIMEOUT_MS = 10_000;
/** How long a collection waits for members to hand over what they served. */
const COLLECT_TIMEOUT_MS = 3_000;
const HEARTBEAT_MS = 500;
const SEED_WAIT_MS = 5_000;
/** A member whose heartbeat is older than this has left the fleet. */
const HEARTBEAT_TTL_MS = HEARTBEAT_MS * 6;

/** What a member sends of one imposter when asked (since the last time). */
interface Cursor {
  requests: number;
  index: number;
}

/** A member's heartbeat, and whether it is this process. */
export interface MemberStatus extends MemberBeat {
  self: boolean;
}

export class FleetMember implements RegistryObserver, ScaleView {
  readonly id = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private registry: ImposterRegistry | undefined;
  private readonly store: FleetStore;
  /** The version of the last change this member applied. */
  private applied = 0;
  /** Per port: the stored definition this member serves, as text (to skip what it already has). */
  private readonly serving = new Map<number, string>();
  private readonly cursors = new WeakMap<Imposter, Cursor>();
  /** Ports being deleted because another member deleted them (not to be announced again). */
  private readonly remoteDeletes = new Set<number>();
  private syncChain: Promise<void> = Promise.resolve();
  private heartbeat: NodeJS.Timeout | undefined;
  private adminPort = 0;
  /** Requests answered by imposters this member no longer serves (deleted, replaced), so its count never goes back. */
  private retiredRequests = 0;
  private readonly counted = new Set<Imposter>();
  /** The version this member had applied when a heartbeat first found it behind the fleet. */
  private behindAt: number | undefined;
  private catchingUp = false;
  private resyncing = 0;

  constructor(
    url: string,
    private readonly journalCap: number,
    private readonly log: Log,
  ) {
    this.store = new FleetStore(url, log, {
      message: (message) => this.onMessage(message),
      reconnected: async () => {
        // Until it has loaded the fleet again, its heartbeat says it is behind every change.
        this.resyncing++;
        try {
          await this.resync('Redis is back');
        } finally {
          this.resyncing--;
        }
      },
    });
  }

  readonly scale: ImposterScale = {
    takePosition: (imposter, stub) => this.takePosition(imposter, stub),
    peekPosition: (imposter, stub) => this.peekPosition(imposter, stub),
    recordProxyResponse: (imposter, stub, mode, predicates, response) => this.recordProxy(imposter, stub, mode, predicates, response),
    refuse: (config, stubs) => refuseUnshareable(config, stubs, '--fleet'),
    stamps: true,
  };

  /**
   * Connects to Redis and loads the fleet's imposters before anything serves: a member that
   * starts late, or again, serves the current imposters from its first request.
   */
  async join(registry: ImposterRegistry): Promise<void> {
    this.registry = registry;
    await this.store.open();
    await this.resync(undefined);
    registry.observe(this);
  }

  /** Once the admin API listens: the member announces itself and keeps doing so. */
  announce(adminPort: number): void {
    this.adminPort = adminPort;
    void this.beat();
    this.heartbeat = setInterval(() => void this.beat().then(() => this.catchUp()), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.store.leave(this.id).catch(() => undefined);
    await this.store.close();
  }

  // The admin API.

  /**
   * Before every admin request: with Redis away, only the pages about this process answer (the
   * rest would be this member's view alone); otherwise what every member served is collected.
   */
  async before(method: string, path: string): Promise<void> {
    const local = method === 'GET' && (path === '/' || path === '/config' || path === '/logs' || path === '/metrics');
    if (!this.store.ready) {
      if (local) return;
      throw new StandinError(
        'fleet unavailable',
        `the fleet's Redis (${this.store.url}) cannot be reached: imposters cannot change and the fleet's requests cannot be read until it is back; every member keeps serving the imposters it has`,
      );
    }
    if (path === '/logs' || path === '/config') return;
    await this.collect();
  }

  async created(imposter: Imposter): Promise<void> {
    this.counted.add(imposter);
    await this.store.reserveKeys(imposter.stubs.length);
    await this.publish(imposter.port, async () => this.store.put(imposter.port, this.stored(imposter), true));
  }

  async changed(imposter: Imposter): Promise<void> {
    await this.store.reserveKeys(imposter.stubs.length);
    await this.publish(imposter.port, async () => this.store.put(imposter.port, this.stored(imposter), false));
  }

  async deleted(imposter: Imposter): Promise<void> {
    this.retiredRequests += imposter.metrics.requests;
    this.counted.delete(imposter);
    if (this.remoteDeletes.has(imposter.port)) return;
    this.serving.delete(imposter.port);
    await this.publish(imposter.port, async () => this.store.remove(imposter.port));
  }

  async replaced(imposters: readonly Imposter[]): Promise<void> {
    this.servedTotal();
    this.serving.clear();
    await this.store.reserveKeys(imposters.reduce((sum, imposter) => sum + imposter.stubs.length, 0));
    const all = new Map(imposters.map((imposter) => [imposter.port, this.stored(imposter)] as const));
    await this.publish(null, async () => this.store.replaceAll(all));
  }

  async cleared(imposter: Imposter): Promise<void> {
    this.requireRedis();
    await this.store.clearRequests(imposter.port);
  }

  /** The imposter as it is stored, its stubs keyed (new stubs get new keys, so their cycles start afresh). */
  private stored(imposter: Imposter): StoredImposter {
    const definition = printImposter(imposter, { baseUrl: '', replayable: true, keepProxyResponseTimes: true });
    const stubs: unknown[] = Array.isArray(definition.stubs) ? definition.stubs : [];
    delete definition.stubs;
    const keys = imposter.stubs.map((stub) => (stub.key ??= this.store.newKey()));
    const text = JSON.stringify({ definition, stubs, keys });
    this.serving.set(imposter.port, text);
    return { definition, stubs, keys, text };
  }

  /** Writes a change, announces it, and waits until every live member has applied it. */
  private async publish(port: number | null, write: () => Promise<number>): Promise<void> {
    this.requireRedis();
    // Redis came back (maybe empty, without anyone's heartbeat): give every live member the time
    // of one heartbeat's lifetime to reconnect and show up, so the change waits for it too.
    const settling = this.store.recoveredAt + HEARTBEAT_TTL_MS - Date.now();
    if (settling > 0) await new Promise((resolve) => setTimeout(resolve, settling));
    this.requireRedis();
    const version = await write();
    this.applied = Math.max(this.applied, version);
    await this.store.announce({ t: 'change', version, port, from: this.id });
    await this.waitApplied(version);
  }

  /** Resolves once every live member has applied `version` (or answers 503 after APPLY_TIMEOUT_MS). */
  private async waitApplied(version: number): Promise<void> {
    await this.beat();
    const deadline = Date.now() + APPLY_TIMEOUT_MS;
    for (;;) {
      const members = await this.store.members();
      const behind = members.filter((member) => member.version < version);
      if (behind.length === 0) return;
      if (Date.now() > deadline) {
        throw new StandinError(
          'fleet unavailable',
          `the change is stored, but ${behind.map((m) => m.member).join(', ')} did not apply it within ${APPLY_TIMEOUT_MS / 1000}s`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  private requireRedis(): void {
    if (!this.store.ready)
      throw new StandinError('fleet unavailable', `the fleet's Redis (${this.store.url}) cannot be reached: imposters cannot change until it is back`);
  }

  // Applying what other members changed.

  private onMessage(message: BusMessage): void {
    if (message.t === 'change') {
      if (message.from === this.id) return;
      this.queue(async () => {
        if (message.port === null || message.version > this.applied + 1) await this.applyAll();
        else await this.applyPort(message.port);
        this.applied = Math.max(this.applied, message.version);
        await this.beat();
      });
      return;
    }
    if (message.t === 'collect') void this.handOver(message.id);
  }

  /** Runs `task` in turn with the changes this member applies, and gives its result. */
  private serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.syncChain.then(task);
    this.syncChain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private queue(task: () => Promise<void>): void {
    this.syncChain = this.syncChain.then(task).catch((err: unknown) => {
      this.log.error(`fleet: could not apply a change: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  /** Everything again, from Redis: at start, after Redis came back, or after a missed change. */
  private resync(why: string | undefined): Promise<void> {
    const done = new Promise<void>((resolve, reject) => {
      this.syncChain = this.syncChain.then(async () => {
        try {
          if (why !== undefined) this.log.info(`fleet: ${why}; loading the imposters again`);
          await this.applyAll();
          resolve();
        } catch (err) {
          reject(err);
        }
      });
    });
    return done;
  }

  private async applyAll(): Promise<void> {
    const registry = this.registry!;
    let { version, imposters } = await this.store.loadAll();
    if (version === 0 && imposters.size === 0 && this.serving.size > 0) {
      // Redis came back empty (restarted without persistence): the first member back gives it what it served.
      await this.store.reserveKeys(registry.list().reduce((sum, imposter) => sum + imposter.stubs.length, 0));
      const seeded = await this.store.seed(new Map(registry.list().map((imposter) => [imposter.port, this.stored(imposter)] as const)));
      if (seeded) this.log.info('fleet: Redis was empty; gave it the imposters this member serves');
      ({ version, imposters } = await this.store.loadAll());
      // Another member won the seed and is still writing it (one MULTI): wait for it rather than
      // drop what this member serves; if it never comes, keep serving and catch up later.
      for (const deadline = Date.now() + SEED_WAIT_MS; version === 0 && Date.now() < deadline;) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        ({ version, imposters } = await this.store.loadAll());
      }
      if (version === 0) return;
    }
    for (const imposter of registry.list()) {
      if (!imposters.has(imposter.port)) await this.removeLocal(imposter.port);
    }
    for (const [port, stored] of imposters) await this.applyStored(port, stored);
    this.applied = version;
  }

  private async applyPort(port: number): Promise<void> {
    const stored = await this.store.get(port);
    if (stored === undefined) await this.removeLocal(port);
    else await this.applyStored(port, stored);
  }

  private async removeLocal(port: number): Promise<void> {
    this.serving.delete(port);
    this.remoteDeletes.add(port);
    try {
      await this.registry!.delete(port);
    } finally {
      this.remoteDeletes.delete(port);
    }
  }

  private async applyStored(port: number, stored: StoredImposter): Promise<void> {
    if (this.serving.get(port) === stored.text) return;
    const registry = this.registry!;
    const current = registry.get(port);
    const servingDefinition = current === undefined ? undefined : definitionText(this.serving.get(port));
    if (current !== undefined && servingDefinition === JSON.stringify(stored.definition)) {
      // Only the stubs changed: swapped in place, the port stays open.
      current.setStubs(current.compileStubs(stored.stubs));
      setKeys(current, stored.keys);
    } else {
      if (current !== undefined) await this.removeLocal(port);
      const imposter = registry.compile({ ...stored.definition, stubs: stored.stubs });
      setKeys(imposter, stored.keys);
      await registry.listen(imposter);
      this.counted.add(imposter);
    }
    this.serving.set(port, stored.text);
  }

  // Requests.

  private async takePosition(_imposter: Imposter, stub: Stub): Promise<number> {
    if (stub.key === undefined || !this.store.ready) return stub.takePosition();
    try {
      return positionOf(stub, await this.store.nextInCycle(stub.key));
    } catch {
      // Redis went away mid-request: this member cycles on its own until it is back.
      return stub.takePosition();
    }
  }

  /**
   * A proxy's answer (proxyOnce, proxyAlways), saved in the fleet's definition of the imposter:
   * under a lock in Redis, since two members saving at once would each write the imposter without
   * the other's answer; on the definition as Redis has it (another member may have saved one just
   * before); then announced as any change. Resolves once every live member serves it, so the next
   * request, whichever member takes it, finds the saved answer, as with one process.
   */
  private async recordProxy(
    imposter: Imposter,
    stub: Stub,
    mode: 'proxyOnce' | 'proxyAlways',
    predicates: GeneratedPredicates,
    response: EchoedResponse,
  ): Promise<void> {
    const key = stub.key;
    if (!this.store.ready || key === undefined) {
      imposter.saveProxyResponse(stub, mode, predicates, response);
      this.log.warn(`fleet: Redis cannot be reached: the proxy's answer is saved in this member only, until it loads the fleet's imposters again`);
      return;
    }
    const port = imposter.port;
    try {
      const version = await this.store.locked(`imposter:${port}`, () =>
        this.serialized(async () => {
          const stored = await this.store.get(port);
          if (stored === undefined) return undefined;
          await this.applyStored(port, stored);
          const current = this.registry!.get(port);
          const proxyStub = current?.stubs.find((candidate) => candidate.key === key);
          if (current === undefined || proxyStub === undefined) return undefined;
          current.saveProxyResponse(proxyStub, mode, predicates, response);
          await this.store.reserveKeys(current.stubs.length);
          const version = await this.store.put(port, this.stored(current), false);
          this.applied = Math.max(this.applied, version);
          await this.store.announce({ t: 'change', version, port, from: this.id });
          return version;
        }),
      );
      if (version !== undefined) await this.waitApplied(version);
    } catch (err) {
      this.log.error(`fleet: the proxy's answer could not be saved for the fleet: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Which response a cycling stub gives next, from the fleet's counter (not moved). */
  private async peekPosition(_imposter: Imposter, stub: Stub): Promise<number> {
    if (stub.key === undefined || !this.store.ready) return stub.cyclePosition()[0];
    try {
      return positionOf(stub, (await this.store.servedInCycle(stub.key)) + 1);
    } catch {
      return stub.cyclePosition()[0];
    }
  }

  /** Asks every member for what it served, and loads the fleet's counts and journals into this member's imposters. */
  private async collect(): Promise<void> {
    const id = randomUUID();
    const live = await this.store.members();
    await this.store.announce({ t: 'collect', id, from: this.id });
    const deadline = Date.now() + COLLECT_TIMEOUT_MS;
    for (;;) {
      const answered = await this.store.handedOver(id);
      if (live.every((member) => answered.has(member.member)) && answered.has(this.id)) break;
      if (Date.now() > deadline) {
        this.log.warn(
          `fleet: ${live
            .filter((m) => !answered.has(m.member))
            .map((m) => m.member)
            .join(', ')} did not hand over their requests within ${COLLECT_TIMEOUT_MS / 1000}s`,
        );
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    for (const imposter of this.registry!.list()) {
      const { count, recorded, records } = await this.store.requests(imposter.port);
      const cursor = this.cursorOf(imposter);
      // What this member served after it handed over stays, to be handed over next time.
      imposter.numberOfRequests = count + (imposter.metrics.requests - cursor.requests);
      const journal = imposter.journal;
      if (journal !== null) {
        const pending = journal.since(cursor.index);
        const first = recorded - records.length + 1;
        journal.reset(
          records.map((record, i) => ({ ...record, index: first + i })),
          recorded,
        );
        cursor.index = journal.lastIndex;
        for (const record of pending) {
          record.index = journal.lastIndex + 1;
          journal.add(record);
        }
      }
    }
  }

  /** What this member served since it last handed over, written to Redis (its heartbeat first, so GET / shows its count as of now). */
  private async handOver(id: string): Promise<void> {
    await this.beat();
    const parts = this.registry!.list().map((imposter) => {
      const cursor = this.cursorOf(imposter);
      const requests = imposter.metrics.requests - cursor.requests;
      cursor.requests = imposter.metrics.requests;
      const records = imposter.journal?.since(cursor.index) ?? [];
      cursor.index = imposter.journal?.lastIndex ?? 0;
      return { port: imposter.port, requests, records };
    });
    try {
      await this.store.handOver(id, this.id, parts, this.journalCap);
    } catch (err) {
      this.log.warn(`fleet: could not hand over requests: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private cursorOf(imposter: Imposter): Cursor {
    let cursor = this.cursors.get(imposter);
    if (cursor === undefined) {
      cursor = { requests: 0, index: 0 };
      this.cursors.set(imposter, cursor);
    }
    return cursor;
  }

  /**
   * A change announced while this member's subscriber was reconnecting (Redis restarted, a network
   * blip) never reaches it, and every later admin change would wait for it: a member found behind
   * the fleet's version at two heartbeats in a row, with nothing applied in between, loads
   * everything again. (One heartbeat behind is normal: a change in flight.)
   */
  private async catchUp(): Promise<void> {
    if (!this.store.ready || this.catchingUp) return;
    const version = await this.store.version().catch(() => undefined);
    if (version !== undefined && version < this.applied) {
      // The fleet's version only grows, unless Redis lost what it held.
      await this.catchUpNow(`the fleet's version went back from ${this.applied} to ${version}`);
      return;
    }
    if (version === undefined || version <= this.applied) {
      this.behindAt = undefined;
      return;
    }
    if (this.behindAt !== this.applied) {
      this.behindAt = this.applied;
      return;
    }
    await this.catchUpNow(`change ${version} of the fleet did not reach this member`);
  }

  private async catchUpNow(why: string): Promise<void> {
    this.behindAt = undefined;
    this.catchingUp = true;
    try {
      await this.resync(why);
      await this.beat();
    } catch (err) {
      this.log.error(`fleet: could not load the imposters again: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.catchingUp = false;
    }
  }

  private async beat(): Promise<void> {
    if (!this.store.ready) return;
    const requests = this.servedTotal();
    const beat: MemberBeat = {
      member: this.id,
      pid: process.pid,
      host: os.hostname(),
      adminPort: this.adminPort,
      version: this.resyncing > 0 ? -1 : this.applied,
      requests,
    };
    await this.store.beat(beat, HEARTBEAT_TTL_MS).catch(() => undefined);
  }

  /** Every request this member answered since it started, all imposters, those since removed included. */
  private servedTotal(): number {
    const current = this.registry?.list() ?? [];
    const live = new Set(current);
    for (const imposter of this.counted) {
      if (live.has(imposter)) continue;
      this.retiredRequests += imposter.metrics.requests;
      this.counted.delete(imposter);
    }
    let total = this.retiredRequests;
    for (const imposter of current) {
      this.counted.add(imposter);
      total += imposter.metrics.requests;
    }
    return total;
  }

  /** GET / and /metrics: every live member (from their heartbeats). */
  async status(): Promise<{ redis: string; connected: boolean; version: number; members: MemberStatus[] }> {
    const connected = this.store.ready;
    if (!connected) return { redis: this.store.url, connected, version: this.applied, members: [] };
    const members = await this.store.members();
    return {
      redis: this.store.url,
      connected,
      version: await this.store.version(),
      members: members.map((member) => ({ ...member, self: member.member === this.id })).sort((a, b) => a.member.localeCompare(b.member)),
    };
  }

  async home(): Promise<Record<string, unknown>> {
    return { fleet: await this.status() };
  }

  async metrics(out: Exposition): Promise<void> {
    const status: { connected: boolean; members: MemberStatus[] } = await this.status().catch(() => ({ connected: false, members: [] }));
    out.family('standin_fleet_redis_up', 'gauge', "Whether this member reaches the fleet's Redis (--fleet)", [[undefined, status.connected ? 1 : 0]]);
    out.family('standin_fleet_members', 'gauge', 'Members of the fleet with a live heartbeat', [[undefined, status.members.length]]);
    out.family(
      'standin_fleet_member_requests_total',
      'counter',
      'Requests answered by each member, all imposters (from its last heartbeat)',
      status.members.map((m) => [{ member: m.member }, m.requests] as const),
    );
  }

  get redisReady(): boolean {
    return this.store.ready;
  }
}

function definitionText(serving: string | undefined): string | undefined {
  if (serving === undefined) return undefined;
  const stored: unknown = JSON.parse(serving);
  return JSON.stringify(isPlainObject(stored) ? stored.definition : undefined);
}

function setKeys(imposter: Imposter, keys: readonly number[]): void {
  const stubs = imposter.stubs;
  for (let i = 0; i < stubs.length; i++) stubs[i]!.key = keys[i];
}

/** The response the n-th request to a stub gets (n from 1): mountebank's round robin, each response `repeat` times. */
export function positionOf(stub: Stub, n: number): number {
  const responses = stub.responses;
  let total = 0;
  for (const response of responses) total += response.repeat;
  let k = (n - 1) % total;
  for (let i = 0; i < responses.length; i++) {
    if (k < responses[i]!.repeat) return i;
    k -= responses[i]!.repeat;
  }
  return 0;
}
