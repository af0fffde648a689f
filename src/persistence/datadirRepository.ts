// --datadir: imposters as files in a directory, one directory per imposter. The manifest names
// every directory standin made, so standin touches nothing else in DIR: deleting an imposter
// removes its own directory whole (whatever else was put in it), and a sweep at start removes only
// what the manifest marks unused and the temp files of standin's own writes. Creating an imposter
// names its directory in the manifest before writing it; replacing the whole set writes the new
// directories, then switches the manifest in one atomic write. Editing an imposter rewrites its own
// file atomically. Cycle positions, which change with every request, live in a small side file
// written without fsync; it counts only if it matches its imposter's revision.
//
//   DIR/imposters.json                {"format":"standin-datadir","version":2,"imposters":[{"port","dir"}],"unused":[...]}
//   DIR/4545-1a2b3c4d/imposter.json   {"revision":3,"imposter":{...},"positions":[[0,0],...]}
//   DIR/4545-1a2b3c4d/positions.json  {"revision":3,"positions":[[1,0],...]}
//   DIR/standin.lock                  the pid of the standin using the directory
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isPlainObject } from '../model/plainObject.js';
import { isZombie, processState } from '../process/processState.js';
import { TEMP_SUFFIX, writeFileAtomic } from './atomicFile.js';
import type { CyclePosition, ImposterRepository, StoredImposter } from './imposterRepository.js';
import { errorCode, errorMessage } from '../model/caughtError.js';

const MANIFEST = 'imposters.json';
const LOCK = 'standin.lock';
const FORMAT = 'standin-datadir';
const VERSION = 2;
const IMPOSTER_FILE = 'imposter.json';
const POSITIONS_FILE = 'positions.json';
/** An imposter directory's name: never a path, so a hand-edited manifest cannot point elsewhere. */
const IMPOSTER_DIR = /^\d+-[0-9a-f]+$/;
/** Version 1 kept each imposter as files in DIR itself; read once and moved into directories. */
const VERSION_1_FILE = /^\d+-[0-9a-f]+(\.positions)?\.json$/;

/** Temp files of an interrupted write of `name` (see atomicFile.ts): `.NAME.PID.N.tmp`. */
const tempFileOf = (name: string): RegExp => new RegExp(`^\\.${name.replace(/\./g, '\\.')}\\.\\d+\\.\\d+${TEMP_SUFFIX.replace('.', '\\.')}$`);
const ROOT_TEMP_FILES = [tempFileOf(MANIFEST), tempFileOf(LOCK)];
const IMPOSTER_TEMP_FILES = [tempFileOf(IMPOSTER_FILE), tempFileOf(POSITIONS_FILE)];

/** The directory cannot be used; the message names the file and the reason. */
export class DatadirError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatadirError';
  }
}

interface Entry {
  dir: string;
  revision: number;
}

interface ImposterFile {
  revision: number;
  imposter: Record<string, unknown>;
  positions: CyclePosition[];
}

export class DatadirRepository implements ImposterRepository {
  private readonly entries = new Map<number, Entry>();
  /** Names in DIR standin made and no longer needs: removed, then dropped from the manifest. */
  private readonly unused = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(readonly dir: string) {}

