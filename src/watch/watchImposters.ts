// --watch: reload a source of imposters when its files change. A change that cannot be loaded
// or started is logged and reported by GET / (the running imposters stay as they were); the next
// change tries again.
import type { ImposterRegistry } from '../core/imposterRegistry.js';
import type { Log } from '../logging/logger.js';
import { ValidationFailure } from '../model/errors.js';
import { watchFiles, type FileWatcher, type WatchTargets } from './fileWatcher.js';
import { ImposterReloader } from './imposterReloader.js';

/** Where imposters come from: a config file, or Imposter config directories. */
export interface ImposterSource {
  /** Named in log lines and GET /: the file or directories. */
  readonly name: string;
  /** Reads the definitions (throwing an error whose message says what to fix) and what to watch. */
  load(): Promise<LoadedImposters>;
  /** Standin's own Imposter-config loader: its definitions may use internal response kinds (`_imposter`). */
  readonly internal?: boolean;
  /** The folder of the --configfile: the script files its imposters name are read there. */
  readonly configDir?: string;
}

export interface LoadedImposters {
  imposters: unknown[];
  targets: WatchTargets;
}

/** What GET / shows while watching. */
export interface WatchStatus {
  watching: string;
  /** The last reload: when, and what went wrong (absent when it worked). */
  lastReload?: { timestamp: string; error?: string; kept?: number; updated?: number; started?: number; stopped?: number };
}

export interface ImposterWatch {
  readonly status: WatchStatus;
  /** Resolves once a reload under way (if any) has finished. */
  settled(): Promise<void>;
  close(): void;
}

/**
 * Loads `source` (its first load replaces every imposter, as --configfile does) and reloads it on
 * every change. Rejects, starting nothing, when the first load fails.
 */
export async function watchImposters(
  source: ImposterSource,
  registry: ImposterRegistry,
  log: Log,
  loaded?: LoadedImposters,
  reloader: ImposterReloader = new ImposterReloader(registry, { internal: source.internal === true, configDir: source.configDir }),
): Promise<ImposterWatch> {
  const first = loaded ?? (await source.load());
  await reloader.reload(first.imposters, true);

  const status: WatchStatus = { watching: source.name };
  let running: Promise<void> = Promise.resolve();
  let again = false;
  let busy = false;

  const reload = async (): Promise<void> => {
    const timestamp = new Date().toISOString();
    try {
      const { imposters, targets } = await source.load();
      watcher.retarget(targets);
      const { ports: _ports, ...result } = await reloader.reload(imposters);
      // An editor that saves without changing anything (or saves twice) changes no imposter: the
      // last reload stays the one shown, unless it was an error this load has fixed.
      if (result.updated + result.started + result.stopped === 0) {
        if (status.lastReload?.error !== undefined) status.lastReload = { timestamp, ...result };
        log.debug(`${source.name} changed on disk; its imposters did not`);
        return;
      }
      status.lastReload = { timestamp, ...result };
      log.info(`reloaded ${source.name}: ${result.kept} unchanged, ${result.updated} with new stubs, ${result.started} started, ${result.stopped} stopped`);
    } catch (err) {
      const message = describe(err);
      status.lastReload = { timestamp, error: message };
      log.error(`cannot reload ${source.name}, the running imposters are unchanged: ${message}`);
    }
  };

  // Reloads never overlap: a change during a reload runs one more afterwards.
  const onChange = (): void => {
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    running = (async () => {
      do {
        again = false;
        await reload();
      } while (again);
      busy = false;
    })();
  };

  const watcher: FileWatcher = watchFiles(first.targets, onChange);
  log.info(`watching ${source.name} for changes`);
  return {
    status,
    settled: () => running,
    close() {
      watcher.close();
    },
  };
}

function describe(err: unknown): string {
  if (err instanceof ValidationFailure && err.errors.length > 1) return err.errors.map((e) => e.message).join('; ');
  return err instanceof Error ? err.message : String(err);
}
