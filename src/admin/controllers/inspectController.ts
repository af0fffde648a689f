// Seeing inside an imposter: the dry run (POST /imposters/:id/test).
import type { ImposterRegistry } from '../../core/imposterRegistry.js';
import { closestOf } from '../../core/stubReports.js';
import { ok, type AdminReply, type AdminRequest } from '../adminHttp.js';
import { findImposter } from './findImposter.js';
import { requestToTest } from './testRequest.js';

export function inspectController(registry: ImposterRegistry) {
  return {
    /** Which stub would answer the request and why each did or did not match; nothing moves. */
    test(req: AdminRequest): AdminReply {
      const imposter = findImposter(registry, req);
      const request = requestToTest(imposter, req.body);
      const { answering, reports } = imposter.test(request);
      const out: Record<string, unknown> = { request, matched: answering !== -1, stubIndex: answering === -1 ? null : answering };
      if (answering !== -1) {
        const stub = imposter.stubs[answering]!;
        if (stub.id !== undefined) out.stubId = stub.id;
        out.response = stub.peekResponse().config;
      } else {
        const nearMiss = closestOf(reports);
        if (nearMiss !== undefined) out.nearMiss = nearMiss;
      }
      out.stubs = reports;
      return ok(out);
    },
  };
}
