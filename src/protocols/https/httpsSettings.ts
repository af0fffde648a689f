// An https imposter's TLS fields (mountebank's `key`, `cert`, `ca`, `mutualAuth`,
// `rejectUnauthorized`, `ciphers`): checked once at creation, by building a TLS context from them,
// so a bad PEM is a 400 and not a server that fails to start.
import tls from 'node:tls';
import type { StandinError } from '../../model/errors.js';
import { ValidationFailure, validationError } from '../../model/errors.js';
import { errorCode, errorMessage } from '../../model/caughtError.js';

export interface HttpsSettings {
  /** The imposter's own pair; absent = the process's generated certificate. */
  key: string | undefined;
  cert: string | undefined;
  ca: string | string[] | undefined;
  /** Ask every client for a certificate. */
  mutualAuth: boolean;
  /** With mutualAuth: refuse clients whose certificate is missing or not signed by `ca`. */
  rejectUnauthorized: boolean;
  ciphers: string | undefined;
}

// Node 24's default TLS security level refuses RSA keys under 2048 bits, which Node 20 and 22 accept.
const KEY_TOO_SMALL =
  ' (the key is shorter than this Node version accepts: use an RSA key of 2048 bits or more, or an EC key, or allow it with "ciphers": "DEFAULT@SECLEVEL=1")';

const ECHO_ORDER = ['key', 'cert', 'mutualAuth', 'rejectUnauthorized', 'ca', 'ciphers'] as const;

/**
 * Reads and checks the fields, and rewrites them in `config` as mountebank echoes them (in its
 * order; `ca` null and the booleans false when absent, `ciphers` upper-cased and only if given).
 * `key`/`cert` are left for the server to fill in when the generated pair is used.
 */
export function compileHttpsSettings(config: Record<string, unknown>): HttpsSettings {
  const errors: StandinError[] = [];
  const pem = (field: 'key' | 'cert'): string | undefined => {
    const value = config[field];
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string') errors.push(validationError(`'${field}' must be a PEM string`));
    return typeof value === 'string' ? value : undefined;
  };
  const key = pem('key');
  const cert = pem('cert');
  if ((key === undefined) !== (cert === undefined)) {
    errors.push(validationError("'key' and 'cert' must be given together (or neither, for standin's self-signed certificate)"));
  }
  const ca = compileCa(config.ca, errors);
  let ciphers: string | undefined;
  if (config.ciphers !== undefined && config.ciphers !== null) {
    if (typeof config.ciphers !== 'string') errors.push(validationError('\'ciphers\' must be a string such as "ECDHE-RSA-AES128-GCM-SHA256"'));
    else ciphers = config.ciphers.toUpperCase();
  }
  if (errors.length > 0) throw new ValidationFailure(errors);

  try {
    tls.createSecureContext({ key, cert, ca, ciphers });
  } catch (err) {
    const hint = errorCode(err) === 'ERR_SSL_EE_KEY_TOO_SMALL' ? KEY_TOO_SMALL : '';
    throw validationError(`invalid TLS settings: ${errorMessage(err)}${hint}`, {
      key: key !== undefined,
      cert: cert !== undefined,
      ca: ca !== undefined,
      ciphers,
    });
  }

  const settings: HttpsSettings = {
    key,
    cert,
    ca,
    mutualAuth: Boolean(config.mutualAuth),
    rejectUnauthorized: Boolean(config.rejectUnauthorized),
    ciphers,
  };
  const echoed: Record<(typeof ECHO_ORDER)[number], unknown> = {
    key,
    cert,
    mutualAuth: settings.mutualAuth,
    rejectUnauthorized: settings.rejectUnauthorized,
    ca: ca ?? null,
    ciphers,
  };
  for (const field of ECHO_ORDER) {
    // Re-adding puts the fields in mountebank's order; undefined ones are not printed.
    delete config[field];
    config[field] = echoed[field];
  }
  return settings;
}

function compileCa(value: unknown, errors: StandinError[]): string | string[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((v): v is string => typeof v === 'string')) return value;
  errors.push(validationError("'ca' must be a PEM string or an array of PEM strings"));
  return undefined;
}
