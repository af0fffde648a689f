// GET /metrics: Prometheus text, mountebank's metric names.
import type { ImposterRegistry } from '../../core/imposterRegistry.js';
import { Exposition, EXPOSITION_CONTENT_TYPE } from '../../metrics/exposition.js';
import { writeImposterFamilies } from '../../metrics/imposterFamilies.js';
import type { ProcessMetrics } from '../../metrics/processMetrics.js';
import { ok, TextBody, type AdminReply } from '../adminHttp.js';
import type { ScaleView } from '../scaleView.js';

export function metricsController(registry: ImposterRegistry, processMetrics: ProcessMetrics, scaleView?: ScaleView) {
  return {
    async get(): Promise<AdminReply> {
      const out = new Exposition();
      await processMetrics.write(out);
      if (registry.hasCreatedImposters) writeImposterFamilies(out, registry.list());
      await scaleView?.metrics(out);
      return ok(new TextBody(out.text(), EXPOSITION_CONTENT_TYPE));
    },
  };
}
