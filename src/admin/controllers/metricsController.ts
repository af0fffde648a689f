// GET /metrics: Prometheus text, mountebank's metric names.
import type { ImposterRegistry } from '../../core/imposterRegistry.js';
import { Exposition, EXPOSITION_CONTENT_TYPE } from '../../metrics/exposition.js';
import { writeImposterFamilies } from '../../metrics/imposterFamilies.js';
import type { ProcessMetrics } from '../../metrics/processMetrics.js';
import { ok, TextBody, type AdminReply } from '../adminHttp.js';
import type { WorkerStatus } from './workerStatus.js';

/** --workers: how many serve, and what each answered (standin's own families). */
function writeWorkerFamilies(out: Exposition, workers: readonly WorkerStatus[]): void {
  out.family('standin_workers_serving', 'gauge', 'Worker processes serving imposters (--workers)', [[undefined, workers.filter((w) => w.serving).length]]);
  out.family('standin_worker_requests_total', 'counter', 'Requests answered by each worker process, all imposters', workers.map((w) => [{ worker: String(w.worker) }, w.requests] as const));
  out.family('standin_worker_restarts_total', 'counter', 'Times a worker process was replaced after it exited', workers.map((w) => [{ worker: String(w.worker) }, w.restarts] as const));
}

export function metricsController(
  registry: ImposterRegistry,
  processMetrics: ProcessMetrics,
  workerStatus: () => readonly WorkerStatus[] | undefined = () => undefined,
) {
  return {
    async get(): Promise<AdminReply> {
      const out = new Exposition();
      await processMetrics.write(out);
      if (registry.hasCreatedImposters) writeImposterFamilies(out, registry.list());
      const workers = workerStatus();
      if (workers) writeWorkerFamilies(out, workers);
      return ok(new TextBody(out.text(), EXPOSITION_CONTENT_TYPE));
    },
  };
}
