// `--protofile FILE` (default ./protocols.json, as mb): custom protocols, each an out-of-process
// server started by a shell command. `{"foo": {"createCommand": "node foo.js", "testRequest": {...}}}`
import type { ProtocolAdapter } from '../../contracts/index.js';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Log } from '../../logging/logger.js';
import { customProtocol, type CustomProtocolContext } from './customProtocol.js';

export const DEFAULT_PROTOFILE = 'protocols.json';

/** The protofile cannot be used; the message names it and why. */
export class ProtofileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtofileError';
  }
}

/**
 * The custom protocols of `protofile`. An absent file loads nothing (as mb; a named one is warned
 * about); a file that exists must be valid.
 */
export function loadProtofile(protofile: string | undefined, context: CustomProtocolContext, log: Log): ProtocolAdapter[] {
  const path = resolve(protofile ?? DEFAULT_PROTOFILE);
  if (!existsSync(path)) {
    // mb starts without a missing protofile; one named on the command line gets a warning.
    if (protofile !== undefined) log.warn(`Cannot find --protofile ${protofile}; starting without custom protocols`);
    return [];
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ProtofileError(`cannot load --protofile ${protofile ?? DEFAULT_PROTOFILE}: ${code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ProtofileError(`--protofile ${path} must hold an object of protocols, such as {"foo": {"createCommand": "node foo.js"}}`);
  }
  const out: ProtocolAdapter[] = [];
  for (const [name, config] of Object.entries(json as Record<string, unknown>)) {
    const createCommand = (config as { createCommand?: unknown } | null)?.createCommand;
    if (typeof createCommand !== 'string' || createCommand.trim() === '') {
      throw new ProtofileError(`--protofile ${path}: protocol "${name}" needs a "createCommand" string`);
    }
    const testRequest = (config as { testRequest?: unknown }).testRequest;
    out.push(customProtocol(name, { createCommand, testRequest: isObject(testRequest) ? testRequest : {} }, context));
    log.info(`Loaded custom protocol ${name}`);
  }
  return out;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
