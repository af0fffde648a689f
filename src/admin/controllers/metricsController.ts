// GET /metrics: Prometheus text, mountebank's metric names. GET /metrics/history: the last minutes
// of traffic second by second (the dashboard's charts), as JSON.
import type { ImposterRegistry } from '../../core/imposterRegistry.js';
import { Exposition, EXPOSITION_CONTENT_TYPE } from '../../metrics/exposition.js';
import { writeImposterFamilies } from '../../metrics/imposterFamilies.js';
import type { ProcessMetrics } from '../../metrics/processMetrics.js';
import type { TrafficHistory } from '../../metrics/trafficHistory.js';
import { validationError } from '../../model/errors.js';
import { ok, TextBody, type AdminReply, type AdminRequest } from '../adminHttp.js';
import type { ScaleView } from '../scaleView.js';

export function metricsController(registry: ImposterRegistry, processMetrics: ProcessMetrics, scaleView?: ScaleView, traffic?: TrafficHistory) {
  return {
    history(req: AdminRequest): AdminReply {
      const sinceText = req.query.get('since');
      if (sinceText !== null && !/^\d+$/.test(sinceText))
        throw validationError(`invalid since: ${sinceText} (expected milliseconds since the epoch, the t of a second already read)`);
      const since = sinceText === null ? undefined : Number(sinceText);
      return ok({ intervalSeconds: 1, keptSeconds: traffic?.capacity ?? 0, seconds: traffic?.seconds(since) ?? [] });
    },

    async get(): Promise<AdminReply> {
      const out = new Exposition();
      await processMetrics.write(out);
      if (registry.hasCreatedImposters) writeImposterFamilies(out, registry.list());
      await scaleView?.metrics(out);
      return ok(new TextBody(out.text(), EXPOSITION_CONTENT_TYPE));
    },
  };
}
