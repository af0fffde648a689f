// Compiles a response's `_rift.script` once, at imposter creation: `{engine, code | file | ref}`.
// A script that defines `should_inject(request, flow_store)` keeps that contract; any other is a
// script of Rift's `ctx` API (`respond(ctx)`, or its body alone). A syntax error is a 400 naming
// its line and column.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { errorMessage } from '../model/caughtError.js';
import { StandinError, validationError } from '../model/errors.js';
import { didYouMeanSuffix } from '../model/didYouMean.js';
import { isPlainObject } from '../model/plainObject.js';
import { INJECTION_MESSAGE } from '../injection/index.js';
import {
  ScriptRuntimeError,
  ScriptSyntaxError,
  ScriptTimeoutError,
  type CompiledScript,
  type CtxScript,
  type Placement,
  type ScriptLimits,
} from '../scripting/engine.js';
import { INJECTION_ENGINES, scriptEngines } from '../scripting/engines.js';

export type RiftScript =
  | { readonly engine: string; readonly kind: 'should_inject'; readonly compiled: CompiledScript }
  | { readonly engine: string; readonly kind: 'ctx'; readonly compiled: CtxScript };

export interface ScriptSettings {
  limits: ScriptLimits;
  allowInjection: boolean;
  /** `_rift.scriptEngine.defaultEngine`: the engine of a script that names none. */
  defaultEngine: string;
  /** `_rift.scripts`: named scripts a `ref` points at. */
  registry: Readonly<Record<string, unknown>>;
  /** --scriptsDir: relative files are read there (and may not leave it); a `ref` not in the registry is a file there. */
  scriptsDir?: string;
  /** The folder of the --configfile the script was read from: its files are read there instead (and may not leave it). */
  configDir?: string;
}

const SCRIPT_FILE_MESSAGE =
  "'_rift.script.file' reads a file from standin's disk, so it needs standin started with --allowInjection (or --scriptsDir, which keeps script files in one directory); or give the script inline as 'code'";

const V1_ENTRY = /\bshould_inject\b/;
const BY_EXTENSION: Readonly<Record<string, string>> = { '.rhai': 'rhai', '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript', '.lua': 'lua' };

export function compileScript(config: unknown, settings: ScriptSettings, placement: Placement = 'respond', field = '_rift.script'): RiftScript {
  if (!isPlainObject(config)) throw validationError(`'${field}' must be an object`, config);
  const resolved = resolveRef(config, settings, field);
  const source = scriptSource(resolved, field, settings);
  const engineName = resolved.engine ?? config.engine ?? engineOfFile(resolved.file) ?? settings.defaultEngine;
  const engine = typeof engineName === 'string' ? scriptEngines.get(engineName) : undefined;
  if (!engine) {
    const known = [...scriptEngines.keys()];
    throw validationError(
      `'${field}.engine' must be one of ${known.join(', ')}, got ${JSON.stringify(engineName)}${didYouMeanSuffix(String(engineName), known)}`,
      config,
    );
  }
  if (INJECTION_ENGINES.has(engine.name) && !settings.allowInjection) throw new StandinError('invalid injection', INJECTION_MESSAGE, config);
  try {
    if (placement === 'respond' && V1_ENTRY.test(source)) {
      return { engine: engine.name, kind: 'should_inject', compiled: engine.compile(source, settings.limits) };
    }
    return { engine: engine.name, kind: 'ctx', compiled: engine.compileCtx(source, settings.limits, placement) };
  } catch (err) {
    if (err instanceof ScriptSyntaxError) {
      throw new StandinError('bad data', `${field}: ${err.message}`, config, { line: err.line, column: err.column });
    }
    if (err instanceof ScriptRuntimeError || err instanceof ScriptTimeoutError) throw validationError(`${field}: ${err.message}`, config);
    throw err;
  }
}

