// GET /, /config and /logs.
import type { Logger } from '../../logging/logger.js';
import type { StandinOptions } from '../../model/options.js';
import { RIFT_API_LEVEL, VERSION } from '../../model/version.js';
import { ok, type AdminReply, type AdminRequest } from '../adminHttp.js';
import type { WatchStatus } from '../../watch/watchImposters.js';
import type { ScaleView } from '../scaleView.js';

export function infoController(options: StandinOptions, logger: Logger, watchStatus: () => WatchStatus | undefined, scaleView?: ScaleView) {
  return {
    async home(req: AdminRequest): Promise<AdminReply> {
      const body: Record<string, unknown> = {
        _links: {
          imposters: { href: `${req.baseUrl}/imposters` },
          config: { href: `${req.baseUrl}/config` },
          logs: { href: `${req.baseUrl}/logs` },
        },
      };
      // Only under --watch, so mountebank's shape is unchanged otherwise.
      const watch = watchStatus();
      if (watch) body.watch = watch;
      // Only under --workers or --fleet, likewise.
      if (scaleView) Object.assign(body, await scaleView.home());
      return ok(body);
    },

    config(): AdminReply {
      const memory = process.memoryUsage();
      const printed: Record<string, unknown> = { ...options };
      if (!options.mock) delete printed.mock;
      // Not a mountebank option: what Rift's SDKs read to check they can talk to this server.
      printed.version = RIFT_API_LEVEL;
      return ok({
        version: VERSION,
        options: printed,
        process: {
          nodeVersion: process.version,
          architecture: process.arch,
          platform: process.platform,
          rss: memory.rss,
          heapTotal: memory.heapTotal,
          heapUsed: memory.heapUsed,
          uptime: process.uptime(),
          cwd: process.cwd(),
        },
      });
    },

    logs(req: AdminRequest): AdminReply {
      const start = Number.parseInt(req.query.get('startIndex') ?? '0', 10);
      const endText = req.query.get('endIndex');
      const end = endText === null ? undefined : Number.parseInt(endText, 10);
      return ok({ logs: logger.entries(Number.isNaN(start) ? 0 : start, end === undefined || Number.isNaN(end) ? undefined : end) });
    },
  };
}
