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
  /**
   * A script of Rift's `ctx` API: it defines the function its placement calls (`respond(ctx)`
   * as a response...), or is that function's body alone (the bare form, `ctx` in scope).
   */
  compileCtx(source: string, timeoutMs: number, placement: Placement): CtxScript;
}

/** Where a `ctx` script sits decides the function it defines and what it returns. */
export type Placement = 'respond' | 'matches' | 'transform' | 'delay';

export interface CtxCall {
  /**
   * Builds this run's `ctx`. `watch` is told of each flow-state Promise (Redis) the script is
   * given, so an engine that must resume the script itself when one settles (JavaScript) can.
   */
  ctx(watch?: (pending: Promise<unknown>) => void): Record<string, unknown>;
  /** Date.now() value after which the run is stopped with ScriptTimeoutError. */
  deadline: number;
}

export interface CtxScript {
  /** What the function returned, as plain JavaScript (a result constructor's value as is). */
  run(call: CtxCall): unknown | Promise<unknown>;
}

/** The error for a script that defines functions, none of them the one its placement calls. */
export function missingEntry(engine: string, placement: Placement, declared: readonly string[]): ScriptRuntimeError {
  return new ScriptRuntimeError(
    `the ${engine} script defines ${declared.join(', ')} but no ${placement}(ctx), the function this placement calls: ` +
      `rename it ${placement}, or leave out the function and write its body alone` +
      (placement === 'respond' ? ' (or define should_inject(request, flow_store), the older contract)' : ''),
  );
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
