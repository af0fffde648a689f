// Imposter's environment variables that standin honours, read once at startup.
import { ImposterConfigError } from './configModel.js';
import { parseGoDuration } from './goDuration.js';

export interface ImposterEnvSettings {
  /** IMPOSTER_CONFIG_DIR, split on commas. */
  configDirs: string[];
  /** IMPOSTER_PORT (default 8080). */
  port: number;
  /** IMPOSTER_PASSTHROUGH_TIMEOUT in Go duration syntax (default 30s), in milliseconds. */
  passthroughTimeoutMs: number;
  /** IMPOSTER_PASSTHROUGH_FORWARDED_HEADERS=true (case-insensitive). */
  forwardedHeaders: boolean;
  /** IMPOSTER_PASSTHROUGH_TLS_VERIFY=false turns off the check of https upstreams' certificates. */
  verifyTls: boolean;
  /** IMPOSTER_SERVER_URL, else http://localhost:PORT. */
  serverUrl: string | undefined;
}

export const DEFAULT_PASSTHROUGH_TIMEOUT_MS = 30_000;

export function readImposterEnv(env: NodeJS.ProcessEnv): ImposterEnvSettings {
  const configDirs = (env.IMPOSTER_CONFIG_DIR ?? '')
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '');
  let port = 8080;
  if (env.IMPOSTER_PORT !== undefined && env.IMPOSTER_PORT !== '') {
    port = /^\d+$/.test(env.IMPOSTER_PORT) ? Number(env.IMPOSTER_PORT) : NaN;
    if (!(port >= 1 && port <= 65535)) throw new ImposterConfigError(`IMPOSTER_PORT must be a port from 1 to 65535, got ${JSON.stringify(env.IMPOSTER_PORT)}`);
  }
  let passthroughTimeoutMs = DEFAULT_PASSTHROUGH_TIMEOUT_MS;
  const timeout = env.IMPOSTER_PASSTHROUGH_TIMEOUT;
  if (timeout !== undefined && timeout !== '') {
    const ms = parseGoDuration(timeout);
    if (ms === undefined || ms <= 0) {
      throw new ImposterConfigError(`IMPOSTER_PASSTHROUGH_TIMEOUT must be a Go duration such as 500ms, 5s, 1m or 1m30s, got ${JSON.stringify(timeout)}`);
    }
    passthroughTimeoutMs = ms;
  }
  return {
    configDirs,
    port,
    passthroughTimeoutMs,
    forwardedHeaders: (env.IMPOSTER_PASSTHROUGH_FORWARDED_HEADERS ?? '').toLowerCase() === 'true',
    verifyTls: (env.IMPOSTER_PASSTHROUGH_TLS_VERIFY ?? '').toLowerCase() !== 'false',
    serverUrl: env.IMPOSTER_SERVER_URL || undefined,
  };
}
