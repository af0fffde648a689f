// Where Imposter-config responses write Imposter's log lines (`handled request - ...`, the
// passthrough lines). By default the imposter's own log; `standin imposter` gives its instance
// the unscoped logger so the lines read exactly as Imposter prints them.
import type { InstanceResources, ResolveScope } from '../contracts/index.js';
import type { Log } from '../logging/logger.js';

/** The log for a response resolved in `scope`: the imposter's, unless the instance has Imposter's own. */
export function imposterLogFor(instance: InstanceResources, scope: ResolveScope): Log {
  return instance.imposterLog ?? scope.log;
}

export function logHandled(log: Log | undefined, method: string, path: string, statusCode: number, length: number): void {
  if (log?.isInfoEnabled()) log.info(`handled request - method:${method}, path:${path}, status:${statusCode}, length:${length}`);
}
