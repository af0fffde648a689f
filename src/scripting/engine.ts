// One interface for the script engines of `_rift.script` (javascript, lua, rhai): compile once
// when the imposter is created, then call `should_inject(request, flow_store)` per request.
import type { FlowStore } from '../state/flowStore.js';

/** What a script sees as `request`: plain data, built once per request. */
export interface ScriptRequest {
  method: string;
  path: string;
  /** Names lower-cased. */
  headers: Record<string, string>;
  query: Record<string, string | string[]>;
  pathParams: Record<string, string>;
  /** The parsed JSON body, or null when the body is not JSON (unit in Rhai, nil in Lua). */
  body: unknown;
}

export interface ScriptCall {
  request: ScriptRequest;
  store: FlowStore;
  /** Date.now() value after which the run is stopped with ScriptTimeoutError. */
  deadline: number;
}

export interface CompiledScript {
  /** The function's return value as plain JavaScript (maps as objects, unit/nil as undefined). */
  run(call: ScriptCall): unknown | Promise<unknown>;
}

export interface ScriptEngine {
  readonly name: string;
  /** Throws ScriptSyntaxError; `timeoutMs` bounds any top-level code run while compiling. */
  compile(source: string, timeoutMs: number): CompiledScript;
}

/** The function every script defines. */
export const ENTRY_POINT = 'should_inject';

export class ScriptSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'ScriptSyntaxError';
  }
}

/** The script threw, or returned something standin cannot read. */
export class ScriptRuntimeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScriptRuntimeError';
  }
}

export class ScriptTimeoutError extends Error {
  constructor(timeoutMs: number | undefined) {
    super(timeoutMs === undefined ? 'script timed out' : `script timed out after ${timeoutMs} ms`);
    this.name = 'ScriptTimeoutError';
  }
}
