// `standin imposter [DIR]`: serves an Imposter config directory (IMPOSTER_CONFIG_DIR when no DIR)
// as one ordinary imposter on --port / IMPOSTER_PORT (default 8080), with the admin API beside it
// on --adminPort (default 2525), where GET /imposters/PORT lists the compiled stubs.
// A config that cannot be served stops startup before anything listens.
import { compileConfig } from '../imposterConfig/compileConfig.js';
import { loadConfigDirs } from '../imposterConfig/configLoader.js';
import { ImposterConfigError } from '../imposterConfig/configModel.js';
import { useImposterLog } from '../imposterConfig/imposterLog.js';
import { readImposterEnv } from '../imposterConfig/imposterSettings.js';
import { preloadStores } from '../imposterConfig/preloadStores.js';
import { imposterStores } from '../imposterConfig/stores.js';
import { parseImposterArgs } from './imposterArgs.js';

export async function runImposter(argv: readonly string[]): Promise<number | undefined> {
  const args = parseImposterArgs(argv);
  let imposter: Record<string, unknown>;
  let warnings: string[];
  let dirs: string[];
  try {
    const env = readImposterEnv(process.env);
    dirs = args.dirs.length > 0 ? args.dirs : env.configDirs;
    if (dirs.length === 0) throw new ImposterConfigError('no config directory: run standin imposter DIR, or set IMPOSTER_CONFIG_DIR');
    const documents = loadConfigDirs(dirs, process.env);
    const port = args.port ?? env.port;
    ({ imposter, warnings } = compileConfig(documents, {
      port,
      serverUrl: env.serverUrl ?? `http://localhost:${port}`,
      passthroughTimeoutMs: env.passthroughTimeoutMs,
      forwardedHeaders: env.forwardedHeaders,
      name: `imposter config ${dirs.join(',')}`,
    }));
    preloadStores(documents, imposterStores);
  } catch (err) {
    if (!(err instanceof ImposterConfigError)) throw err;
    process.stderr.write(`standin: ${err.message}\n`);
    return 1;
  }
  // Loaded only once the config is known to be servable: a refused config exits without the server's imports.
  const { start } = await import('./start.js');
  return start(args.options, {}, {
    imposters: [imposter],
    source: dirs.join(','),
    consoleStyle: 'imposter',
    withLogger(logger) {
      useImposterLog(logger);
      for (const warning of warnings) logger.warn(warning);
    },
  });
}
