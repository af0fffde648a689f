// `--protofile FILE` (default ./protocols.json, as mb): custom protocols, each an out-of-process
// server started by a shell command. `{"foo": {"createCommand": "node foo.js", "testRequest": {...}}}`
import type { ProtocolAdapter } from '../../contracts/index.js';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Log } from '../../logging/logger.js';
import { customProtocol, type CustomProtocolContext } from './customProtocol.js';
import { errorCode, errorMessage } from '../../model/caughtError.js';
import { isPlainObject } from '../../model/plainObject.js';

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
    const code = errorCode(err);
    throw new ProtofileError(`cannot load --protofile ${protofile ?? DEFAULT_PROTOFILE}: ${code === 'ENOENT' ? 'no such file' : errorMessage(err)}`);
  }
  if (!isPlainObject(json)) {
    throw new ProtofileError(`--protofile ${path} must hold an object of protocols, such as {"foo": {"createCommand": "node foo.js"}}`);
  }
  const out: ProtocolAdapter[] = [];
  for (const [name, value] of Object.entries(json)) {
    const config = isPlainObject(value) ? value : {};
    const createCommand = config.createCommand;
    if (typeof createCommand !== 'string' || createCommand.trim() === '') {
      throw new ProtofileError(`--protofile ${path}: protocol "${name}" needs a "createCommand" string`);
    }
    const testRequest = config.testRequest;
    out.push(customProtocol(name, { createCommand, testRequest: isPlainObject(testRequest) ? testRequest : {} }, context));
    log.info(`Loaded custom protocol ${name}`);
  }
  return out;
}
