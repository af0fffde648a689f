// Starts standin: the imposter registry and the admin API that drives it.
import { createAdminAccess } from '../admin/adminAccess.js';
import { createAdminRouter, createAdminServer } from '../admin/adminServer.js';
import { ImposterRegistry } from '../core/imposterRegistry.js';
import type { Imposter } from '../core/imposter.js';
import type { NamedStores } from '../contracts/index.js';
import { EventLog } from '../events/eventLog.js';
import type { Log, Logger } from '../logging/logger.js';
import { StandinError } from '../model/errors.js';
import { ProcessMetrics } from '../metrics/processMetrics.js';
import { TrafficHistory } from '../metrics/trafficHistory.js';
import { DatadirRepository } from '../persistence/datadirRepository.js';
import { ImposterPersistence } from '../persistence/imposterPersistence.js';
import { loadProtofile } from '../protocols/custom/protofile.js';
import { fileURLToPath } from 'node:url';
import { createInstanceResources } from './instanceResources.js';
import { createIpFilter } from './ipFilter.js';
import { createDashboard } from '../dashboard/dashboard.js';
import { registries } from './registries.js';
import type { StandinOptions } from '../model/options.js';
import { VERSION } from '../model/version.js';
import { FleetMember } from '../fleet/fleetMember.js';
import { PrimaryScale } from '../scale/primaryScale.js';
import { refusedWithWorkers, ScaleError } from '../scale/refuse.js';
import { NOTHING_TO_RELOAD, ReloadableSource, type ReloadReport } from '../watch/reloadSource.js';
import { watchImposters, type ImposterSource, type ImposterWatch, type LoadedImposters } from '../watch/watchImposters.js';
import { portOf } from '../model/boundPort.js';

export interface RunningStandin {
  readonly port: number;
  /** `internal`: written by standin's own Imposter-config loader, which may use internal response kinds. */
  replaceImposters(configs: unknown[], internal?: boolean): Promise<void>;
  /**
   * Starts the imposters of `source` (already `loaded`, or read now) in place of every imposter,
   * then reloads them whenever its files change (--watch).
   */
  watch(source: ImposterSource, loaded?: LoadedImposters): Promise<ImposterWatch>;
  /** Starts the imposters of `source` in place of every imposter; POST /admin/reload reads it again. */
  load(source: ImposterSource, loaded: LoadedImposters): Promise<void>;
  /** Logs that standin takes orders: once the imposters it starts with are loaded, so a failed load never says it. */
  announce(): void;
  close(): Promise<void>;
}

/** What a front door hands the instance instead of new, empty ones (`standin imposter`'s stores and log). */
export interface PreparedResources {
  stores?: NamedStores;
  imposterLog?: Log;
}

