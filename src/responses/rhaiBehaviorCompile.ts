// Compiling a behavior's Rhai (see rhaiBehavior.ts): a syntax error in what is clearly meant as
// Rhai (it defines transform/delay or uses ctx) is a 400 naming where it is.
import type { FlowScripts } from '../contracts/index.js';
import { StandinError } from '../model/errors.js';
import { ScriptSyntaxError } from '../scripting/engine.js';
import { compileRhaiHook, type RhaiHook } from '../scripting/rhaiHooks.js';

export function compileRhaiBehavior(
  source: string,
  flows: FlowScripts | undefined,
  placement: 'transform' | 'delay',
  config: unknown,
  stallMs: number,
): RhaiHook | undefined {
  try {
    return compileRhaiHook(source, { timeoutMs: flows?.scriptTimeoutMs ?? 5_000, stallMs }, placement);
  } catch (err) {
    if (err instanceof ScriptSyntaxError)
      throw new StandinError('bad data', `${placement === 'transform' ? 'decorate' : 'wait'} (rhai): ${err.message}`, config, {
        line: err.line,
        column: err.column,
      });
    throw err;
  }
}
