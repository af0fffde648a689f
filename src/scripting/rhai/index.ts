// standin's Rhai interpreter: the language `_rift.script` uses, compiled once into closures.
// See docs/rhai.md for what is supported.
import { RhaiSyntaxError } from './errors.js';
import { parseScript } from './parser.js';
import { CompiledScript, type RhaiProgram } from './program.js';
import type { HostFunction } from './runtime.js';

export { RhaiRuntimeError, RhaiStallError, RhaiSyntaxError, RhaiTimeoutError } from './errors.js';
export type { RhaiCallOptions, RhaiProgram } from './program.js';

/** Parses and compiles a script once; throws RhaiSyntaxError naming the line and column. */
export function compileRhai(source: string, hostFunctions?: Readonly<Record<string, HostFunction>>): RhaiProgram {
  try {
    return new CompiledScript(parseScript(source), hostFunctions);
  } catch (err) {
    if (err instanceof RangeError && /call stack/i.test(err.message)) {
      throw new RhaiSyntaxError('the script nests too deeply to parse', { line: 1, column: 1 });
    }
    throw err;
  }
}