export async function startStandin(options: StandinOptions, logger: Logger, prepared: PreparedResources = {}): Promise<RunningStandin> {
  const allowAddress = createIpFilter(options.localOnly, options.ipWhitelist);
  const custom = loadProtofile(
    options.protofile,
    {
      callbackURLTemplate: `http://${options.host ?? 'localhost'}:${options.port}/imposters/:port/_requests`,
      loglevel: options.loglevel,
      allowInjection: options.allowInjection,
    },
    logger.scoped(`[mb:${options.port}] `),
  );
  for (const mode of ['--workers', '--fleet'] as const) {
    if ((mode === '--workers' ? options.workers : options.fleet) === undefined) continue;
    const refused = refusedWithWorkers({ ...options, customProtocols: custom.length > 0 }, mode);
    if (refused !== undefined) throw new ScaleError(refused);
  }
  const instance = createInstanceResources(prepared);
  const events = new EventLog();
  const primary =
    options.workers === undefined
      ? undefined
      : new PrimaryScale(
          options.workers,
          fileURLToPath(new URL('./workerMain.js', import.meta.url)),
          {
            host: options.host,
            loglevel: options.loglevel,
            localOnly: options.localOnly,
            ipWhitelist: options.ipWhitelist,
            debug: options.debug,
            mock: options.mock,
            journalCap: options.journalCap,
            proxyTimeout: options.proxyTimeout,
            injectionTimeout: options.injectionTimeout,
            scriptsDir: options.scriptsDir,
            strict: options.strict,
            bodyLimit: options.bodyLimit,
            stallLimit: options.stallLimit,
          },
          logger,
          logger.scoped(`[mb:${options.port}] `),
          options.journalCap,
          events,
        );
  const member = options.fleet === undefined ? undefined : new FleetMember(options.fleet, options.journalCap, logger.scoped(`[mb:${options.port}] `));
  const scaleView = primary ?? member;
  const registry = new ImposterRegistry(
    custom.length === 0 ? registries : { ...registries, protocols: new Map([...registries.protocols, ...custom.map((p) => [p.name, p] as const)]) },
    {
      host: options.host,
      allowAddress,
      debug: options.debug,
      mock: options.mock,
      journalCap: options.journalCap,
      allowInjection: options.allowInjection,
      proxyTimeout: options.proxyTimeout,
      injectionTimeout: options.injectionTimeout,
      scriptsDir: options.scriptsDir,
      instance,
      events,
      strict: options.strict,
      scale: primary?.scale ?? member?.scale,
      bodyLimit: options.bodyLimit,
      stallLimit: options.stallLimit,
    },
    logger,
  );
  // The workers first, so that imposters restored from --datadir open on them.
  await primary?.start(registry);
  try {
    await member?.join(registry);
  } catch (err) {
    await registry.closeAll();
    await instance.close();
    throw new ScaleError(err instanceof Error ? err.message : String(err));
  }
  let persistence: ImposterPersistence | undefined;
  try {
    persistence = options.datadir === undefined ? undefined : await openDatadir(options.datadir, registry, logger, options.port);
  } catch (err) {
    await primary?.close();
    await instance.close();
    throw err;
  }
  const processMetrics = new ProcessMetrics();
  const traffic = new TrafficHistory(() => registry.list());
  // An imposter created and deleted between two samples still counts in the history.
  const track = (imposters: readonly Imposter[]): Promise<void> => {
    for (const imposter of imposters) traffic.track(imposter.metrics);
    return Promise.resolve();
  };
  registry.observe({
    created: (imposter) => track([imposter]),
    changed: (imposter) => track([imposter]),
    deleted: () => Promise.resolve(),
    replaced: track,
  });
  let watching: ImposterWatch | undefined;
  let reloadable: ReloadableSource | undefined;
  const reload = (): Promise<ReloadReport> => reloadable?.reload() ?? Promise.resolve(NOTHING_TO_RELOAD);
  const admin = createAdminServer(
    createAdminRouter(registry, options, logger, processMetrics, events, () => watching?.status, scaleView, reload, traffic),
    options.port,
    allowAddress,
    logger,
    createAdminAccess(options),
    options.adminBodyLimit,
    scaleView && ((method, path) => scaleView.before(method, path)),
    createDashboard(),
  );

  await new Promise<void>((resolve, reject) => {
    admin.server.once('error', (err: NodeJS.ErrnoException) => {
      const message = err.code === 'EADDRINUSE' ? `port ${options.port} is already in use` : `cannot listen on port ${options.port}: ${err.message}`;
      reject(new StandinError(err.code === 'EADDRINUSE' ? 'resource conflict' : 'cannot start server', message));
    });
    admin.server.listen(options.port, options.host, () => resolve());
  }).catch(async (err: unknown) => {
    processMetrics.close();
    traffic.close();
    await registry.closeAll();
    await primary?.close();
    await member?.close();
    await persistence?.close();
    await instance.close();
    throw err;
  });
  const port = portOf(admin.server.address());
  member?.announce(port);

  const log = logger.scoped(`[mb:${port}] `);

  return {
    port,
    announce() {
      if (options.allowInjection) {
        log.warn('Running with --allowInjection set: imposters can run any JavaScript or shell command as this process, so load only imposters you trust');
      }
      log.info(`standin v${VERSION} now taking orders - point your browser to http://localhost:${port}/ for help`);
    },
    async replaceImposters(configs: unknown[], internal = false) {
      await registry.replaceAll(configs, internal);
    },
    async watch(source: ImposterSource, loaded?: LoadedImposters) {
      const reloading = new ReloadableSource(source, registry);
      watching = await watchImposters(source, registry, log, loaded, reloading.reloader);
      reloadable = reloading;
      return watching;
    },
    async load(source: ImposterSource, loaded: LoadedImposters) {
      const reloading = new ReloadableSource(source, registry);
      await reloading.start(loaded);
      reloadable = reloading;
    },
    async close() {
      watching?.close();
      await watching?.settled();
      processMetrics.close();
      traffic.close();
      await Promise.all([admin.close(), registry.closeAll()]);
      await primary?.close();
      await member?.close();
      // After the imposters stop serving: no proxy is left to use a pool, and the last cycle positions are written too.
      await Promise.all([instance.close(), persistence?.close()]);
    },
  };
}

/** Opens --datadir and starts the imposters stored there, before the admin API takes requests. */
async function openDatadir(dir: string, registry: ImposterRegistry, logger: Logger, port: number): Promise<ImposterPersistence> {
  const log = logger.scoped(`[mb:${port}] `);
  const persistence = new ImposterPersistence(await DatadirRepository.open(dir), log);
  registry.observe(persistence);
  try {
    await persistence.restore(registry);
  } catch (err) {
    await registry.closeAll();
    await persistence.close();
    throw err;
  }
  log.info(`imposters are saved in ${dir}; ${registry.list().length} restored`);
  return persistence;
}
