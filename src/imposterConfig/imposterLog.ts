// Where Imposter-config responses write Imposter's log lines (`handled request - ...`, the
// passthrough lines). By default the imposter's own log; `standin imposter` points it at its
// unscoped logger so the lines read exactly as Imposter prints them.
import type { ResolveScope } from '../contracts/index.js';
import type { Log } from '../logging/logger.js';

let override: Log | undefined;

export function useImposterLog(log: Log | undefined): void {
  override = log;
}

/** The log for a response resolved in `scope`: the imposter's, unless `standin imposter` set its own. */
export function imposterLogFor(scope: ResolveScope): Log {
  return override ?? scope.log;
}

export function logHandled(log: Log | undefined, method: string, path: string, statusCode: number, length: number): void {
  if (log?.isInfoEnabled()) log.info(`handled request - method:${method}, path:${path}, status:${statusCode}, length:${length}`);
}
