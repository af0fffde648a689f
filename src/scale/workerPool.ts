// The worker processes behind --workers N: forked with node:cluster (which shares each imposter's
// listening socket among them, each worker accepting its own connections), each answered command
// awaited, a worker that dies replaced by a new one in its slot. Every change to what the workers
// serve goes through `exclusive`, so a worker catching up on the current imposters and a change
// made meanwhile cannot cross.
import cluster, { type Worker } from 'node:cluster';
import type { Log } from '../logging/logger.js';
import { StandinError } from '../model/errors.js';
import { WORKER_SETTINGS_ENV, type Command, type DrainedImposter, type PrimaryMessage, type WorkerMessage, type WorkerSettings } from './messages.js';

/** A command without its id (the pool numbers them). */
export type CommandBody = Command extends infer C ? (C extends { id: number } ? Omit<C, 'id'> : never) : never;

interface Pending {
  resolve(drained: DrainedImposter[] | undefined): void;
  reject(err: Error): void;
}

/** One worker slot: its current process, whether it serves yet, and what it has served in total. */
export class WorkerSlot {
  process: Worker | null = null;
  /** True once it has caught up on the current imposters: broadcasts reach it from then on. */
  ready = false;
  /** Requests its processes served (mb_request_total summed), restarts included. */
  requests = 0;
  restarts = 0;
  readonly pending = new Map<number, Pending>();

  constructor(readonly slot: number) {}

  get pid(): number | undefined {
    return this.process?.process.pid;
  }
}

export interface PoolHandlers {
  /** A new process in `slot` is up: bring it up to date (under `exclusive`), then it serves. */
  catchUp(slot: WorkerSlot): Promise<void>;
  /** A message that is not a command's answer. */
  message(slot: WorkerSlot, message: WorkerMessage): void;
}

export class WorkerPool {
  readonly slots: WorkerSlot[];
  private nextId = 1;
  private closing = false;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(
    count: number,
    private readonly exec: string,
    private readonly settings: Omit<WorkerSettings, 'slot'>,
    private readonly handlers: PoolHandlers,
    private readonly log: Log,
  ) {
    this.slots = Array.from({ length: count }, (_, i) => new WorkerSlot(i + 1));
  }

  /** Forks every worker and resolves once all have caught up (none are serving before). */
  async start(): Promise<void> {
    // Each worker accepts its own connections from the shared listening socket. With node's default
    // (round robin) this process would accept every connection and pass it to a worker: with
    // clients that open a connection per request (mountebank's default, `Connection: close`) that
    // hand-over cost more than the workers gained. Set before the first fork, which freezes it.
    cluster.schedulingPolicy = cluster.SCHED_NONE;
    cluster.setupPrimary({ exec: this.exec, serialization: 'advanced', args: [] });
    await Promise.all(this.slots.map((slot) => this.fork(slot)));
  }

  /** Runs `task` once every earlier change to the workers is done, and before any later one. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.lock.then(task, task);
    this.lock = run.catch(() => undefined);
    return run;
  }

  /** Sends a command to every worker that serves; resolves with their answers once all have answered. */
  async broadcast(command: CommandBody): Promise<DrainedImposter[][]> {
    const ready = this.slots.filter((slot) => slot.ready);
    return Promise.all(ready.map((slot) => this.send(slot, command)));
  }

  /** One command to one worker; a worker that dies before answering counts as done (its replacement catches up). */
  send(slot: WorkerSlot, command: CommandBody): Promise<DrainedImposter[]> {
    const worker = slot.process;
    if (worker === null || !worker.isConnected()) return Promise.resolve([]);
    const id = this.nextId++;
    return new Promise<DrainedImposter[]>((resolve, reject) => {
      slot.pending.set(id, { resolve: (drained) => resolve(drained ?? []), reject });
      const numbered: PrimaryMessage = { ...command, id };
      worker.send(numbered);
    });
  }

  reply(slot: WorkerSlot, message: PrimaryMessage): void {
    const worker = slot.process;
    if (worker !== null && worker.isConnected()) worker.send(message);
  }

  private fork(slot: WorkerSlot): Promise<void> {
    const settings: WorkerSettings = { ...this.settings, slot: slot.slot };
    const worker = cluster.fork({ [WORKER_SETTINGS_ENV]: JSON.stringify(settings) });
    slot.process = worker;
    slot.ready = false;
    return new Promise<void>((resolve) => {
      let started = false;
      worker.on('message', (message: WorkerMessage) => {
        if (message.t === 'ready') {
          started = true;
          void this.exclusive(async () => {
            await this.handlers.catchUp(slot);
            slot.ready = true;
          }).then(resolve, (err: unknown) => {
            this.log.error(`worker ${slot.slot} could not catch up: ${err instanceof Error ? err.message : String(err)}`);
            worker.kill('SIGKILL');
            resolve();
          });
          return;
        }
        if (message.t === 'done') {
          const pending = slot.pending.get(message.id);
          if (pending === undefined) return;
          slot.pending.delete(message.id);
          if (message.error) pending.reject(new StandinError(message.error.code, message.error.message));
          else pending.resolve(message.drained);
          return;
        }
        this.handlers.message(slot, message);
      });
      worker.on('exit', (code, signal) => {
        if (slot.process !== worker) return;
        slot.process = null;
        slot.ready = false;
        for (const pending of slot.pending.values()) pending.resolve([]);
        slot.pending.clear();
        if (!started) resolve();
        if (this.closing) return;
        slot.restarts++;
        this.log.warn(`worker ${slot.slot} (process ${worker.process.pid}) exited (${signal ?? `code ${code}`}); starting another`);
        // A short pause so that a worker failing at start does not spin.
        setTimeout(() => {
          if (!this.closing) void this.fork(slot);
        }, 200).unref();
      });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(
      this.slots.map(async (slot) => {
        const worker = slot.process;
        if (worker === null) return;
        const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
        worker.kill('SIGTERM');
        const timer = setTimeout(() => worker.kill('SIGKILL'), 3_000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}
