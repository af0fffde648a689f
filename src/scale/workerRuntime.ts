// A worker process under --workers: it serves the imposters the primary tells it to open, on the
// ports the primary chose (node:cluster hands it a share of each listening socket), and runs the
// primary's commands one at a time in the order they were sent. Requests never wait for the
// primary, except those matching a stub with several responses: which one answers is decided
// by the primary, in arrival order across all workers.
import type { Imposter, ImposterScale } from '../core/imposter.js';
import type { ImposterRegistry } from '../core/imposterRegistry.js';
import type { Stub } from '../core/stub.js';
import type { LogEntry } from '../logging/logger.js';
import { asStandinError } from '../model/errors.js';
import { drainImposter } from './journalMerge.js';
import type { Command, PrimaryMessage, WorkerMessage } from './messages.js';

/** How often forwarded log lines are sent to the primary, which writes them (console, file, GET /logs). */
const LOG_FLUSH_MS = 10;
/** The primary logs these for the imposter once; the worker's copies would repeat them. */
const PRIMARY_ONLY_LINES = /(?:Open for business\.\.\.|Ciao for now)$/;

const send = (message: WorkerMessage): void => {
  if (process.connected) process.send!(message);
};

/** The worker's side of the scale hooks: cycle positions from the primary, proxy recordings to it. */
export class WorkerRuntime {
  private registry: ImposterRegistry | undefined;
  private nextId = 1;
  private readonly positions = new Map<number, (at: number) => void>();
  private commands: Promise<void> = Promise.resolve();
  private logBatch: LogEntry[] = [];
  private logTimer: NodeJS.Timeout | undefined;

  readonly scale: ImposterScale = {
    takePosition: (imposter, stub) => this.askPosition(imposter, stub, false),
    peekPosition: (imposter, stub) => this.askPosition(imposter, stub, true),
    recordProxyResponse: (imposter, stub, mode, predicates, response) => {
      if (stub.key === undefined || !process.connected) return Promise.resolve();
      const id = this.nextId++;
      return new Promise<void>((resolve) => {
        this.positions.set(id, () => resolve());
        send({ t: 'proxy', id, port: imposter.port, key: stub.key!, mode, predicates, response });
      });
    },
    stamps: true,
  };

  /** The logger's sink: entries go to the primary in batches. */
  readonly logSink = (entry: LogEntry): void => {
    if (PRIMARY_ONLY_LINES.test(entry.message)) return;
    this.logBatch.push(entry);
    this.logTimer ??= setTimeout(() => this.flushLogs(), LOG_FLUSH_MS);
  };

  /** Starts taking the primary's commands, and says it is ready for them. */
  run(registry: ImposterRegistry): void {
    this.registry = registry;
    process.on('message', (message: PrimaryMessage) => {
      if (message.t === 'position') {
        const resolve = this.positions.get(message.id);
        this.positions.delete(message.id);
        resolve?.(message.at);
        return;
      }
      this.commands = this.commands.then(() => this.execute(message));
    });
    send({ t: 'ready' });
  }

  /** The position the primary keeps: taken (moved on by one request) or only read (`peek`). */
  private askPosition(imposter: Imposter, stub: Stub, peek: boolean): Promise<number> {
    if (stub.key === undefined || !process.connected) return Promise.resolve(peek ? stub.cyclePosition()[0] : stub.takePosition());
    const id = this.nextId++;
    return new Promise<number>((resolve) => {
      this.positions.set(id, resolve);
      send({ t: 'position?', id, port: imposter.port, key: stub.key!, peek });
    });
  }

  private async execute(command: Command): Promise<void> {
    try {
      const registry = this.registry!;
      switch (command.t) {
        case 'open': {
          if (registry.get(command.port) !== undefined) await registry.delete(command.port);
          const imposter = await registry.create({ ...command.definition, port: command.port }, { stubConfigDirs: command.configDirs });
          setKeys(imposter, command.keys);
          break;
        }
        case 'stubs': {
          const imposter = registry.get(command.port);
          if (imposter !== undefined) {
            imposter.setStubs(imposter.compileStubs(command.stubs, { stubConfigDirs: command.configDirs }));
            setKeys(imposter, command.keys);
          }
          break;
        }
        case 'close':
          await registry.delete(command.port);
          break;
        case 'clear':
          registry.get(command.port)?.clearRequests();
          break;
        case 'drain': {
          this.flushLogs();
          send({ t: 'done', id: command.id, drained: registry.list().map(drainImposter) });
          return;
        }
      }
      send({ t: 'done', id: command.id });
    } catch (err) {
      const error = asStandinError(err);
      send({ t: 'done', id: command.id, error: { code: error.code, message: error.message } });
    }
  }

  private flushLogs(): void {
    clearTimeout(this.logTimer);
    this.logTimer = undefined;
    if (this.logBatch.length === 0) return;
    send({ t: 'log', entries: this.logBatch });
    this.logBatch = [];
  }
}

function setKeys(imposter: Imposter, keys: readonly number[]): void {
  const stubs = imposter.stubs;
  for (let i = 0; i < stubs.length; i++) stubs[i]!.key = keys[i];
}
