// The three errors a Rhai script can raise. Positions are 1-based, as editors show them.
import type { Value } from './values.js';

export interface Position {
  readonly line: number;
  readonly column: number;
}

function at(pos: Position | undefined): string {
  return pos ? ` (line ${pos.line}, column ${pos.column})` : '';
}

/** The source does not parse; raised by compileRhai, never at run time. */
export class RhaiSyntaxError extends Error {
  readonly line: number;
  readonly column: number;
  /** The message without the position suffix. */
  readonly reason: string;

  constructor(reason: string, pos: Position) {
    super(reason + at(pos));
    this.name = 'RhaiSyntaxError';
    this.reason = reason;
    this.line = pos.line;
    this.column = pos.column;
  }
}

/** A script failed while running: unknown function, wrong types, index out of range, `throw`. */
export class RhaiRuntimeError extends Error {
  readonly line?: number;
  readonly column?: number;
  readonly reason: string;
  /** The value of a script's `throw` (or the reason, for errors raised by the interpreter). */
  readonly thrown: Value;

  constructor(reason: string, pos?: Position, thrown?: Value) {
    super(reason + at(pos));
    this.name = 'RhaiRuntimeError';
    this.reason = reason;
    this.line = pos?.line;
    this.column = pos?.column;
    this.thrown = thrown === undefined ? reason : thrown;
  }
}

/** The run went past its deadline (an endless loop, a host call that never settles). */
export class RhaiTimeoutError extends RhaiRuntimeError {
  constructor(reason: string, pos?: Position) {
    super(reason, pos);
    this.name = 'RhaiTimeoutError';
  }
}

/** One synchronous stretch of the run went past the host's stall limit. */
export class RhaiStallError extends RhaiTimeoutError {
  /** The host's own error, when the host stopped the stretch (see RhaiCallOptions.stretch). */
  hostError?: Error;
}
