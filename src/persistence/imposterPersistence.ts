// Keeps an ImposterRepository in step with the running imposters. Changes made through the admin
// API are written before the API answers; what changes while serving (cycle positions, proxy
// recordings) is picked up by a timer, coalesced, and written off the request path.
import type { Imposter } from '../core/imposter.js';
import { printImposter } from '../core/imposterPrinter.js';
import type { ImposterRegistry, RegistryObserver } from '../core/imposterRegistry.js';
import type { Log } from '../logging/logger.js';
import { ValidationFailure } from '../model/errors.js';
import type { CyclePosition, ImposterRepository, StoredImposter } from './imposterRepository.js';

/** How often served-time changes (cycle positions, proxy recordings) are looked for and written. */
export const LAZY_WRITE_INTERVAL_MS = 100;

interface Written {
  /** The imposter's revision last handed to the repository; NaN after a failed write (retried). */
  revision: number;
  positionsKey: string;
}

export class ImposterPersistence implements RegistryObserver {
  private readonly written = new Map<Imposter, Written>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | null = null;
  private failing = false;

  constructor(
    private readonly repository: ImposterRepository,
    private readonly log: Log,
    private readonly intervalMs: number = LAZY_WRITE_INTERVAL_MS,
  ) {}

  /** Starts every stored imposter where it left off; one that cannot start is logged and skipped. */
  async restore(registry: ImposterRegistry): Promise<void> {
    for (const stored of await this.repository.loadAll()) {
      const name = `imposter ${String(stored.definition.port)}`;
      let imposter: Imposter;
      try {
        imposter = registry.compile(stored.definition);
      } catch (err) {
        this.log.error(`cannot restore ${name} from --datadir: ${describe(err)}`);
        continue;
      }
      imposter.stubs.forEach((stub, i) => {
        const position = stored.positions[i];
        if (position) stub.restoreCyclePosition(position[0], position[1]);
      });
      try {
        await registry.listen(imposter);
      } catch (err) {
        this.log.error(`cannot restore ${name} from --datadir: ${describe(err)}`);
        continue;
      }
      this.track(imposter);
    }
    this.timer = setInterval(() => {
      if (!this.flushing) this.flushing = this.flush().finally(() => (this.flushing = null));
    }, this.intervalMs);
    this.timer.unref();
  }

  async created(imposter: Imposter): Promise<void> {
    await this.saveNow(imposter);
  }

  async changed(imposter: Imposter): Promise<void> {
    await this.saveNow(imposter);
  }

  async deleted(imposter: Imposter): Promise<void> {
    this.written.delete(imposter);
    await this.guard(this.repository.delete(imposter.port));
  }

  async replaced(imposters: readonly Imposter[]): Promise<void> {
    this.written.clear();
    const all = new Map<number, StoredImposter>();
    for (const imposter of imposters) all.set(imposter.port, this.track(imposter));
    await this.guard(this.repository.replaceAll(all));
  }

  /** Writes what is still pending, then closes the repository. The imposters should be closed first. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flushing;
    await this.flush();
    await this.repository.close();
  }

  /** One pass of lazy writes: a changed definition is saved whole, else moved positions alone. */
  async flush(): Promise<void> {
    const writes: Promise<void>[] = [];
    for (const [imposter, written] of this.written) {
      if (imposter.revision !== written.revision) {
        const stored = this.track(imposter);
        writes.push(this.repository.save(imposter.port, stored).catch((err) => this.failed(imposter, err)));
        continue;
      }
      const positions = positionsOf(imposter);
      const key = positions.join(';');
      if (key === written.positionsKey) continue;
      written.positionsKey = key;
      writes.push(this.repository.savePositions(imposter.port, positions).catch((err) => this.failed(imposter, err)));
    }
    if (writes.length === 0) return;
    await Promise.all(writes);
    if (this.failing && [...this.written.values()].every((w) => !Number.isNaN(w.revision))) {
      this.failing = false;
      this.log.info('--datadir writes succeed again');
    }
  }

  private async saveNow(imposter: Imposter): Promise<void> {
    const stored = this.track(imposter);
    await this.guard(this.repository.save(imposter.port, stored), imposter);
  }

  /** Snapshots the imposter and records that this is what the repository will hold. */
  private track(imposter: Imposter): StoredImposter {
    const positions = positionsOf(imposter);
    this.written.set(imposter, { revision: imposter.revision, positionsKey: positions.join(';') });
    return { definition: definitionOf(imposter), positions };
  }

  /** A failed admin-driven write is the caller's error, and the timer retries it. */
  private async guard(write: Promise<void>, imposter?: Imposter): Promise<void> {
    try {
      await write;
    } catch (err) {
      if (imposter) this.markUnwritten(imposter);
      throw new Error(`the change is live but could not be written to --datadir: ${describe(err)}`, { cause: err });
    }
  }

  private failed(imposter: Imposter, err: unknown): void {
    this.markUnwritten(imposter);
    if (!this.failing) this.log.error(`cannot write to --datadir (will retry): ${describe(err)}`);
    this.failing = true;
  }

  private markUnwritten(imposter: Imposter): void {
    const written = this.written.get(imposter);
    if (written) written.revision = NaN;
  }
}

function definitionOf(imposter: Imposter): Record<string, unknown> {
  return printImposter(imposter, { baseUrl: '', replayable: true, keepProxyResponseTimes: true });
}

function positionsOf(imposter: Imposter): CyclePosition[] {
  return imposter.stubs.map((stub) => stub.cyclePosition());
}

function describe(err: unknown): string {
  if (err instanceof ValidationFailure) return err.errors.map((e) => e.message).join('; ');
  return err instanceof Error ? err.message : String(err);
}
