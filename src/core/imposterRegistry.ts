// The running imposters, by port. Creation validates and compiles before anything listens;
// replacing the whole set restores the previous one if any new imposter cannot start.
import type { ListenOptions } from '../contracts/index.js';
import type { Logger } from '../logging/logger.js';
import { asStandinError, compileEach, StandinError } from '../model/errors.js';
import { compileImposter, type Registries } from './compileImposter.js';
import type { Imposter, ImposterSettings } from './imposter.js';
import type { CompileOrigin } from './stub.js';

export interface RegistryOptions extends ImposterSettings {
  host: string | undefined;
  allowAddress: (address: string | undefined) => boolean;
  /** --bodyLimit, in bytes. */
  bodyLimit: number;
}

/** Told of every change to the set of imposters or their stubs (--datadir persistence). */
export interface RegistryObserver {
  created(imposter: Imposter): Promise<void>;
  /** Stubs edited through the admin API. */
  changed(imposter: Imposter): Promise<void>;
  deleted(imposter: Imposter): Promise<void>;
  /** PUT /imposters and DELETE /imposters: the whole set is now `imposters`. */
  replaced(imposters: readonly Imposter[]): Promise<void>;
  /** DELETE savedRequests: the recorded requests were cleared (--workers clears every worker's). */
  cleared?(imposter: Imposter): Promise<void>;
}

export class ImposterRegistry {
  private readonly imposters = new Map<number, Imposter>();
  private readonly observers: RegistryObserver[] = [];
  /** GET /metrics announces the imposter families from the first imposter on, as mountebank registers them then. */
  hasCreatedImposters = false;

  constructor(
    private readonly registries: Registries,
    private readonly options: RegistryOptions,
    private readonly logger: Logger,
  ) {}

  observe(observer: RegistryObserver): void {
    this.observers.push(observer);
  }

  /** Tells every observer, in the order they subscribed; resolves once all are done. */
  private async tell(what: (observer: RegistryObserver) => Promise<void> | undefined): Promise<void> {
    for (const observer of this.observers) await what(observer);
  }

  /** DELETE savedRequests: resolves once every process serving `imposter` has forgotten its requests. */
  async clearRequests(imposter: Imposter): Promise<void> {
    await this.tell((observer) => observer.cleared?.(imposter));
    imposter.clearRequests();
  }

  /** --localOnly / --ipWhitelist, for requests a custom protocol's process relays. */
  allowsAddress(address: string): boolean {
    return this.options.allowAddress(address);
  }

  get(port: number): Imposter | undefined {
    return this.imposters.get(port);
  }

  /** Ordered by port, as mountebank lists them. */
  list(): Imposter[] {
    return [...this.imposters.values()].sort((a, b) => a.port - b.port);
  }

  /** `origin`: where the definition was read from (see compileImposter); none for the admin API's. */
  compile(config: unknown, origin: CompileOrigin = {}): Imposter {
    const imposter = compileImposter(config, this.registries, this.options, this.logger, origin);
    this.hasCreatedImposters = true;
    return imposter;
  }

  async create(config: unknown, origin: CompileOrigin = {}): Promise<Imposter> {
    const imposter = this.compile(config, origin);
    await this.start(imposter);
    await this.tell((observer) => observer.created(imposter));
    this.options.events?.imposter('created', imposter.port);
    return imposter;
  }

  /** Starts an already compiled imposter without telling the observer (one restored from storage). */
  async listen(imposter: Imposter): Promise<void> {
    await this.start(imposter);
  }

  /** The admin API edited `imposter`'s stubs; resolves once the change is stored. */
  async changed(imposter: Imposter): Promise<void> {
    await this.tell((observer) => observer.changed(imposter));
    this.options.events?.imposter('stubsChanged', imposter.port);
  }

  async delete(port: number): Promise<Imposter | undefined> {
    const imposter = await this.stop(port);
    if (imposter) {
      await this.tell((observer) => observer.deleted(imposter));
      this.options.events?.imposter('deleted', port);
    }
    return imposter;
  }

  async deleteAll(): Promise<Imposter[]> {
    const all = this.list();
    await Promise.all(all.map((imposter) => this.stop(imposter.port)));
    await this.tell((observer) => observer.replaced([]));
    this.options.events?.imposter('allDeleted', null);
    return all;
  }

  private async stop(port: number): Promise<Imposter | undefined> {
    const imposter = this.imposters.get(port);
    if (!imposter) return undefined;
    this.imposters.delete(port);
    await imposter.close();
    imposter.log.info('Ciao for now');
    return imposter;
  }

  /** PUT /imposters: validate all, stop all, start the new set; on a failed start put the old set back. */
  async replaceAll(configs: unknown[], internal = false): Promise<Imposter[]> {
    const compiled = compileEach(configs, (config) => this.compile(config, { internal }));
    await this.swap(this.list(), compiled);
    return compiled;
  }

  /**
   * Stops `retired` and starts `compiled` (already validated) in their place, leaving every other
   * imposter alone; if one cannot start, the started ones stop and `retired` is put back.
   */
  async swap(retired: readonly Imposter[], compiled: readonly Imposter[]): Promise<void> {
    await Promise.all(retired.map((imposter) => imposter.close()));
    for (const imposter of retired) this.imposters.delete(imposter.port);
    const started: Imposter[] = [];
    try {
      for (const imposter of compiled) {
        await this.start(imposter);
        started.push(imposter);
      }
    } catch (err) {
      await Promise.all(started.map((imposter) => imposter.close()));
      for (const imposter of started) this.imposters.delete(imposter.port);
      for (const imposter of retired) {
        await this.start(imposter).catch((restartError: unknown) => imposter.log.error(`could not be restored: ${asStandinError(restartError).message}`));
      }
      throw err;
    }
    await this.tell((observer) => observer.replaced(this.list()));
    const events = this.options.events;
    if (events) {
      const ports = new Set(compiled.map((imposter) => imposter.port));
      for (const imposter of retired) if (!ports.has(imposter.port)) events.imposter('deleted', imposter.port);
      const before = new Set(retired.map((imposter) => imposter.port));
      for (const port of ports) events.imposter(before.has(port) ? 'replaced' : 'created', port);
    }
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.list().map((imposter) => imposter.close()));
    this.imposters.clear();
  }

  private async start(imposter: Imposter): Promise<void> {
    if (imposter.port && this.imposters.has(imposter.port)) {
      throw new StandinError('resource conflict', `port ${imposter.port} is already in use`, { port: imposter.port });
    }
    const listen: ListenOptions = {
      port: imposter.port,
      host: typeof imposter.config.host === 'string' ? imposter.config.host : this.options.host,
      allowAddress: countBlocked(this.options.allowAddress, imposter),
      bodyLimit: this.options.bodyLimit,
    };
    await imposter.listen(listen);
    this.imposters.set(imposter.port, imposter);
    imposter.log.info('Open for business...');
  }
}

/** The address filter, counting what it refuses into the imposter's mb_blocked_ip_total. */
function countBlocked(allow: (address: string | undefined) => boolean, imposter: Imposter) {
  return (address: string | undefined): boolean => {
    if (allow(address)) return true;
    imposter.metrics.blocked++;
    return false;
  };
}
