// The primary process under --workers: it holds every imposter (compiled, validated, persisted,
// the admin API's view) but listens on none of their ports; the workers do. It decides what must
// be decided once for all workers (which response a cycling stub gives next, proxy recordings),
// sends every change to every worker before the admin API answers, and before each admin request
// collects what the workers served (counters, recorded requests, --debug matches).
import net from 'node:net';
import type { ListenOptions, ProtocolServer } from '../contracts/index.js';
import type { Imposter, ImposterScale } from '../core/imposter.js';
import type { ImposterRegistry, RegistryObserver } from '../core/imposterRegistry.js';
import { printImposter } from '../core/imposterPrinter.js';
import type { Stub } from '../core/stub.js';
import type { EventLog } from '../events/eventLog.js';
import type { Log, Logger } from '../logging/logger.js';
import { portOf } from '../model/boundPort.js';
import { StandinError } from '../model/errors.js';
import type { ScaleView } from '../admin/scaleView.js';
import type { Exposition } from '../metrics/exposition.js';
import { absorbImposter } from './journalMerge.js';
import type { DrainedImposter, WorkerMessage, WorkerSettings } from './messages.js';
import { refuseUnshareable } from './refuse.js';
import { WorkerPool, type WorkerSlot } from './workerPool.js';

/** How often the event stream receives the workers' recorded requests while someone watches it. */
const EVENT_DRAIN_MS = 100;

export interface WorkerStatus {
  worker: number;
  pid: number | null;
  serving: boolean;
  requests: number;
  restarts: number;
}

export class PrimaryScale implements RegistryObserver, ScaleView {
  readonly pool: WorkerPool;
  private registry: ImposterRegistry | undefined;
  private nextKey = 1;
  /** Each imposter's stubs by key, as the workers were last told. */
  private readonly keyed = new WeakMap<Imposter, Map<number, Stub>>();
  private drainQueued: Promise<void> | null = null;
  private drainChain: Promise<void> = Promise.resolve();
  private eventTimer: NodeJS.Timeout | undefined;

  constructor(
    count: number,
    exec: string,
    settings: Omit<WorkerSettings, 'slot'>,
    private readonly logger: Logger,
    private readonly log: Log,
    private readonly journalCap: number,
    private readonly events: EventLog,
  ) {
    this.pool = new WorkerPool(
      count,
      exec,
      settings,
      {
        catchUp: (slot) => this.catchUp(slot),
        message: (slot, message) => this.onMessage(slot, message),
      },
      log,
    );
  }

  /** What the primary's imposters do differently: listen through the workers; refuse what cannot be shared. */
  readonly scale: ImposterScale = {
    listen: (imposter, options) => this.listen(imposter, options),
    refuse: refuseUnshareable,
  };

  /** Starts the workers; the registry is the one whose imposters they serve. */
  async start(registry: ImposterRegistry): Promise<void> {
    this.registry = registry;
    registry.observe(this);
    await this.pool.start();
    this.watchEvents();
  }

  async close(): Promise<void> {
    clearInterval(this.eventTimer);
    await this.pool.close();
  }

  // The imposters' lifecycle, told to every worker.

  private async listen(imposter: Imposter, options: ListenOptions): Promise<ProtocolServer> {
    const port = options.port !== 0 ? options.port : await freePortOn(options.host);
    imposter.port = port;
    await this.pool.exclusive(async () => {
      const open = { t: 'open', port, ...this.definition(imposter) } as const;
      const opened = await Promise.allSettled(this.pool.slots.filter((slot) => slot.ready).map((slot) => this.pool.send(slot, open)));
      const failed = opened.find((result) => result.status === 'rejected');
      if (failed !== undefined) {
        await this.pool.broadcast({ t: 'close', port });
        throw failed.reason;
      }
    });
    return {
      port,
      close: () => this.pool.exclusive(async () => void (await this.pool.broadcast({ t: 'close', port }))),
    };
  }

  /** The imposter as the workers compile it, and the keys of its stubs in order. */
  private definition(imposter: Imposter): { definition: Record<string, unknown>; keys: number[]; configDirs: (string | null)[] } {
    const definition = printImposter(imposter, { baseUrl: '', replayable: true, keepProxyResponseTimes: true });
    return { definition, keys: this.keysOf(imposter), configDirs: configDirsOf(imposter) };
  }

  private keysOf(imposter: Imposter): number[] {
    const map = new Map<number, Stub>();
    const keys = imposter.stubs.map((stub) => {
      stub.key ??= this.nextKey++;
      map.set(stub.key, stub);
      return stub.key;
    });
    this.keyed.set(imposter, map);
    return keys;
  }

  async created(): Promise<void> {}

  async changed(imposter: Imposter): Promise<void> {
    await this.syncStubs(imposter);
  }

  async deleted(): Promise<void> {}

  async replaced(): Promise<void> {}

  async cleared(imposter: Imposter): Promise<void> {
    await this.pool.exclusive(async () => void (await this.pool.broadcast({ t: 'clear', port: imposter.port })));
  }

  private async syncStubs(imposter: Imposter): Promise<void> {
    await this.pool.exclusive(async () => {
      const stubs = imposter.stubs.map((stub) => stub.config);
      await this.pool.broadcast({ t: 'stubs', port: imposter.port, stubs, keys: this.keysOf(imposter), configDirs: configDirsOf(imposter) });
    });
  }

