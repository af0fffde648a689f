// Rift's admin routes over an imposter's flows: scenario states (/imposters/:id/scenarios),
// spaces (/imposters/:id/spaces/:flowId) and flow-state keys (/admin/imposters/:id/flow-state).
// Shapes as Rift answers them, so Rift's SDKs read them unchanged.
import type { Imposter } from '../../core/imposter.js';
import type { ImposterRegistry } from '../../core/imposterRegistry.js';
import { StandinError, validationError } from '../../model/errors.js';
import { isJsonValue, isPlainObject } from '../../model/plainObject.js';
import { FlowStoreError } from '../../state/flowStore.js';
import { AdminReply, ok, routeParam, type AdminRequest } from '../adminHttp.js';
import { findImposter } from './findImposter.js';

export function riftStateController(registry: ImposterRegistry) {
  const find = (req: AdminRequest): Imposter => findImposter(registry, req);
  /** A flow named in the body or the query, else the imposter's own flow (its port). */
  const flowOf = (imposter: Imposter, named: unknown): string => {
    if (named === undefined || named === null) return String(imposter.port);
    if (typeof named !== 'string' || named === '') throw validationError(`'flowId' must be a non-empty string, got ${JSON.stringify(named)}`);
    return named;
  };
  const bodyField = (req: AdminRequest, field: string): unknown => (isPlainObject(req.body) ? req.body[field] : undefined);

  return {
    async scenarios(req: AdminRequest): Promise<AdminReply> {
      const imposter = find(req);
      const flowId = flowOf(imposter, req.query.get('flowId') ?? undefined);
      return ok({ flowId, scenarios: await stored(imposter.scenarios.list(flowId, imposter.scenarioNames())) });
    },

    async setScenarioState(req: AdminRequest): Promise<AdminReply> {
      const imposter = find(req);
      const state = bodyField(req, 'state');
      if (typeof state !== 'string' || state === '')
        throw validationError('missing required field: state (the state to put the scenario in, e.g. {"state": "paid"})');
      const flowId = flowOf(imposter, bodyField(req, 'flowId'));
      const name = routeParam(req, 'name');
      await stored(imposter.scenarios.set(flowId, name, state));
      return ok({ flowId, name, state });
    },

    async resetScenarios(req: AdminRequest): Promise<AdminReply> {
      const imposter = find(req);
      const flowId = flowOf(imposter, bodyField(req, 'flowId'));
      for (const name of imposter.scenarioNames()) await stored(imposter.scenarios.reset(flowId, name));
      return ok({ flowId, reset: true });
    },

    /** A stub scoped to the space: the stub itself as the body, or {"stub": ...} as for POST /imposters/:id/stubs. */
    async addSpaceStub(req: AdminRequest): Promise<AdminReply> {
      const imposter = find(req);
      const body = req.body;
      const stub = isPlainObject(body) && isPlainObject(body.stub) && body.responses === undefined ? body.stub : body;
      if (!isPlainObject(stub)) throw validationError('the body must be a stub, e.g. {"predicates": [...], "responses": [...]}');
      const space = routeParam(req, 'flowId');
      if (stub.space !== undefined && stub.space !== space) {
        throw validationError(`the stub's space ${JSON.stringify(stub.space)} differs from the space in the path ${JSON.stringify(space)}`);
      }
      imposter.addStub({ ...stub, space });
      await registry.changed(imposter);
      return new AdminReply(201, { space, stubs: imposter.spaceStubs(space).map((s) => s.config) });
    },

    spaceStubs(req: AdminRequest): AdminReply {
      const imposter = find(req);
      const space = routeParam(req, 'flowId');
      return ok({ space, stubs: imposter.spaceStubs(space).map((s) => s.config) });
    },

    async space(req: AdminRequest): Promise<AdminReply> {
      const imposter = find(req);
      const space = routeParam(req, 'flowId');
      return ok({
        space,
        stubs: imposter.spaceStubs(space).map((s) => s.config),
        scenarios: await stored(imposter.scenarios.list(space, imposter.scenarioNames())),
        numberOfRequests: imposter.recordedIn(space).length,
      });
    },

    async deleteSpace(req: AdminRequest): Promise<AdminReply> {
      const imposter = find(req);
      const space = routeParam(req, 'flowId');
      await stored(imposter.deleteSpace(space));
      await registry.changed(imposter);
      return ok({ space, tornDown: true });
    },

    async flowValue(req: AdminRequest): Promise<AdminReply> {
      const imposter = find(req);
      const flowId = routeParam(req, 'flowId');
      const key = routeParam(req, 'key');
      const value = await stored(imposter.flows.store.get(flowId, key));
      if (value === undefined)
        throw new StandinError('no such resource', `flow-state key not found: flow ${JSON.stringify(flowId)} has no key ${JSON.stringify(key)}`);
      return ok({ flowId, key, value });
    },

    async setFlowValue(req: AdminRequest): Promise<AdminReply> {
      const imposter = find(req);
      const flowId = routeParam(req, 'flowId');
      const key = routeParam(req, 'key');
      // The body is parsed JSON: its `value`, when present, is JSON too.
      const value = isPlainObject(req.body) ? req.body.value : undefined;
      if (!isJsonValue(value)) throw validationError('missing required field: value (the body is {"value": <any JSON>})');
      await stored(imposter.flows.store.set(flowId, key, value));
      return ok({ flowId, key, value });
    },

    /** Every key of the flow (its scenario states too); 200 also for a flow that has none, as in Rift. */
    async clearFlow(req: AdminRequest): Promise<AdminReply> {
      const imposter = find(req);
      const flowId = routeParam(req, 'flowId');
      await stored(imposter.flows.store.clear(flowId));
      return ok({ flowId, cleared: true });
    },

    async deleteFlowValue(req: AdminRequest): Promise<AdminReply> {
      const imposter = find(req);
      const flowId = routeParam(req, 'flowId');
      const key = routeParam(req, 'key');
      await stored(imposter.flows.store.delete(flowId, key));
      return ok({ flowId, key, deleted: true });
    },
  };
}

/** A flow store that cannot be reached answers 503, naming it. */
async function stored<T>(value: T | Promise<T>): Promise<T> {
  try {
    return await value;
  } catch (err) {
    if (err instanceof FlowStoreError) throw new StandinError('flow state unavailable', err.message);
    throw err;
  }
}