  /** Creates the directory if needed, takes its lock, reads the manifest and sweeps leftovers. */
  static async open(dir: string): Promise<DatadirRepository> {
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      throw new DatadirError(`cannot create --datadir ${dir}: ${errorMessage(err)}`);
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
        const stored = await this.readImposterFile(entry.dir);
        entry.revision = stored.revision;
        out.push({ definition: stored.imposter, positions: await this.readPositions(entry.dir, stored) });
      }
      return out;
    });
  }

  save(port: number, imposter: StoredImposter): Promise<void> {
    const definition = JSON.stringify(imposter.definition);
    const positions = JSON.stringify(imposter.positions);
    return this.enqueue(async () => {
      const existing = this.entries.get(port);
      if (existing) {
        existing.revision++;
        await this.writeImposterFile(existing, definition, positions);
        return;
      }
      // Named in the manifest before it exists: a crash in between leaves a directory standin
      // knows is its own (with no imposter file, so it is removed at the next start).
      const entry: Entry = { dir: newDirName(port), revision: 1 };
      this.entries.set(port, entry);
      await this.writeManifest();
      await this.writeImposterFile(entry, definition, positions);
    });
  }

  savePositions(port: number, positions: readonly CyclePosition[]): Promise<void> {
    const text = JSON.stringify(positions);
    return this.enqueue(async () => {
      const entry = this.entries.get(port);
      if (!entry) return;
      await writeFileAtomic(join(this.dir, entry.dir, POSITIONS_FILE), `{"revision":${entry.revision},"positions":${text}}`, {
        durable: false,
      });
    });
  }

  delete(port: number): Promise<void> {
    return this.enqueue(async () => {
      const entry = this.entries.get(port);
      if (!entry) return;
      this.entries.delete(port);
      this.unused.add(entry.dir);
      await this.writeManifest();
      await this.removeUnused();
    });
  }

  replaceAll(imposters: ReadonlyMap<number, StoredImposter>): Promise<void> {
    const texts = [...imposters].map(([port, imposter]) => ({
      port,
      definition: JSON.stringify(imposter.definition),
      positions: JSON.stringify(imposter.positions),
    }));
    return this.enqueue(async () => {
      const next = new Map<number, Entry>();
      for (const { port } of texts) next.set(port, { dir: newDirName(port), revision: 1 });
      // The new directories are standin's before they exist; until the switch they are unused.
      for (const entry of next.values()) this.unused.add(entry.dir);
      if (next.size > 0) await this.writeManifest();
      for (const { port, definition, positions } of texts) await this.writeImposterFile(next.get(port)!, definition, positions);
      for (const entry of this.entries.values()) this.unused.add(entry.dir);
      for (const entry of next.values()) this.unused.delete(entry.dir);
      this.entries.clear();
      for (const [port, entry] of next) this.entries.set(port, entry);
      await this.writeManifest();
      await this.removeUnused();
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
    const dir = join(this.dir, entry.dir);
    await mkdir(dir, { recursive: true });
    const text = `{"revision":${entry.revision},"imposter":${definition},"positions":${positions}}\n`;
    await writeFileAtomic(join(dir, IMPOSTER_FILE), text, { durable: true });
  }

  private async writeManifest(): Promise<void> {
    const imposters = [...this.entries].sort(([a], [b]) => a - b).map(([port, entry]) => ({ port, dir: entry.dir }));
    const manifest: Record<string, unknown> = { format: FORMAT, version: VERSION, imposters };
    if (this.unused.size > 0) manifest.unused = [...this.unused];
    await writeFileAtomic(join(this.dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`, { durable: true });
  }

  /** Removes what the manifest marks unused; the next manifest write forgets them. */
  private async removeUnused(): Promise<void> {
    for (const name of [...this.unused]) {
      await rm(join(this.dir, name), { recursive: true, force: true });
      this.unused.delete(name);
    }
  }

  private async readManifest(): Promise<void> {
    const text = await readIfExists(join(this.dir, MANIFEST));
    if (text === undefined) return;
    const manifest = parse(text, MANIFEST, this.dir);
    const imposters: unknown = isPlainObject(manifest) && manifest.format === FORMAT ? manifest.imposters : undefined;
    if (!isPlainObject(manifest) || !Array.isArray(imposters)) {
      throw new DatadirError(`--datadir ${this.dir}: ${MANIFEST} is not a standin datadir manifest`);
    }
    const items: readonly unknown[] = imposters;
    if (manifest.version === 1) {
      await this.readVersion1(items);
      return;
    }
    for (const item of items) {
      if (!isPlainObject(item) || typeof item.port !== 'number' || typeof item.dir !== 'string' || !IMPOSTER_DIR.test(item.dir)) {
        throw this.invalidEntry(item);
      }
      this.entries.set(item.port, { dir: item.dir, revision: 0 });
    }
    for (const name of Array.isArray(manifest.unused) ? manifest.unused : []) {
      if (typeof name !== 'string' || !(IMPOSTER_DIR.test(name) || VERSION_1_FILE.test(name))) throw this.invalidEntry(name);
      this.unused.add(name);
    }
  }

  /**
   * A directory written by an earlier standin (each imposter as `PORT-HEX.json` in DIR): each
   * imposter moves into its own directory, then the old files, now marked unused, are removed.
   */
  private async readVersion1(items: readonly unknown[]): Promise<void> {
    for (const item of items) {
      if (!isPlainObject(item) || typeof item.port !== 'number' || typeof item.file !== 'string' || !/^\d+-[0-9a-f]+\.json$/.test(item.file)) {
        throw this.invalidEntry(item);
      }
      const name = item.file.replace(/\.json$/, '');
      const imposter = await readIfExists(join(this.dir, item.file));
      if (imposter === undefined) throw new DatadirError(`--datadir ${this.dir}: ${item.file}, named in ${MANIFEST}, is missing`);
      await mkdir(join(this.dir, name), { recursive: true });
      await writeFileAtomic(join(this.dir, name, IMPOSTER_FILE), imposter, { durable: true });
      const positions = await readIfExists(join(this.dir, `${name}.positions.json`));
      if (positions !== undefined) await writeFileAtomic(join(this.dir, name, POSITIONS_FILE), positions, { durable: false });
      this.entries.set(item.port, { dir: name, revision: 0 });
      this.unused.add(item.file).add(`${name}.positions.json`);
    }
    await this.writeManifest();
  }

  private invalidEntry(item: unknown): DatadirError {
    return new DatadirError(`--datadir ${this.dir}: ${MANIFEST} lists an invalid entry ${JSON.stringify(item)}`);
  }

  /**
   * Removes what the manifest marks unused, imposter directories whose creation a crash cut short
   * (no imposter file yet: never acknowledged), and the temp files of standin's own interrupted
   * writes. Nothing else in DIR is touched.
   */
  private async sweep(): Promise<void> {
    const forgotten = this.unused.size > 0;
    let unfinished = false;
    for (const [port, entry] of this.entries) {
      if ((await readIfExists(join(this.dir, entry.dir, IMPOSTER_FILE))) !== undefined) continue;
      this.entries.delete(port);
      this.unused.add(entry.dir);
      unfinished = true;
    }
    if (unfinished) await this.writeManifest();
    await this.removeUnused();
    if (forgotten || unfinished) await this.writeManifest();
    await removeMatching(this.dir, ROOT_TEMP_FILES);
    for (const entry of this.entries.values()) await removeMatching(join(this.dir, entry.dir), IMPOSTER_TEMP_FILES);
  }

  private async readImposterFile(dir: string): Promise<ImposterFile> {
    const file = `${dir}/${IMPOSTER_FILE}`;
    const text = await readIfExists(join(this.dir, dir, IMPOSTER_FILE));
    if (text === undefined) throw new DatadirError(`--datadir ${this.dir}: ${file}, named in ${MANIFEST}, is missing`);
    const stored = parse(text, file, this.dir);
    if (!isPlainObject(stored) || typeof stored.revision !== 'number' || !isPlainObject(stored.imposter)) {
      throw new DatadirError(`--datadir ${this.dir}: ${file} is not a standin imposter file`);
    }
    return { revision: stored.revision, imposter: stored.imposter, positions: Array.isArray(stored.positions) ? stored.positions : [] };
  }

  /** The side file's positions if they belong to this revision of the imposter, else the file's own. */
  private async readPositions(dir: string, stored: ImposterFile): Promise<CyclePosition[]> {
    const text = await readIfExists(join(this.dir, dir, POSITIONS_FILE));
    if (text === undefined) return stored.positions;
    try {
      const side: unknown = JSON.parse(text);
      const positions: unknown = isPlainObject(side) && side.revision === stored.revision ? side.positions : undefined;
      if (Array.isArray(positions) && positions.every(isCyclePosition)) return positions;
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
      throw new DatadirError(`--datadir ${this.dir} is in use by process ${pid} (${path}); stop that standin first, or remove the lock file if none runs`);
    }
    // A lock left by a process that is gone (kill -9) is taken over.
    try {
      await writeFileAtomic(path, `${process.pid}\n`, { durable: false });
    } catch (err) {
      throw new DatadirError(`cannot write to --datadir ${this.dir}: ${errorMessage(err)}`);
    }
  }

  private async unlock(): Promise<void> {
    const path = join(this.dir, LOCK);
    const holder = await readIfExists(path).catch(() => undefined);
    if (holder !== undefined && Number(holder.trim()) === process.pid) await rm(path, { force: true });
  }
}

const newDirName = (port: number): string => `${port}-${randomBytes(4).toString('hex')}`;

async function removeMatching(dir: string, patterns: readonly RegExp[]): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (patterns.some((pattern) => pattern.test(name))) await rm(join(dir, name), { force: true });
  }
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = errorCode(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

function parse(text: string, file: string, dir: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new DatadirError(`--datadir ${dir}: ${file} is not valid JSON (${errorMessage(err)})`);
  }
}

/** A stub's place in its cycle as savePositions writes it: [position, servedAtPosition]. */
const isCyclePosition = (value: unknown): value is CyclePosition =>
  Array.isArray(value) && value.length === 2 && typeof value[0] === 'number' && typeof value[1] === 'number';
