// /imposters: the collection.
import type { ImposterRegistry } from '../../core/imposterRegistry.js';
import { printImposter, printListEntry } from '../../core/imposterPrinter.js';
import { validationError } from '../../model/errors.js';
import { isPlainObject } from '../../model/plainObject.js';
import { AdminReply, flag, ok, type AdminRequest } from '../adminHttp.js';

export function impostersController(registry: ImposterRegistry) {
  return {
    async create(req: AdminRequest): Promise<AdminReply> {
      const imposter = await registry.create(req.body);
      const location = `${req.baseUrl}/imposters/${imposter.port}`;
      return new AdminReply(201, printImposter(imposter, { baseUrl: req.baseUrl }), { Location: location });
    },

    list(req: AdminRequest): AdminReply {
      const replayable = flag(req.query, 'replayable');
      const removeProxies = flag(req.query, 'removeProxies');
      const imposters = registry
        .list()
        .map((imposter) =>
          replayable || removeProxies ? printImposter(imposter, { baseUrl: req.baseUrl, replayable, removeProxies }) : printListEntry(imposter, req.baseUrl),
        );
      return ok({ imposters });
    },

    async replaceAll(req: AdminRequest): Promise<AdminReply> {
      const body = req.body;
      if (!isPlainObject(body) || body.imposters === undefined) throw validationError("'imposters' is a required field");
      if (!Array.isArray(body.imposters)) throw validationError("'imposters' must be an array");
      const imposters = await registry.replaceAll(body.imposters);
      return ok({ imposters: imposters.map((imposter) => printListEntry(imposter, req.baseUrl)) });
    },

    async deleteAll(req: AdminRequest): Promise<AdminReply> {
      // DELETE /imposters is replayable unless told otherwise.
      const replayable = (req.query.get('replayable') ?? '').toLowerCase() !== 'false';
      const removeProxies = flag(req.query, 'removeProxies');
      const deleted = await registry.deleteAll();
      return ok({ imposters: deleted.map((imposter) => printImposter(imposter, { baseUrl: req.baseUrl, replayable, removeProxies })) });
    },
  };
}
