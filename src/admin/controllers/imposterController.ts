// /imposters/:id and its stubs, requests and saved proxy responses.
import type { Imposter } from '../../core/imposter.js';
import type { ImposterRegistry } from '../../core/imposterRegistry.js';
import { printImposter } from '../../core/imposterPrinter.js';
import { StandinError, validationError } from '../../model/errors.js';
import type { ProtocolRequest } from '../../model/request.js';
import { isPlainObject } from '../../model/plainObject.js';
import { flag, ok, type AdminReply, type AdminRequest } from '../adminHttp.js';
import { flowIdOf } from '../../core/flowId.js';
import { parseMatchClauses } from '../requestFilter.js';
import { findImposter } from './findImposter.js';

const STUB_INDEX_MESSAGE = "'stubIndex' must be a valid integer, representing the array index position of the stub to replace";

export function imposterController(registry: ImposterRegistry) {
  const find = (req: AdminRequest): Imposter => findImposter(registry, req);
  const full = (req: AdminRequest, imposter: Imposter): AdminReply => ok(printImposter(imposter, { baseUrl: req.baseUrl }));
  const stubIndex = (req: AdminRequest, imposter: Imposter): number => {
    const text = req.params.stubIndex ?? '';
    const index = Number(text);
    if (!/^\d+$/.test(text) || index >= imposter.stubs.length) {
      // mountebank answers 404 here, with code 'bad data'.
      throw validationError(STUB_INDEX_MESSAGE).withStatus(404);
    }
    return index;
  };

  const stubById = (req: AdminRequest, imposter: Imposter): number => {
    const id = req.params.stubId ?? '';
    const index = imposter.stubIndexOf(id);
    if (index === -1) {
      throw new StandinError('no such resource', `no stub has the id ${JSON.stringify(id)}; give a stub an "id" to address it by id`);
    }
    return index;
  };

  return {
    /** Rift's stub-by-id routes: the stub wherever it is now, so concurrent edits cannot shift it. */
    getStubById(req: AdminRequest): AdminReply {
      const imposter = find(req);
      return ok(imposter.stubs[stubById(req, imposter)]!.config);
    },

    async replaceStubById(req: AdminRequest): Promise<AdminReply> {
      const imposter = find(req);
      const index = stubById(req, imposter);
      const body = req.body;
      if (isPlainObject(body) && body.id !== undefined && body.id !== req.params.stubId) {
        throw validationError(`the stub's id ${JSON.stringify(body.id)} differs from the id in the path ${JSON.stringify(req.params.stubId)}`);
      }
      imposter.replaceStub(index, body);
      await registry.changed(imposter);
      return full(req, imposter);
    },

    async deleteStubById(req: AdminRequest): Promise<AdminReply> {
      const imposter = find(req);
      imposter.deleteStub(stubById(req, imposter));
      await registry.changed(imposter);
      return full(req, imposter);
    },

    get(req: AdminRequest): AdminReply {
      const imposter = find(req);
      const replayable = flag(req.query, 'replayable');
      const removeProxies = flag(req.query, 'removeProxies');
      const printed = printImposter(imposter, { baseUrl: req.baseUrl, replayable, removeProxies });
      if (flag(req.query, 'warnings')) printed.warnings = imposter.fieldWarnings();
      return ok(printed);
    },

    async delete(req: AdminRequest): Promise<AdminReply> {
      const imposter = await registry.delete(Number(req.params.id));
      if (!imposter) return ok({});
      const replayable = flag(req.query, 'replayable');
      const removeProxies = flag(req.query, 'removeProxies');
      return ok(printImposter(imposter, { baseUrl: req.baseUrl, replayable, removeProxies }));
    },

    async addStub(req: AdminRequest): Promise<AdminReply> {
      const imposter = find(req);
      const body = req.body;
      if (!isPlainObject(body) || body.stub === undefined) throw validationError("must contain 'stub' field");
      let index = imposter.stubs.length;
      if (body.index !== undefined) {
        if (typeof body.index !== 'number' || !Number.isInteger(body.index) || body.index < 0 || body.index > imposter.stubs.length) {
          throw validationError("'index' must be between 0 and the length of the stubs array");
        }
        index = body.index;
      }
      imposter.addStub(body.stub, index);
      await registry.changed(imposter);
      return full(req, imposter);
    },

    async replaceStubs(req: AdminRequest): Promise<AdminReply> {
      const imposter = find(req);
      const body = req.body;
      if (!isPlainObject(body) || body.stubs === undefined) throw validationError("'stubs' is a required field");
      if (!Array.isArray(body.stubs)) throw validationError("'stubs' must be an array");
      imposter.replaceStubs(body.stubs);
      await registry.changed(imposter);
      return full(req, imposter);
    },

    async replaceStub(req: AdminRequest): Promise<AdminReply> {
      const imposter = find(req);
      imposter.replaceStub(stubIndex(req, imposter), req.body);
      await registry.changed(imposter);
      return full(req, imposter);
    },

    async deleteStub(req: AdminRequest): Promise<AdminReply> {
      const imposter = find(req);
      imposter.deleteStub(stubIndex(req, imposter));
      await registry.changed(imposter);
      return full(req, imposter);
    },

    /** A custom protocol's process asks for the response to a request it received (mb's contract). */
    async postRequest(req: AdminRequest): Promise<AdminReply> {
      const imposter = find(req);
      const body = req.body;
      if (!isPlainObject(body) || !isPlainObject(body.request)) throw validationError("must contain a 'request' object");
      const request: ProtocolRequest = body.request;
      if (typeof request.ip === 'string' && !registry.allowsAddress(request.ip)) {
        imposter.metrics.blocked++;
        return ok({ blocked: true, code: 'unauthorized ip address' });
      }
      const outcome = await imposter.handle(request);
      if (outcome.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, outcome.delayMs));
      return ok({ response: imposter.protocol.describeReply(outcome.reply) });
    },

    async deleteSavedRequests(req: AdminRequest): Promise<AdminReply> {
      const imposter = find(req);
      // Rift's scoped clear: only the requests the match= clauses pick; numberOfRequests stays.
      const match = parseMatchClauses(req.query);
      if (match !== null) {
        imposter.journal?.remove((record) => match(record.request, flowIdOf(imposter.config, imposter.port, record.request)));
        return full(req, imposter);
      }
      await registry.clearRequests(imposter);
      return full(req, imposter);
    },

    /** Rift's enable and disable: a disabled imposter answers 503 to every request and keeps its stubs and journal. */
    async enable(req: AdminRequest): Promise<AdminReply> {
      const imposter = find(req);
      imposter.enable();
      await registry.changed(imposter);
      return full(req, imposter);
    },

    async disable(req: AdminRequest): Promise<AdminReply> {
      const imposter = find(req);
      imposter.disable();
      await registry.changed(imposter);
      return full(req, imposter);
    },

    async deleteSavedProxyResponses(req: AdminRequest): Promise<AdminReply> {
      const imposter = find(req);
      imposter.removeSavedProxyResponses();
      await registry.changed(imposter);
      return full(req, imposter);
    },
  };
}
