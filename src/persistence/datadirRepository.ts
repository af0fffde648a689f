// --datadir: imposters as files in a directory. A manifest names one file per imposter, so adding,
// deleting and replacing the whole set are each one atomic manifest write; editing an imposter
// rewrites its own file atomically. Cycle positions, which change with every request, live in a
// small side file written without fsync; it counts only if it matches its imposter's revision.
//
//   DIR/imposters.json              {"format":"standin-datadir","version":1,"imposters":[{"port","file"}]}
//   DIR/4545-1a2b3c4d.json          {"revision":3,"imposter":{...},"positions":[[0,0],...]}
//   DIR/4545-1a2b3c4d.positions.json {"revision":3,"positions":[[1,0],...]}
//   DIR/standin.lock                the pid of the standin using the directory
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isZombie, processState } from '../process/processState.js';
import { TEMP_SUFFIX, writeFileAtomic } from './atomicFile.js';
import type { CyclePosition, ImposterRepository, StoredImposter } from './imposterRepository.js';

const MANIFEST = 'imposters.json';
const LOCK = 'standin.lock';
const FORMAT = 'standin-datadir';
const OWN_FILE = /^\d+-[0-9a-f]+(\.positions)?\.json$/;

/** The directory cannot be used; the message names the file and the reason. */
export class DatadirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatadirError';
  }
}

interface Entry {
  file: string;
  revision: number;
}

interface ImposterFile {
  revision: number;
  imposter: Record<string, unknown>;
  positions: CyclePosition[];
}

const positionsFileOf = (file: string): string => file.replace(/\.json$/, '.positions.json');

export class DatadirRepository implements ImposterRepository {
  private readonly entries = new Map<number, Entry>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(readonly dir: string) {}

