// Rift's POST /admin/reload: reads the source standin started from (--configfile) again and
// applies only what changed, through the same reloader as --watch: unchanged imposters keep their
// journal, cycle positions and scenario states; an imposter whose only change is its stubs keeps
// its port answering. A source that cannot be read, or a definition refused, changes nothing.
import type { ImposterRegistry } from '../core/imposterRegistry.js';
import { ImposterReloader, type ReloadResult } from './imposterReloader.js';
import type { ImposterSource, LoadedImposters } from './watchImposters.js';

export interface ReloadReport {
  message: string;
  created: number[];
  replaced: number[];
  stubPatched: number[];
  deleted: number[];
}

export class ReloadableSource {
  readonly reloader: ImposterReloader;
  /** Reloads never overlap (a second waits for the first). */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly source: ImposterSource,
    registry: ImposterRegistry,
  ) {
    this.reloader = new ImposterReloader(registry, { internal: source.internal === true, configDir: source.configDir });
  }

  /** The first load: these imposters replace every running one. */
  async start(loaded: LoadedImposters): Promise<void> {
    await this.reloader.reload(loaded.imposters, true);
  }

  reload(): Promise<ReloadReport> {
    const run = this.queue.then(async () => report(await this.reloader.reload((await this.source.load()).imposters)));
    this.queue = run.catch(() => undefined);
    return run;
  }
}

function report(result: ReloadResult): ReloadReport {
  const { created, replaced, stubPatched, deleted } = result.ports;
  const changed = created.length + replaced.length + stubPatched.length + deleted.length;
  return { message: `Reloaded ${changed} imposter(s)`, ...result.ports };
}

/** Without a source (no --configfile) a reload changes nothing, as in Rift. */
export const NOTHING_TO_RELOAD: ReloadReport = {
  message: 'standin was started without --configfile: there is nothing to reload',
  created: [],
  replaced: [],
  stubPatched: [],
  deleted: [],
};
