// `start(options)`: a standin inside the caller's process, for test suites. Everything it opens
// (listeners, upstream pools, stores, watchers, the log) belongs to the instance and is released
// by close(), so a process may run many, one after another or side by side.
import { createAdminClient } from '../admin/adminClient.js';
import { configFileSource, loadConfigFile } from '../cli/configFile.js';
import { Logger } from '../logging/logger.js';
import type { ImposterDefinition, ImpostersFile } from '../model/imposterDefinition.js';
import { startStandin } from '../server/standin.js';
import { imposterHandle, urlOf, type ImposterHandle } from './imposterHandle.js';
import { serverOptions, type StartOptions } from './startOptions.js';
import { writeFile } from 'node:fs/promises';

interface PrintedImposter {
  protocol: string;
  port: number;
  host?: string;
}

export interface SaveOptions {
  /** Leave out the responses recorded by proxies (and stubs left empty), as `standin save --removeProxies`. */
  removeProxies?: boolean;
  /** Also write the imposters to this file, as `standin save --savefile`. */
  file?: string;
}

export interface Standin {
  /** The admin API's port (the one the OS chose, for port 0). */
  readonly port: number;
  /** The admin API: `http://127.0.0.1:PORT`. */
  readonly url: string;
  /** Creates an imposter (as `POST /imposters`); rejects with the admin API's error when it is refused. */
  createImposter(definition: ImposterDefinition): Promise<ImposterHandle>;
  /** A handle on the imposter already running on `port` (one from `imposters` or `configfile`). */
  imposter(port: number): Promise<ImposterHandle>;
  /** Stops every imposter. */
  deleteAll(): Promise<void>;
  /** The imposters as a replayable file (`{"imposters": [...]}`), as `standin save` writes it. */
  save(options?: SaveOptions): Promise<ImpostersFile>;
  /** Stops the admin API and every imposter and releases everything this instance opened. */
  close(): Promise<void>;
}

/** Starts a standin in this process; resolves once the admin API and the initial imposters are up. */
export async function start(options: StartOptions = {}): Promise<Standin> {
  const server = serverOptions(options);
  const logger = new Logger({
    level: server.loglevel,
    logfile: server.nologfile ? null : server.logfile,
    console: false,
    sink: options.log,
  });
  let running;
  try {
    running = await startStandin(server, logger);
    const configfile = server.configfile;
    if (configfile !== undefined) {
      const load = (files?: Set<string>) => loadConfigFile(configfile, { noParse: server.noParse, files });
      if (server.watch) await running.watch(configFileSource(configfile, load));
      else await running.replaceImposters(await load());
    } else if (options.imposters !== undefined && options.imposters.length > 0) {
      await running.replaceImposters(options.imposters);
    }
    running.announce();
  } catch (err) {
    await running?.close();
    await logger.close();
    throw err;
  }
  const opened = running;

  const url = urlOf('http', server.host, opened.port);
  const admin = createAdminClient(url, server.apikey);
  // An imposter may bind an interface of its own (`host`); clients reach it there.
  const handleFor = (imposter: PrintedImposter): ImposterHandle =>
    imposterHandle(admin, imposter.port, urlOf(imposter.protocol, imposter.host ?? server.host, imposter.port), server.mock);

  let closing: Promise<void> | undefined;
  return {
    port: opened.port,
    url,
    async createImposter(definition) {
      return handleFor(await admin.json<PrintedImposter>('POST', '/imposters', definition));
    },
    async imposter(port) {
      return handleFor(await admin.json<PrintedImposter>('GET', `/imposters/${port}`));
    },
    async deleteAll() {
      await admin.json('DELETE', '/imposters');
    },
    async save(saveOptions = {}) {
      const query = `?replayable=true${saveOptions.removeProxies ? '&removeProxies=true' : ''}`;
      const saved = await admin.json<ImpostersFile>('GET', `/imposters${query}`);
      if (saveOptions.file !== undefined) await writeFile(saveOptions.file, JSON.stringify(saved, null, 2));
      return saved;
    },
    close() {
      closing ??= (async () => {
        await opened.close();
        await logger.close();
      })();
      return closing;
    },
  };
}
