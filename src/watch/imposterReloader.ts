// Reloading a set of imposters from their source (a config file, an Imposter config directory)
// without disturbing what did not change: every new definition is validated first (any error
// keeps the running set), unchanged imposters keep running untouched (their journal and cycle
// positions), and the changed, added and removed ones are swapped in one step.
import type { Imposter } from '../core/imposter.js';
import type { ImposterRegistry } from '../core/imposterRegistry.js';
import { compileEach } from '../model/errors.js';

export interface ReloadResult {
  kept: number;
  started: number;
  stopped: number;
}

export class ImposterReloader {
  /** What this source started, by its key (the port it asks for, else its position), with the text it was loaded from. */
  private loaded = new Map<string, { text: string; imposter: Imposter }>();

  constructor(private readonly registry: ImposterRegistry) {}

  /**
   * Makes the running imposters of this source match `configs`; throws (changing nothing) when one
   * is refused. `replaceAll` (the first load, as `--configfile` does) also stops every other imposter.
   */
  async reload(configs: readonly unknown[], replaceAll = false): Promise<ReloadResult> {
    // Compiling upcasts a definition in place, so the text is taken first.
    const texts = configs.map((config) => JSON.stringify(config));
    const keys = configs.map((config, i) => keyOf(config, i));
    const unchanged = new Set<number>();
    keys.forEach((key, i) => {
      const previous = this.loaded.get(key);
      if (previous && previous.text === texts[i] && this.registry.get(previous.imposter.port) === previous.imposter) unchanged.add(i);
    });
    const changedIndexes = configs.map((_, i) => i).filter((i) => !unchanged.has(i));
    const compiled = compileEach(changedIndexes.map((i) => configs[i]), (config) => this.registry.compile(config));

    const keptImposters = new Set([...unchanged].map((i) => this.loaded.get(keys[i]!)!.imposter));
    const retired = (replaceAll ? this.registry.list() : [...this.loaded.values()].map((entry) => entry.imposter)).filter(
      (imposter) => !keptImposters.has(imposter) && this.registry.get(imposter.port) === imposter,
    );
    if (compiled.length > 0 || retired.length > 0 || replaceAll) await this.registry.swap(retired, compiled);

    const next = new Map<string, { text: string; imposter: Imposter }>();
    for (const i of unchanged) next.set(keys[i]!, this.loaded.get(keys[i]!)!);
    changedIndexes.forEach((index, n) => next.set(keys[index]!, { text: texts[index]!, imposter: compiled[n]! }));
    this.loaded = next;
    return { kept: unchanged.size, started: compiled.length, stopped: retired.length };
  }
}

function keyOf(config: unknown, index: number): string {
  const port = typeof config === 'object' && config !== null ? (config as { port?: unknown }).port : undefined;
  return port === undefined || port === null || port === 0 || port === '0' ? `#${index}` : `port ${String(port)}`;
}
