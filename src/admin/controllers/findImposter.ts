// The imposter a /imposters/:id route names, or mountebank's 404.
import type { Imposter } from '../../core/imposter.js';
import type { ImposterRegistry } from '../../core/imposterRegistry.js';
import { StandinError } from '../../model/errors.js';
import type { AdminRequest } from '../adminHttp.js';

export function findImposter(registry: ImposterRegistry, req: AdminRequest): Imposter {
  const imposter = registry.get(Number(req.params.id));
  if (!imposter || !/^\d+$/.test(req.params.id ?? '')) {
    throw new StandinError('no such resource', 'Try POSTing to /imposters first?');
  }
  return imposter;
}
