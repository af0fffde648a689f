// A `decorate` or `wait` behavior that is not JavaScript runs as Rhai, as in Rift: either Rift's
// script API (`transform(ctx)` / `delay(ctx)`, or the body alone using `ctx`), or, for decorate,
// Rift's older form, statements over `request` and `response` maps that change the response
// (`response.body = "x" + request.path;`).
import { ScriptRuntimeError, ScriptSyntaxError, type CtxScript, type ScriptLimits } from './engine.js';
import { compileRhai, RhaiSyntaxError, type RhaiProgram } from './rhai/index.js';
import { rhaiEngine } from './rhaiEngine.js';
import { RESULT_CONSTRUCTORS } from './results.js';

export type RhaiHook =
  | { kind: 'ctx'; script: CtxScript }
  /** Rift's decorate over `request` and `response`: answers the response map it left. */
  | { kind: 'maps'; run(request: Record<string, unknown>, response: Record<string, unknown>, deadline: number): unknown | Promise<unknown> };

const MAPS_ENTRY = 'standin_decorate';
const USES_CTX = /\bctx\b/;
const RHAI_FN = /(^|[\s;}])fn\s+[A-Za-z_]\w*\s*\(/;

/** The hook, or undefined when the source is not Rhai for this placement either. */
export function compileRhaiHook(source: string, limits: ScriptLimits, placement: 'transform' | 'delay'): RhaiHook | undefined {
  let program: RhaiProgram;
  try {
    program = compileRhai(source, RESULT_CONSTRUCTORS);
  } catch (err) {
    if (!(err instanceof RhaiSyntaxError)) throw err;
    // `fn name(` is Rhai's (JavaScript says `function`): meant as Rhai, so its syntax error is the one to report.
    if (RHAI_FN.test(source)) throw new ScriptSyntaxError(`rhai syntax error at line ${err.line}, column ${err.column}: ${err.reason}`, err.line, err.column);
    return undefined;
  }
  const declared = program.functionNames();
  if (program.hasFunction(placement) || (declared.length === 0 && USES_CTX.test(source))) {
    return { kind: 'ctx', script: rhaiEngine.compileCtx(source, limits, placement) };
  }
  if (placement !== 'transform' || declared.length > 0) return undefined;
  let maps: RhaiProgram;
  try {
    maps = compileRhai(`fn ${MAPS_ENTRY}(request, response) { ${source}\n;\nresponse }`);
  } catch (err) {
    if (err instanceof RhaiSyntaxError) throw new ScriptSyntaxError(`rhai syntax error at line ${err.line}: ${err.reason}`, err.line, err.column);
    throw err;
  }
  return {
    kind: 'maps',
    run(request, response, deadline) {
      try {
        return maps.call(MAPS_ENTRY, [request, response], { deadline });
      } catch (err) {
        throw new ScriptRuntimeError(err instanceof Error ? err.message : String(err));
      }
    },
  };
}