  /** Creates the directory if needed, takes its lock, reads the manifest and sweeps leftovers. */
  static async open(dir: string): Promise<DatadirRepository> {
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      throw new DatadirError(`cannot create --datadir ${dir}: ${(err as Error).message}`);
    }
    const repository = new DatadirRepository(dir);
    await repository.lock();
    try {
      await repository.readManifest();
      await repository.sweep();
    } catch (err) {
      await repository.unlock();
      throw err;
    }
    return repository;
  }

  loadAll(): Promise<StoredImposter[]> {
    return this.enqueue(async () => {
      const out: StoredImposter[] = [];
      for (const [, entry] of [...this.entries].sort(([a], [b]) => a - b)) {
        const stored = await this.readImposterFile(entry.file);
        entry.revision = stored.revision;
        out.push({ definition: stored.imposter, positions: await this.readPositions(entry.file, stored) });
      }
      return out;
    });
  }

  save(port: number, imposter: StoredImposter): Promise<void> {
    const definition = JSON.stringify(imposter.definition);
    const positions = JSON.stringify(imposter.positions);
    return this.enqueue(async () => {
      const existing = this.entries.get(port);
      const entry: Entry = existing ?? { file: newFileName(port), revision: 0 };
      entry.revision++;
      await this.writeImposterFile(entry, definition, positions);
      if (!existing) {
        this.entries.set(port, entry);
        await this.writeManifest();
      }
    });
  }

  savePositions(port: number, positions: readonly CyclePosition[]): Promise<void> {
    const text = JSON.stringify(positions);
    return this.enqueue(async () => {
      const entry = this.entries.get(port);
      if (!entry) return;
      await writeFileAtomic(join(this.dir, positionsFileOf(entry.file)), `{"revision":${entry.revision},"positions":${text}}`, {
        durable: false,
      });
    });
  }

  delete(port: number): Promise<void> {
    return this.enqueue(async () => {
      const entry = this.entries.get(port);
      if (!entry) return;
      this.entries.delete(port);
      await this.writeManifest();
      await this.removeFiles(entry.file);
    });
  }

  replaceAll(imposters: ReadonlyMap<number, StoredImposter>): Promise<void> {
    const texts = [...imposters].map(([port, imposter]) => ({
      port,
      definition: JSON.stringify(imposter.definition),
      positions: JSON.stringify(imposter.positions),
    }));
    return this.enqueue(async () => {
      const previous = [...this.entries.values()];
      const next = new Map<number, Entry>();
      for (const { port, definition, positions } of texts) {
        const entry: Entry = { file: newFileName(port), revision: 1 };
        await this.writeImposterFile(entry, definition, positions);
        next.set(port, entry);
      }
      this.entries.clear();
      for (const [port, entry] of next) this.entries.set(port, entry);
      await this.writeManifest();
      for (const entry of previous) await this.removeFiles(entry.file);
    });
  }

  /** Waits for every write asked for so far, then releases the directory. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.unlock();
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new DatadirError(`--datadir ${this.dir} is closed`));
    const result = this.queue.then(work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async writeImposterFile(entry: Entry, definition: string, positions: string): Promise<void> {
    const text = `{"revision":${entry.revision},"imposter":${definition},"positions":${positions}}\n`;
    await writeFileAtomic(join(this.dir, entry.file), text, { durable: true });
  }

  private async writeManifest(): Promise<void> {
    const imposters = [...this.entries].sort(([a], [b]) => a - b).map(([port, entry]) => ({ port, file: entry.file }));
    const text = JSON.stringify({ format: FORMAT, version: 1, imposters }, null, 2);
    await writeFileAtomic(join(this.dir, MANIFEST), `${text}\n`, { durable: true });
  }

  private async removeFiles(file: string): Promise<void> {
    await rm(join(this.dir, file), { force: true });
    await rm(join(this.dir, positionsFileOf(file)), { force: true });
  }

  private async readManifest(): Promise<void> {
    const text = await readIfExists(join(this.dir, MANIFEST));
    if (text === undefined) return;
    const manifest = parse(text, MANIFEST, this.dir) as { format?: unknown; imposters?: unknown };
    if (manifest?.format !== FORMAT || !Array.isArray(manifest.imposters)) {
      throw new DatadirError(`--datadir ${this.dir}: ${MANIFEST} is not a standin datadir manifest`);
    }
    for (const item of manifest.imposters as Array<{ port?: unknown; file?: unknown }>) {
      if (typeof item?.port !== 'number' || typeof item.file !== 'string' || !OWN_FILE.test(item.file)) {
        throw new DatadirError(`--datadir ${this.dir}: ${MANIFEST} lists an invalid entry ${JSON.stringify(item)}`);
      }
      this.entries.set(item.port, { file: item.file, revision: 0 });
    }
  }

  /** Removes temp files of interrupted writes and imposter files the manifest no longer names. */
  private async sweep(): Promise<void> {
    const named = new Set<string>();
    for (const entry of this.entries.values()) named.add(entry.file).add(positionsFileOf(entry.file));
    for (const name of await readdir(this.dir)) {
      const leftover = (name.startsWith('.') && name.endsWith(TEMP_SUFFIX)) || (OWN_FILE.test(name) && !named.has(name));
      if (leftover) await rm(join(this.dir, name), { force: true });
    }
  }

  private async readImposterFile(file: string): Promise<ImposterFile> {
    const text = await readIfExists(join(this.dir, file));
    if (text === undefined) throw new DatadirError(`--datadir ${this.dir}: ${file}, named in ${MANIFEST}, is missing`);
    const stored = parse(text, file, this.dir) as Partial<ImposterFile>;
    if (typeof stored?.revision !== 'number' || typeof stored.imposter !== 'object' || stored.imposter === null) {
      throw new DatadirError(`--datadir ${this.dir}: ${file} is not a standin imposter file`);
    }
    return { revision: stored.revision, imposter: stored.imposter, positions: Array.isArray(stored.positions) ? stored.positions : [] };
  }

  /** The side file's positions if they belong to this revision of the imposter, else the file's own. */
  private async readPositions(file: string, stored: ImposterFile): Promise<CyclePosition[]> {
    const text = await readIfExists(join(this.dir, positionsFileOf(file)));
    if (text === undefined) return stored.positions;
    try {
      const side = JSON.parse(text) as { revision?: unknown; positions?: unknown };
      if (side.revision === stored.revision && Array.isArray(side.positions)) return side.positions as CyclePosition[];
    } catch {
      // A torn side file cannot happen (it is renamed into place); if edited by hand, ignore it.
    }
    return stored.positions;
  }

  private async lock(): Promise<void> {
    const path = join(this.dir, LOCK);
    const holder = await readIfExists(path);
    const pid = holder === undefined ? NaN : Number(holder.trim());
    if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && processState(pid) !== 'gone' && !isZombie(pid)) {
      throw new DatadirError(
        `--datadir ${this.dir} is in use by process ${pid} (${path}); stop that standin first, or remove the lock file if none runs`,
      );
    }
    // A lock left by a process that is gone (kill -9) is taken over.
    try {
      await writeFileAtomic(path, `${process.pid}\n`, { durable: false });
    } catch (err) {
      throw new DatadirError(`cannot write to --datadir ${this.dir}: ${(err as Error).message}`);
    }
  }

  private async unlock(): Promise<void> {
    const path = join(this.dir, LOCK);
    const holder = await readIfExists(path).catch(() => undefined);
    if (holder !== undefined && Number(holder.trim()) === process.pid) await rm(path, { force: true });
  }
}

const newFileName = (port: number): string => `${port}-${randomBytes(4).toString('hex')}.json`;

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function parse(text: string, file: string, dir: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new DatadirError(`--datadir ${dir}: ${file} is not valid JSON (${(err as Error).message})`);
  }
}
