// A handle on one running imposter: what a test asks of it, through the admin API.
import type { AdminClient } from '../admin/adminClient.js';
import { StandinError } from '../model/errors.js';
import type { JsonValue, Predicate, RecordedRequest, StubDefinition } from '../model/imposterDefinition.js';
import { verify, type ExpectedCount, type VerifyOptions, type VerifyResult } from './verification.js';

/** The imposter as `GET /imposters/:port` prints it. */
export interface ImposterState {
  protocol: string;
  port: number;
  name?: string;
  numberOfRequests: number;
  recordRequests: boolean;
  requests: RecordedRequest[];
  stubs: (StubDefinition & { _links?: unknown })[];
  [field: string]: JsonValue | undefined | RecordedRequest[] | StubDefinition[];
}

export interface ImposterHandle {
  readonly port: number;
  /** Where clients reach it: `http://127.0.0.1:4545`, `https://…`, `tcp://…`. */
  readonly url: string;
  /** The imposter as the admin API prints it: stubs, `numberOfRequests`, recorded requests. */
  get(): Promise<ImposterState>;
  /** The recorded requests, oldest first; the imposter must have `recordRequests: true` (or standin `mock: true`). */
  requests(): Promise<RecordedRequest[]>;
  /** Forgets the recorded requests and the request count. */
  clearRequests(): Promise<void>;
  /** Adds a stub at `index` (default: after the others). */
  addStub(stub: StubDefinition, index?: number): Promise<void>;
  /** Replaces every stub (cycle positions start again). */
  replaceStubs(stubs: StubDefinition[]): Promise<void>;
  /**
   * How many recorded requests satisfy `predicates` (all of them, as a stub's). With `times`, rejects
   * with a VerificationError naming the closest request and its failed clauses when the count is off.
   */
  verify(predicates: Predicate | Predicate[], times?: ExpectedCount, options?: VerifyOptions): Promise<VerifyResult>;
  /** Stops the imposter and frees its port. */
  delete(): Promise<void>;
}

export function imposterHandle(admin: AdminClient, port: number, url: string, mock: boolean): ImposterHandle {
  const path = `/imposters/${port}`;
  const get = (): Promise<ImposterState> => admin.json<ImposterState>('GET', path);
  const recordingOrThrow = (state: ImposterState): void => {
    if (!state.recordRequests && !mock) {
      throw new StandinError('bad data', `imposter ${port} does not record requests: create it with "recordRequests": true, or start standin with mock: true`);
    }
  };
  return {
    port,
    url,
    get,
    async requests() {
      const state = await get();
      recordingOrThrow(state);
      return state.requests;
    },
    async clearRequests() {
      await admin.json('DELETE', `${path}/savedRequests`);
    },
    async addStub(stub, index) {
      await admin.json('POST', `${path}/stubs`, index === undefined ? { stub } : { stub, index });
    },
    async replaceStubs(stubs) {
      await admin.json('PUT', `${path}/stubs`, { stubs });
    },
    verify(predicates, times, options = {}) {
      return verify(admin, port, predicates, times, options, async () => recordingOrThrow(await get()));
    },
    async delete() {
      await admin.json('DELETE', path);
    },
  };
}

/** The address clients use for `host:port`; a wildcard bind is reached on loopback. */
export function urlOf(protocol: string, host: string | undefined, port: number): string {
  const reachable = host === undefined || host === '0.0.0.0' || host === '::' || host === '' ? 'localhost' : host;
  return `${protocol}://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
