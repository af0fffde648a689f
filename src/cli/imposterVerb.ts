// `standin imposter [DIR]`: serves an Imposter config directory (IMPOSTER_CONFIG_DIR when no DIR)
// as one ordinary imposter on --port / IMPOSTER_PORT (default 8080), with the admin API beside it
// on --adminPort (default 2525), where GET /imposters/PORT lists the compiled stubs.
// A config that cannot be served stops startup before anything listens.
import { compileConfig } from '../imposterConfig/compileConfig.js';
import { loadConfigDirs } from '../imposterConfig/configLoader.js';
import { ImposterConfigError } from '../imposterConfig/configModel.js';
import { readImposterEnv } from '../imposterConfig/imposterSettings.js';
import { preloadStores } from '../imposterConfig/preloadStores.js';
import { ImposterStores } from '../imposterConfig/stores.js';
import { parseImposterArgs } from './imposterArgs.js';
import type { Log } from '../logging/logger.js';
import type { WatchTargets } from '../watch/fileWatcher.js';
import type { ImposterSource } from '../watch/watchImposters.js';

type LoadedConfig = ReturnType<typeof compileConfig>;

export async function runImposter(argv: readonly string[]): Promise<number | undefined> {
  const args = parseImposterArgs(argv);
  let dirs: string[];
  // The instance's stores, preloaded here so a refused preload file stops startup early.
  const stores = new ImposterStores();
  let first: LoadedConfig;
  let load: () => LoadedConfig;
  try {
    const env = readImposterEnv(process.env);
    const configDirs = args.dirs.length > 0 ? args.dirs : env.configDirs;
    if (configDirs.length === 0) throw new ImposterConfigError('no config directory: run standin imposter DIR, or set IMPOSTER_CONFIG_DIR');
    dirs = configDirs;
    const port = args.port ?? env.port;
    load = () => {
      const documents = loadConfigDirs(configDirs, process.env);
      const compiled = compileConfig(documents, {
        port,
        serverUrl: env.serverUrl ?? `http://localhost:${port}`,
        passthroughTimeoutMs: env.passthroughTimeoutMs,
        forwardedHeaders: env.forwardedHeaders,
        verifyTls: env.verifyTls,
        name: `imposter config ${configDirs.join(',')}`,
      });
      preloadStores(documents, stores);
      return compiled;
    };
    first = load();
  } catch (err) {
    if (!(err instanceof ImposterConfigError)) throw err;
    process.stderr.write(`standin: ${err.message}\n`);
    return 1;
  }
  const options = args.options;
  // The files standin itself writes may sit in a watched directory: their writes are no change.
  const targets: WatchTargets = {
    trees: dirs,
    ignore: [options.pidfile, ...(options.nologfile ? [] : [options.logfile])],
  };
  let log: Log | undefined;
  const source: ImposterSource = {
    name: dirs.join(','),
    internal: true,
    async load() {
      const { imposter, warnings } = load();
      for (const warning of warnings) log?.warn(warning);
      return { imposters: [imposter], targets };
    },
  };
  // Loaded only once the config is known to be servable: a refused config exits without the server's imports.
  const { start } = await import('./start.js');
  return start(
    options,
    {},
    {
      imposters: [first.imposter],
      source: dirs.join(','),
      watch: options.watch ? { source, targets } : undefined,
      consoleStyle: 'imposter',
      stores,
      withLogger(logger) {
        log = logger;
        for (const warning of first.warnings) logger.warn(warning);
      },
    },
  );
}
