// Compiles a response's `_rift.script` ({engine, code | file}) once, at imposter creation; a
// syntax error is a 400 naming its line and column.
import { readFileSync } from 'node:fs';
import { StandinError, validationError } from '../model/errors.js';
import { isPlainObject } from '../model/types.js';
import { INJECTION_MESSAGE } from '../injection/index.js';
import { ScriptRuntimeError, ScriptSyntaxError, ScriptTimeoutError, type CompiledScript } from '../scripting/engine.js';
import { INJECTION_ENGINES, scriptEngines } from '../scripting/engines.js';

const SCRIPT_FILE_MESSAGE =
  "'_rift.script.file' reads a file from standin's disk, so it needs standin started with --allowInjection; or give the script inline as 'code'";

export interface RiftScript {
  readonly engine: string;
  readonly compiled: CompiledScript;
}

export function compileScript(config: unknown, timeoutMs: number, allowInjection: boolean): RiftScript {
  if (!isPlainObject(config)) throw validationError("'_rift.script' must be an object", config);
  const engineName = config.engine;
  const engine = typeof engineName === 'string' ? scriptEngines.get(engineName) : undefined;
  if (!engine) {
    const known = [...scriptEngines.keys()].join(', ');
    throw validationError(`'_rift.script.engine' must be one of ${known}, got ${JSON.stringify(engineName)}`, config);
  }
  if (INJECTION_ENGINES.has(engine.name) && !allowInjection) throw new StandinError('invalid injection', INJECTION_MESSAGE, config);
  const source = scriptSource(config, allowInjection);
  try {
    return { engine: engine.name, compiled: engine.compile(source, timeoutMs) };
  } catch (err) {
    if (err instanceof ScriptSyntaxError) {
      throw new StandinError('bad data', `_rift.script: ${err.message}`, config, { line: err.line, column: err.column });
    }
    if (err instanceof ScriptRuntimeError || err instanceof ScriptTimeoutError) throw validationError(`_rift.script: ${err.message}`, config);
    throw err;
  }
}

function scriptSource(config: Record<string, unknown>, allowInjection: boolean): string {
  const { code, file } = config;
  if ((code === undefined) === (file === undefined)) throw validationError("'_rift.script' needs exactly one of 'code' or 'file'", config);
  if (code !== undefined) {
    if (typeof code !== 'string') throw validationError("'_rift.script.code' must be a string", config);
    return code;
  }
  if (typeof file !== 'string') throw validationError("'_rift.script.file' must be a path", config);
  // Reading a path an admin-API client names would let it probe any file the process can read
  // (its syntax errors quote the contents): only where injection, which can read files anyway, is on.
  if (!allowInjection) throw new StandinError('invalid injection', SCRIPT_FILE_MESSAGE, config);
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw validationError(`'_rift.script.file' cannot be read: ${(err as Error).message}`, config);
  }
}
