// Reloading a set of imposters from their source (a config file, an Imposter config directory)
// without disturbing what did not change. Every new definition is validated first (any error
// keeps the running set). Unchanged imposters keep running untouched (their journal and cycle
// positions). An imposter whose only change is its stubs gets them in place, so its port never
// stops answering; the others (added, removed, or changed in other fields) are swapped in one step.
import type { Imposter } from '../core/imposter.js';
import type { ImposterRegistry } from '../core/imposterRegistry.js';
import type { CompileOrigin, Stub } from '../core/stub.js';
import { compileEach } from '../model/errors.js';
import { isPlainObject } from '../model/plainObject.js';

export interface ReloadResult {
  kept: number;
  /** Imposters whose stubs were replaced in place. */
  updated: number;
  started: number;
  stopped: number;
  /** The same by port, as Rift's POST /admin/reload reports them. */
  ports: { created: number[]; replaced: number[]; stubPatched: number[]; deleted: number[] };
}

interface Loaded {
  /** The definition as loaded, and without its stubs (taken before compiling upcasts it in place). */
  text: string;
  head: string;
  imposter: Imposter;
}

export class ImposterReloader {
  /** What this source started, by its key (the port it asks for, else its position). */
  private loaded = new Map<string, Loaded>();

  /** `origin`: where the source's definitions come from (see compileImposter). */
  constructor(
    private readonly registry: ImposterRegistry,
    private readonly origin: CompileOrigin = {},
  ) {}

  /**
   * Makes the running imposters of this source match `configs`; throws (changing nothing) when one
   * is refused. `replaceAll` (the first load, as `--configfile` does) also stops every other imposter.
   */
  async reload(configs: readonly unknown[], replaceAll = false): Promise<ReloadResult> {
    const entries = configs.map((config, i) => ({ config, key: keyOf(config, i), text: JSON.stringify(config), head: headOf(config) }));
    const running = (key: string): Loaded | undefined => {
      const previous = this.loaded.get(key);
      return previous && this.registry.get(previous.imposter.port) === previous.imposter ? previous : undefined;
    };
    const kept = entries.filter((e) => running(e.key)?.text === e.text);
    const inPlace = entries.filter((e) => !kept.includes(e) && running(e.key)?.head === e.head);
    const fresh = entries.filter((e) => !kept.includes(e) && !inPlace.includes(e));

    // Everything is compiled before anything changes.
    const stubSets = new Map<(typeof entries)[number], Stub[]>();
    const compiled = compileEach([...inPlace, ...fresh], (e): Imposter | undefined => {
      if (!inPlace.includes(e)) return this.registry.compile(e.config, this.origin);
      const stubs = isPlainObject(e.config) ? e.config.stubs : undefined;
      stubSets.set(e, running(e.key)!.imposter.compileStubs(Array.isArray(stubs) ? stubs : [], this.origin));
      return undefined;
    }).filter((imposter): imposter is Imposter => imposter !== undefined);

    const staying = new Set([...kept, ...inPlace].map((e) => running(e.key)!.imposter));
    const retired = (replaceAll ? this.registry.list() : [...this.loaded.values()].map((l) => l.imposter)).filter(
      (imposter) => !staying.has(imposter) && this.registry.get(imposter.port) === imposter,
    );
    if (compiled.length > 0 || retired.length > 0 || replaceAll) await this.registry.swap(retired, compiled);
    for (const [e, stubs] of stubSets) {
      const imposter = running(e.key)!.imposter;
      imposter.setStubs(stubs);
      await this.registry.changed(imposter);
    }

    const replacedKeys = new Set(fresh.filter((e) => this.loaded.has(e.key)).map((e) => e.key));
    const startedPorts = new Set(compiled.map((imposter) => imposter.port));
    const ports = {
      created: fresh.flatMap((e, n) => (replacedKeys.has(e.key) ? [] : [compiled[n]!.port])),
      replaced: fresh.flatMap((e, n) => (replacedKeys.has(e.key) ? [compiled[n]!.port] : [])),
      stubPatched: inPlace.map((e) => running(e.key)!.imposter.port),
      deleted: retired.map((imposter) => imposter.port).filter((port) => !startedPorts.has(port)),
    };
    const next = new Map<string, Loaded>();
    for (const e of [...kept, ...inPlace]) next.set(e.key, { text: e.text, head: e.head, imposter: running(e.key)!.imposter });
    fresh.forEach((e, n) => next.set(e.key, { text: e.text, head: e.head, imposter: compiled[n]! }));
    this.loaded = next;
    return { kept: kept.length, updated: inPlace.length, started: compiled.length, stopped: retired.length, ports };
  }
}

function keyOf(config: unknown, index: number): string {
  const port = isPlainObject(config) ? config.port : undefined;
  return port === undefined || port === null || port === 0 || port === '0' ? `#${index}` : `port ${String(port)}`;
}

function headOf(config: unknown): string {
  if (!isPlainObject(config)) return JSON.stringify(config);
  const { stubs: _, ...head } = config;
  return JSON.stringify(head);
}