/** A `ref` is replaced by the registry's entry (which may not itself be a `ref`). */
function resolveRef(config: Record<string, unknown>, settings: ScriptSettings, field: string): Record<string, unknown> {
  if (config.ref === undefined) return config;
  if (config.code !== undefined || config.file !== undefined) throw validationError(`'${field}' needs exactly one of 'code', 'file' or 'ref'`, config);
  const names = Object.keys(settings.registry);
  const inDir = typeof config.ref === 'string' && !Object.hasOwn(settings.registry, config.ref) ? refFile(config.ref, settings.scriptsDir) : undefined;
  if (inDir !== undefined) return { file: inDir, [REF_FILE]: true };
  if (typeof config.ref !== 'string' || !Object.hasOwn(settings.registry, config.ref)) {
    const where = settings.scriptsDir === undefined ? '' : ` and no ${JSON.stringify(config.ref)}.rhai, .js or .lua in --scriptsDir`;
    const known = (names.length === 0 ? 'the imposter has no _rift.scripts' : `the imposter's _rift.scripts are ${names.join(', ')}`) + where;
    throw validationError(`'${field}.ref' names no script: ${JSON.stringify(config.ref)} (${known})${didYouMeanSuffix(String(config.ref), names)}`, config);
  }
  const entry = settings.registry[config.ref];
  if (!isPlainObject(entry)) throw validationError(`'_rift.scripts.${config.ref}' must be an object with 'code' or 'file'`, config);
  if (entry.ref !== undefined) throw validationError(`'_rift.scripts.${config.ref}' may not itself be a 'ref'`, config);
  return entry;
}

function engineOfFile(file: unknown): string | undefined {
  return typeof file === 'string' ? BY_EXTENSION[extname(file).toLowerCase()] : undefined;
}

/** A `ref` that names a file in --scriptsDir (found there by its name, so already inside it). */
const REF_FILE = Symbol('refFile');

/** `DIR/NAME.rhai` (or .js, .lua) when --scriptsDir holds one. */
function refFile(name: string, dir: string | undefined): string | undefined {
  if (dir === undefined || !/^[\w.-]+$/.test(name) || name.startsWith('.')) return undefined;
  for (const extension of Object.keys(BY_EXTENSION)) {
    if (existsSync(join(dir, name + extension))) return name + extension;
  }
  return undefined;
}

/**
 * The real path of `file` inside `root` (relative paths from there), refused when it leads outside
 * it: `..`, an absolute path elsewhere, or a symbolic link pointing out all are.
 */
function fileInside(root: string, what: string, file: string, config: unknown, field: string): string {
  const outside = (inRoot: string, link = ''): never => {
    throw validationError(`'${field}.file' must stay inside ${what} (${inRoot}), got ${JSON.stringify(file)}${link}; keep the script in that folder`, config);
  };
  const path = resolve(root, file);
  if (!isInside(resolve(root), path)) outside(resolve(root));
  let realRoot: string;
  let real: string;
  try {
    realRoot = realpathSync(root);
    real = realpathSync(path);
  } catch (err) {
    throw validationError(`'${field}.file' cannot be read: ${errorMessage(err)}`, config);
  }
  if (!isInside(realRoot, real)) outside(realRoot, ` (it leads to ${real})`);
  return real;
}

function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

function scriptSource(config: Record<string, unknown>, field: string, settings: ScriptSettings): string {
  const { scriptsDir, configDir } = settings;
  const { code, file } = config;
  if (REF_FILE in config && typeof file === 'string' && scriptsDir !== undefined) return readScript(join(scriptsDir, file), config, field);
  if ((code === undefined) === (file === undefined)) throw validationError(`'${field}' needs exactly one of 'code', 'file' or 'ref'`, config);
  if (code !== undefined) {
    if (typeof code !== 'string') throw validationError(`'${field}.code' must be a string`, config);
    return code;
  }
  if (typeof file !== 'string') throw validationError(`'${field}.file' must be a path`, config);
  // A config file's scripts sit next to it: the operator chose that file, and its folder bounds what it reads.
  if (configDir !== undefined) return readScript(fileInside(configDir, "the config file's folder", file, config, field), config, field);
  if (scriptsDir !== undefined) return readScript(fileInside(scriptsDir, '--scriptsDir', file, config, field), config, field);
  // Reading a path an admin-API client names would let it probe any file the process can read
  // (its syntax errors quote the contents): only where injection, which can read files anyway, is
  // on, or inside the directory --scriptsDir set aside for scripts.
  if (!settings.allowInjection) throw new StandinError('invalid injection', SCRIPT_FILE_MESSAGE, config);
  return readScript(file, config, field);
}

function readScript(path: string, config: unknown, field: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw validationError(`'${field}.file' cannot be read: ${errorMessage(err)}`, config);
  }
}
