// A worker process of `standin start --workers N` (forked by the primary through node:cluster):
// the same registries as one standin, serving what the primary opens. It leaves when the
// primary does.
import { ImposterRegistry } from '../core/imposterRegistry.js';
import { Logger } from '../logging/logger.js';
import { WORKER_SETTINGS_ENV, workerSettingsFrom } from '../scale/messages.js';
import { WorkerRuntime } from '../scale/workerRuntime.js';
import { createInstanceResources } from './instanceResources.js';
import { createIpFilter } from './ipFilter.js';
import { registries } from './registries.js';

const settings = workerSettingsFrom(process.env[WORKER_SETTINGS_ENV]);
const runtime = new WorkerRuntime();
const logger = new Logger({ level: settings.loglevel, logfile: null, console: false, memoryCap: 1, sink: runtime.logSink });
const instance = createInstanceResources();
const registry = new ImposterRegistry(
  registries,
  {
    host: settings.host,
    allowAddress: createIpFilter(settings.localOnly, settings.ipWhitelist),
    debug: settings.debug,
    mock: settings.mock,
    journalCap: settings.journalCap,
    allowInjection: false,
    proxyTimeout: settings.proxyTimeout,
    injectionTimeout: settings.injectionTimeout,
    scriptsDir: settings.scriptsDir,
    instance,
    strict: settings.strict,
    bodyLimit: settings.bodyLimit,
    stallLimit: settings.stallLimit,
    scale: runtime.scale,
  },
  logger,
);

// The primary stops its workers with SIGTERM, or disappears (killed): either way this worker ends.
const leave = (): void => {
  void Promise.race([registry.closeAll().then(() => instance.close()), new Promise((resolve) => setTimeout(resolve, 2_000))]).then(() => process.exit(0));
};
process.on('SIGTERM', leave);
process.on('SIGINT', () => undefined);
process.on('disconnect', leave);
runtime.run(registry);
