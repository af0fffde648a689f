// Calls back, debounced, when watched files change. Directories are watched rather than files:
// editors that save by writing a temporary file and renaming it over the original replace the
// file's inode, which a watch on the file itself would lose.
import { watch, type FSWatcher } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export interface WatchTargets {
  /** Files whose change triggers (absolute or relative to the working directory). */
  files?: Iterable<string>;
  /** Directories in which any change (at any depth) triggers. */
  trees?: Iterable<string>;
  /** Files never triggering (the log file written inside a watched tree). */
  ignore?: Iterable<string>;
}

export interface FileWatcher {
  /** Watches these targets from now on instead of the previous ones (a config file's includes changed). */
  retarget(targets: WatchTargets): void;
  close(): void;
}

/** How long the files must stay quiet before `onChange` runs: an editor's save is several events. */
const DEBOUNCE_MS = 150;

export function watchFiles(targets: WatchTargets, onChange: () => void, debounceMs = DEBOUNCE_MS): FileWatcher {
  let watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const trigger = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!closed) onChange();
    }, debounceMs);
  };

  const add = (dir: string, recursive: boolean, relevant: (name: string | null) => boolean): void => {
    try {
      const watcher = watch(dir, { persistent: false, recursive }, (_event, name) => {
        if (relevant(name === null ? null : name.toString())) trigger();
      });
      // A watched folder that goes away ends its watch; the next reload retargets.
      watcher.on('error', () => watcher.close());
      watchers.push(watcher);
    } catch {
      // A folder that does not exist (yet): nothing to watch there.
    }
  };

  const open = ({ files = [], trees = [], ignore = [] }: WatchTargets): void => {
    const ignored = new Set([...ignore].map((f) => resolve(f)));
    const wanted = new Set([...files].map((f) => resolve(f)));
    const dirs = new Set([...wanted].map((f) => dirname(f)));
    for (const dir of dirs) {
      // No name (some platforms): any change in the folder may be ours.
      add(dir, false, (name) => name === null || wanted.has(join(dir, name)));
    }
    for (const tree of [...trees].map((t) => resolve(t))) {
      add(tree, true, (name) => name === null || !ignored.has(join(tree, name)));
    }
  };

  const shut = (): void => {
    for (const watcher of watchers) watcher.close();
    watchers = [];
  };

  open(targets);
  return {
    retarget(next) {
      if (closed) return;
      shut();
      open(next);
    },
    close() {
      closed = true;
      clearTimeout(timer);
      shut();
    },
  };
}