  /** A new worker process: every current imposter, in port order, before it serves anything. */
  private async catchUp(slot: WorkerSlot): Promise<void> {
    for (const imposter of this.registry?.list() ?? []) {
      await this.pool.send(slot, { t: 'open', port: imposter.port, ...this.definition(imposter) });
    }
  }

  private onMessage(slot: WorkerSlot, message: WorkerMessage): void {
    switch (message.t) {
      case 'position?': {
        const stub = this.stubAt(message.port, message.key);
        const at = stub === undefined ? -1 : message.peek ? stub.cyclePosition()[0] : stub.takePosition();
        this.pool.reply(slot, { t: 'position', id: message.id, at });
        return;
      }
      case 'proxy': {
        const imposter = this.registry?.get(message.port);
        const stub = this.stubAt(message.port, message.key);
        const done = () => this.pool.reply(slot, { t: 'position', id: message.id, at: 0 });
        if (imposter === undefined || stub === undefined) return done();
        imposter.saveProxyResponse(stub, message.mode, message.predicates, message.response);
        // The worker answers the proxied request once every worker serves the recording, as one process would.
        this.syncStubs(imposter)
          .catch((err: unknown) => this.log.error(`could not give the workers a recorded proxy response: ${String(err)}`))
          .finally(done);
        return;
      }
      case 'log':
        for (const entry of message.entries) this.logger[entry.level](entry.message);
        return;
      default:
        return;
    }
  }

  private stubAt(port: number, key: number): Stub | undefined {
    const imposter = this.registry?.get(port);
    return imposter === undefined ? undefined : this.keyed.get(imposter)?.get(key);
  }

  // Reading what the workers served.

  /**
   * Collects what every worker served until now into the primary's imposters. Each call waits for
   * a collection that starts after it was made (one already queued is shared), so an admin
   * request sees every request answered before it arrived.
   */
  collect(): Promise<void> {
    if (this.drainQueued !== null) return this.drainQueued;
    const next = this.drainChain.then(() => {
      this.drainQueued = null;
      return this.drainNow();
    });
    this.drainQueued = next;
    this.drainChain = next.catch(() => undefined);
    return next;
  }

  private async drainNow(): Promise<void> {
    const ready = this.pool.slots.filter((slot) => slot.ready);
    const answers = await Promise.all(ready.map(async (slot) => [slot, await this.pool.send(slot, { t: 'drain' })] as const));
    const byPort = new Map<number, DrainedImposter[]>();
    for (const [slot, drained] of answers) {
      for (const part of drained) {
        slot.requests += part.metrics.requests;
        const list = byPort.get(part.port);
        if (list === undefined) byPort.set(part.port, [part]);
        else list.push(part);
      }
    }
    for (const [port, parts] of byPort) {
      const imposter = this.registry?.get(port);
      if (imposter === undefined) continue;
      const records = absorbImposter(imposter, parts, this.journalCap);
      for (const record of records) imposter.published(record);
    }
  }

  /** Once someone watches the event stream, the workers' recorded requests reach it every EVENT_DRAIN_MS. */
  private watchEvents(): void {
    this.eventTimer = setInterval(() => {
      if (this.events.keepsRequests) void this.collect().catch(() => undefined);
    }, EVENT_DRAIN_MS);
    this.eventTimer.unref();
  }

  async before(): Promise<void> {
    await this.collect();
  }

  async home(): Promise<Record<string, unknown>> {
    return { workers: this.status() };
  }

  /** How many serve, and what each answered (standin's own families). */
  async metrics(out: Exposition): Promise<void> {
    const workers = this.status();
    out.family('standin_workers_serving', 'gauge', 'Worker processes serving imposters (--workers)', [[undefined, workers.filter((w) => w.serving).length]]);
    out.family(
      'standin_worker_requests_total',
      'counter',
      'Requests answered by each worker process, all imposters',
      workers.map((w) => [{ worker: String(w.worker) }, w.requests] as const),
    );
    out.family(
      'standin_worker_restarts_total',
      'counter',
      'Times a worker process was replaced after it exited',
      workers.map((w) => [{ worker: String(w.worker) }, w.restarts] as const),
    );
  }

  /** GET / and /metrics: each worker, its process and what it served. */
  status(): WorkerStatus[] {
    return this.pool.slots.map((slot) => ({
      worker: slot.slot,
      pid: slot.pid ?? null,
      serving: slot.ready,
      requests: slot.requests,
      restarts: slot.restarts,
    }));
  }
}

/** Where each stub's script files are read (a --configfile's folder, or null: the admin API's rules), so a worker reads the same ones. */
function configDirsOf(imposter: Imposter): (string | null)[] {
  return imposter.stubs.map((stub) => stub.configDir ?? null);
}

/** A port nobody listens on now, for an imposter created without one (the workers then all listen on it). */
async function freePortOn(host: string | undefined): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err) => reject(new StandinError('cannot start server', `cannot find a free port: ${err.message}`)));
    probe.listen(0, host, () => {
      const port = portOf(probe.address());
      probe.close(() => resolve(port));
    });
  });
}
