// An imposter at run time: its stubs, its counters and journal, and the protocol server that
// feeds it requests. Stub edits compile the new stubs before touching the running ones.
//
// Pipeline of one request (everything it reads was compiled when the stub was created):
//   1. The protocol server (src/protocols/) turns wire bytes into a request object and calls
//      handle(); the http adapter keeps the raw bytes aside for a proxy (RAW_HTTP).
//   2. handle() counts it (metrics, numberOfRequests) and, with recordRequests or --mock, adds a
//      timestamped copy to the journal.
//   3. The stub index narrows the stubs to those that can match; they are tried in order, each
//      stub's predicates being one compiled closure over a MatchRequest (lazy views of the request).
//   4. The first stub that matches gives its next response (round-robin with `repeat`); no stub
//      matching answers the precompiled default response, and only then (in a microtask, after
//      the answer is written) are the stubs explained to find the closest one, for the info line
//      and the journal. A recorded request goes to the event log once someone has subscribed.
//   5. The response resolves in the stub's scope: a static `is` is a prebuilt reply; templates,
//      behaviors, inject, proxy and the extensions' wrappers (`_rift`) run here, sync when they can.
//      A proxy saves what the origin said through the scope (recordProxyResponse).
//   6. With --debug, the match is recorded on the stub.
//   7. The protocol server waits `delayMs` (the `wait` behavior), applies a `fault` or writes the
//      reply; a thrown error becomes a 500 with mountebank's error envelope.
import type {
  CompiledResponse,
  FlowAccess,
  GeneratedPredicates,
  InstanceResources,
  ListenOptions,
  Outcome,
  ProtocolAdapter,
  ProtocolServer,
  ProxyRecorder,
  RequestHandler,
  ResolveScope,
  ResponseShape,
} from '../contracts/index.js';
import { MatchRequest, type CompileOptions } from '../matching/index.js';
import { StubIndex } from '../matching/stubIndex.js';
import { isoNow } from '../logging/isoNow.js';
import type { Log } from '../logging/logger.js';
import { cloneJson } from '../model/cloneJson.js';
import { compileEach, ERROR_CATALOG, StandinError, ValidationFailure, validationError } from '../model/errors.js';
import { imposterFieldWarnings, stubFieldWarnings, type FieldWarning } from '../model/fieldWarnings.js';
import type { EchoedResponse } from '../model/echoedDefinition.js';
import type { ProtocolRequest } from '../model/request.js';
import { freshStallBudget } from '../model/stallClock.js';
import { isPlainObject } from '../model/plainObject.js';
import { ImposterMetrics } from '../metrics/imposterMetrics.js';
import type { EventLog } from '../events/eventLog.js';
import { DEFAULT_TTL_SECONDS } from '../state/compileFlowState.js';
import { FlowStoreError, type MaybePromise } from '../state/flowStore.js';
import { AnsweringError, FlowReads } from '../model/flowReads.js';
import { MemoryFlowStore } from '../state/memoryFlowStore.js';
import { ScenarioBook, type StubScenario } from './scenarios.js';
import { riftDebugAnswer, type RiftDebugAnswer } from './riftDebug.js';
import { explainMissLater, type RecordedRequest } from './recordedRequest.js';
import { RequestEvent } from './requestEvent.js';
import { RequestJournal } from './requestJournal.js';
import { closestStub, describeNearMiss, testStubs, type StubReport, type TestResult } from './stubReports.js';
import { compileStub, type CompileOrigin, type MatchRecord, type Stub, type StubContext, type StubHost } from './stub.js';

export interface ImposterSettings {
  /** --debug: stubs record their matches. */
  debug: boolean;
  /** --mock: every imposter records requests. */
  mock: boolean;
  journalCap: number;
  allowInjection: boolean;
  /** --proxyTimeout, in milliseconds. */
  proxyTimeout: number;
  /** --scriptsDir: where `_rift` script files and refs are found. */
  scriptsDir?: string;
  /** --injectionTimeout: how long one injected function may run, in milliseconds (0 = no limit). */
  injectionTimeout: number;
  /** What the standin instance owns and its imposters share (upstream pools, Imposter's stores). */
  instance: InstanceResources;
  /** The server's event stream, told of recorded requests once someone subscribes. */
  events?: EventLog;
  /** --strict: unknown fields are refused instead of logged as warnings. */
  strict?: boolean;
  /** --stallLimit: how long a user's synchronous code may hold the event loop, in milliseconds (0 = no limit). */
  stallLimit: number;
  /** With --workers: how this process shares the imposter with the others serving its port. */
  scale?: ImposterScale;
}

/**
 * What changes when several processes serve one imposter (--workers). The primary process holds
 * the imposter without listening (`listen` starts it in every worker); a worker serves requests
 * and asks the primary only for what must be decided once for all of them.
 */
export interface ImposterScale {
  /** Primary: starts the imposter in every worker instead of listening here. */
  listen?(imposter: Imposter, options: ListenOptions): Promise<ProtocolServer>;
  /** Worker: which response a cycling stub gives this request, decided by the primary in arrival order. */
  takePosition?(imposter: Imposter, stub: Stub): Promise<number>;
  /** Worker or fleet member: which response a cycling stub gives next, read (not moved) where the shared position is kept. */
  peekPosition?(imposter: Imposter, stub: Stub): Promise<number>;
  /**
   * Worker: hands a proxy's answer to the primary, which saves it and gives every worker the new
   * stubs; fleet member: saves it in the fleet's definition, which every member then serves.
   * Resolves once every process serves it.
   */
  recordProxyResponse?(
    imposter: Imposter,
    stub: Stub,
    mode: 'proxyOnce' | 'proxyAlways',
    predicates: GeneratedPredicates,
    response: EchoedResponse,
  ): Promise<void>;
  /** Refuses (throws a validation error) what cannot behave as in one process: checked on every imposter and stub added. */
  refuse?(imposterConfig: Record<string, unknown>, stubConfigs: readonly unknown[]): void;
  /** Worker: recorded requests and matches carry the machine's monotonic time, so the primary can merge them in order. */
  stamps?: boolean;
}

/** The machine's monotonic clock in microseconds: the same clock in every process, unlike performance.now(). */
export function monotonicMicros(): number {
  const [seconds, nanos] = process.hrtime();
  return seconds * 1e6 + nanos / 1e3;
}

/** What a miss's unbuilt log line holds on to besides the request's body (its fields, the match views), in characters. */
const MISS_WEIGHT = 1024;

export class Imposter implements RequestHandler, ProxyRecorder<Stub>, StubHost {
  numberOfRequests = 0;
  /** Counters and timings for GET /metrics. */
  readonly metrics = new ImposterMetrics();
  /** Bumped by every change to the stubs (edits, proxy recordings): --datadir writes when it moves. */
  revision = 0;
  readonly allowCORS: boolean;
  readonly journal: RequestJournal<RecordedRequest> | null;
  private server: ProtocolServer | null = null;
  private readonly defaultOutcome: Outcome;
  /** The stubs and the index of them, rebuilt together whenever the stubs change. */
  private index: StubIndex<Stub>;
  /** With --workers, in a worker: where cycling stubs get their next position. */
  private readonly sharedPosition: ImposterScale['takePosition'];
  private readonly stamps: boolean;
  /** Whether a stub has a `space`, a `requiredScenarioState` or a script predicate: then matching reads the request's flow. */
  private gated = false;
  /** Whether a stub's predicates read flow state (Rift's script predicates): the request's flow is read before matching. */
  private readsFlows = false;
  /** Rift's flow state: where scenario states are kept, and which flow a request is in. */
  readonly flows: FlowAccess;
  readonly scenarios: ScenarioBook;
  /** Rift's `defaultForward`: where a request no stub matched is proxied (transparently), instead of the default response. */
  private readonly defaultForward: CompiledResponse | undefined;
  /** Rift's disabled imposter answers every request with a 503 (POST /imposters/:id/disable). */
  private disabledOutcome: Outcome | undefined;

  constructor(
    /** Canonical imposter definition without its stubs, echoed by the printer. */
    readonly config: Record<string, unknown>,
    public port: number,
    readonly protocol: ProtocolAdapter,
    stubs: Stub[],
    private readonly stubContext: StubContext,
    private readonly settings: ImposterSettings,
    readonly log: Log,
  ) {
    this.allowCORS = config.allowCORS === true;
    const recording = config.recordRequests === true || settings.mock;
    this.journal = recording ? new RequestJournal<RecordedRequest>(settings.journalCap, (record) => record.index) : null;
    this.defaultOutcome = { reply: protocol.compileReply({}, stubContext.defaultResponse, config), delayMs: 0 };
    this.flows = stubContext.extensions.find((e) => e.flows !== undefined)?.flows ?? {
      store: new MemoryFlowStore(DEFAULT_TTL_SECONDS),
      flowId: (_request, port) => String(port),
    };
    this.scenarios = new ScenarioBook(this.flows);
    this.defaultForward = compileDefaultForward(config, stubContext);
    if (config.enabled !== undefined && typeof config.enabled !== 'boolean')
      throw validationError(`'enabled' must be true or false, got ${JSON.stringify(config.enabled)}`);
    if (config.enabled === false) this.stopServing();
    // Printed only when false, as Rift does.
    delete config.enabled;
    if (this.disabledOutcome !== undefined) config.enabled = false;
    this.index = new StubIndex(stubs, stubContext.predicates.encoding);
    this.sharedPosition = settings.scale?.takePosition;
    this.stamps = settings.scale?.stamps === true;
    this.gated = stubs.some((stub) => stub.gated);
    this.readsFlows = stubs.some((stub) => stub.readsFlows);
  }

  /** The top-level fields a response may have, its kind's key among them (the debug answer names the kind). */
  get responseFields(): readonly string[] {
    return this.stubContext.responseFields;
  }

  /** How this imposter compiles predicates (binary mode, the injection gate): verify compiles its own with them. */
  get predicateOptions(): CompileOptions {
    return this.stubContext.predicates;
  }

  /** The recorded requests, oldest first (empty when the imposter does not record). */
  recorded(since: number | null = null): RecordedRequest[] {
    if (this.journal === null) return [];
    return since === null ? this.journal.toArray() : this.journal.since(since);
  }

  /** In order; replaced as a whole (never edited in place), which rebuilds the index. */
  get stubs(): Stub[] {
    return this.index.stubs;
  }

  set stubs(stubs: Stub[]) {
    this.index = new StubIndex(stubs, this.stubContext.predicates.encoding);
    this.gated = stubs.some((stub) => stub.gated);
    this.readsFlows = stubs.some((stub) => stub.readsFlows);
  }

  /**
   * A request to match with the flow state its predicates may read (script predicates): the
   * request's own flow is asked for at once (memory answers now; Redis later, then `flowReads.waiting`).
   */
  matchRequest(request: ProtocolRequest, readsFlows = this.readsFlows): MatchRequest {
    const match = new MatchRequest(request);
    if (readsFlows) this.attachReads(match, this.flowIdOf(request));
    return match;
  }

  private attachReads(match: MatchRequest, flowId: string): FlowReads {
    const store = this.flows.store;
    const reads = (match.flowReads = new FlowReads(flowId, (id) => store.snapshot(id)));
    reads.keys(flowId);
    return reads;
  }

  /** The flow a request belongs to: Rift's flowIdSource header, else this imposter's port. */
  flowIdOf(request: ProtocolRequest): string {
    return this.flows.flowId(request, this.port);
  }

  scenarioState(flowId: string, name: string): MaybePromise<string> {
    return this.scenarios.state(flowId, name);
  }

  /** Rift's spaces: the stubs that answer only for this flow. */
  spaceStubs(flowId: string): Stub[] {
    return this.stubs.filter((stub) => stub.space === flowId);
  }

  /** The recorded requests of one flow. */
  recordedIn(flowId: string): RecordedRequest[] {
    return this.recorded().filter((record) => this.flowIdOf(record.request) === flowId);
  }

  /** Tears a space down: its stubs, its recorded requests and its scenario states; other flows keep theirs. */
  async deleteSpace(flowId: string): Promise<void> {
    const names = this.scenarioNames();
    const kept = this.stubs.filter((stub) => stub.space !== flowId);
    if (kept.length !== this.stubs.length) this.setStubs(kept);
    this.journal?.remove((record) => this.flowIdOf(record.request) === flowId);
    for (const name of names) await this.scenarios.reset(flowId, name);
  }

  /** The scenario names the stubs declare, each once, in stub order. */
  scenarioNames(): string[] {
    return [...new Set(this.stubs.flatMap((stub) => (stub.scenarioFields ? [stub.scenarioFields.name] : [])))];
  }

  /**
   * The hot path: count, record, first matching stub wins, else the default response. The index
   * narrows the stubs tried to those that can match; they are tried in order.
   */
  handle(request: ProtocolRequest): Outcome | Promise<Outcome> {
    if (this.disabledOutcome !== undefined) return this.disabledOutcome;
    const started = performance.now();
    freshStallBudget();
    this.metrics.requests++;
    this.numberOfRequests++;
    const record = this.journal === null ? null : this.record(this.journal, request);
    const match = new MatchRequest(request);
    if (this.gated) return this.handleGated(request, match, record, started);
    const index = this.index;
    const stubs = index.stubs;
    const candidates = index.candidates(match);
    let i = 0;
    try {
      if (candidates === null) {
        for (; i < stubs.length; i++) {
          if (stubs[i]!.matcher(match)) return this.answer(i, request, started, record);
        }
      } else {
        for (let c = 0; c < candidates.length; c++) {
          i = candidates[c]!;
          if (stubs[i]!.matcher(match)) return this.answer(i, request, started, record);
        }
      }
    } catch (err) {
      return this.stubFailed(i, err);
    }
    return this.noMatch(match, stubs, record, started);
  }

  private noMatch(match: MatchRequest, stubs: readonly Stub[], record: RecordedRequest | null, started: number): Outcome | Promise<Outcome> {
    if (this.log.isInfoEnabled()) {
      this.log.info(this.defaultForward ? 'no predicate match, forwarding to defaultForward' : 'no predicate match, using default response');
      if (!this.defaultForward) this.log.debug('generating response from {"is":{}}');
    }
    if (record !== null || this.log.isInfoEnabled()) queueMicrotask(() => this.missed(match, stubs, record));
    if (this.defaultForward) {
      this.metrics.noMatch++;
      return this.defaultForward.resolve(match.request, this.forwardScope);
    }
    return this.metrics.unmatched(started, this.defaultOutcome);
  }

  /** What the defaultForward proxy resolves in: the imposter's log; it records nothing (transparent). */
  private get forwardScope(): ResolveScope {
    return { log: this.log, recordProxyResponse() {} };
  }

  get enabled(): boolean {
    return this.disabledOutcome === undefined;
  }

  /** Rift's disable: every request answers 503 until enable(); nothing is counted or recorded meanwhile. */
  disable(): void {
    if (this.settings.scale !== undefined) {
      throw validationError(
        'with --workers or --fleet, an imposter cannot be disabled while it runs (each process serves it on its own); create it with "enabled": false instead',
      );
    }
    this.stopServing();
  }

  private stopServing(): void {
    if (this.protocol.name !== 'http' && this.protocol.name !== 'https') {
      throw validationError(`only http and https imposters can be disabled; this one is ${this.protocol.name}`);
    }
    const { status, message } = ERROR_CATALOG['imposter disabled'];
    const body = JSON.stringify({ errors: [{ code: 'imposter disabled', message }] });
    const reply = this.protocol.compileReply(
      { statusCode: status, headers: { 'Content-Type': 'application/json', 'x-rift-imposter-disabled': 'true' }, body },
      undefined,
      body,
    );
    this.disabledOutcome = { reply, delayMs: 0 };
    this.config.enabled = false;
  }

  enable(): void {
    if (this.settings.scale !== undefined && this.disabledOutcome !== undefined) {
      throw validationError(
        'with --workers or --fleet, an imposter cannot be enabled while it runs (each process serves it on its own); create it again without "enabled": false',
      );
    }
    this.disabledOutcome = undefined;
    delete this.config.enabled;
  }

  /**
   * Matching when some stub has a `space` or a `requiredScenarioState`: such a stub is tried only
   * for requests of its space, and only while its scenario is in the required state (read from
   * the flow store when the first such stub is reached: asynchronously with Redis, after which
   * matching goes on where it stopped).
   */
  private handleGated(request: ProtocolRequest, match: MatchRequest, record: RecordedRequest | null, started: number): Outcome | Promise<Outcome> {
    const flowId = this.flowIdOf(request);
    const index = this.index;
    const stubs = index.stubs;
    const candidates = index.candidates(match);
    const count = candidates === null ? stubs.length : candidates.length;
    const states = new Map<string, string>();
    let reads: FlowReads | undefined;
    // A flow read from Redis arrives later: matching goes on from the stub that asked for it.
    const afterReads = (reading: FlowReads, from: number): Promise<Outcome> =>
      reading.settled().then(
        () => scan(from),
        (err: unknown) => this.flowStateFailed(err),
      );
    const scan = (from: number): Outcome | Promise<Outcome> => {
      for (let c = from; c < count; c++) {
        const i = candidates === null ? c : candidates[c]!;
        const stub = stubs[i]!;
        if (stub.space !== undefined && stub.space !== flowId) continue;
        const scenario = stub.scenarioFields;
        if (scenario?.required !== undefined) {
          let state = states.get(scenario.name);
          if (state === undefined) {
            const read = this.scenarios.state(flowId, scenario.name);
            if (read instanceof Promise) {
              return read.then(
                (value) => {
                  states.set(scenario.name, value);
                  return scan(c);
                },
                (err: unknown) => this.flowStateFailed(err),
              );
            }
            states.set(scenario.name, (state = read));
          }
          if (state !== scenario.required) continue;
        }
        let matched: boolean;
        try {
          matched = stub.matcher(match);
        } catch (err) {
          if (reads?.waiting) return afterReads(reads, c);
          return this.stubFailed(i, err);
        }
        if (reads?.waiting) return afterReads(reads, c);
        if (matched) return this.answer(i, request, started, record);
      }
      return this.noMatch(match, stubs, record, started);
    };
    try {
      if (this.readsFlows) {
        reads = this.attachReads(match, flowId);
        if (reads.waiting) return afterReads(reads, 0);
      }
      return scan(0);
    } catch (err) {
      if (err instanceof FlowStoreError) return this.flowStateFailed(err);
      throw err;
    }
  }

  /** The flow store could not be read or written: a 503 naming it, and the imposter keeps serving. */
  private flowStateFailed(err: unknown): Outcome {
    if (!(err instanceof FlowStoreError)) throw err;
    // The store's message says what failed (`flow state: Redis get failed at ...`).
    this.log.error(err.message);
    const body = JSON.stringify({ errors: [{ code: 'flow state unavailable', message: err.message }] }, null, 2);
    const reply = this.protocol.compileReply({ statusCode: 503, headers: { 'Content-Type': 'application/json' }, body }, undefined, body);
    return { reply, delayMs: 0 };
  }

  /** Rift's `X-Rift-Debug` answer for a request, instead of its response. */
  debugAnswer(request: ProtocolRequest): RiftDebugAnswer | Promise<RiftDebugAnswer> {
    return riftDebugAnswer(this, request);
  }

  /**
   * The response `stub` gives next, without moving its cycle. Under --workers or --fleet the
   * position of a stub that cycles is shared, kept by the primary or in Redis, and read there.
   */
  upcomingResponse(stub: Stub): CompiledResponse | Promise<CompiledResponse> {
    const shared = this.settings.scale?.peekPosition;
    if (shared === undefined || stub.responses.length < 2) return stub.peekResponse();
    return shared(this, stub).then((at) => stub.responses[at] ?? stub.peekResponse());
  }

  /**
   * The dry run: what every stub makes of `request` and which would answer; no cycle, journal or
   * state moves. Later only where script predicates read flow state kept in Redis.
   */
  test(request: ProtocolRequest): TestResult | Promise<TestResult> {
    const match = this.matchRequest(request);
    return untilRead(match, () => this.testMatch(match));
  }

  private testMatch(match: MatchRequest): TestResult {
    if (!this.gated) return testStubs(this.stubs, match);
    // A stub of another space, or whose scenario is in another state, would not answer. A state
    // kept in Redis cannot be read here (this answer is synchronous): such a stub is not ruled out.
    const flowId = this.flowIdOf(match.request);
    return testStubs(this.stubs, match, (stub) => {
      if (stub.space !== undefined && stub.space !== flowId) return false;
      const scenario = stub.scenarioFields;
      if (scenario?.required === undefined) return true;
      let state: unknown;
      try {
        state = this.scenarios.state(flowId, scenario.name);
      } catch {
        return true;
      }
      if (state instanceof Promise) {
        state.catch(() => undefined);
        return true;
      }
      return state === scenario.required;
    });
  }

  private record(journal: RequestJournal<RecordedRequest>, request: ProtocolRequest): RecordedRequest {
    const entry = { ...request, timestamp: isoNow() };
    const record: RecordedRequest = { index: journal.lastIndex + 1, request: entry, stub: undefined };
    if (this.stamps) record.at = monotonicMicros();
    journal.add(record);
    return record;
  }

  /**
   * After a miss has been answered: the closest stub and its first failing clause, as one info
   * line and kept with the recorded request (published to the event stream). Both are worked out
   * only when read: the line where a console, file or sink writes it (else when GET /logs reads
   * it), the record's when someone asks for it. The stubs are those in force at the miss.
   */
  private missed(match: MatchRequest, stubs: readonly Stub[], record: RecordedRequest | null): void {
    if (stubs.length > 0) {
      let explained = false;
      let nearMiss: StubReport | undefined;
      const explain = (): StubReport | undefined => {
        if (!explained) {
          nearMiss = closestStub(stubs, match);
          explained = true;
        }
        return nearMiss;
      };
      if (this.log.isInfoEnabled()) {
        const request = match.request;
        const what = typeof request.method === 'string' && typeof request.path === 'string' ? `${request.method} ${request.path}` : 'the request';
        const body = request.body;
        this.log.infoLater(
          () => `no stub matched ${what}; closest is ${describeNearMiss(explain()!)}`,
          MISS_WEIGHT + (typeof body === 'string' ? body.length : 0),
        );
      }
      if (record !== null) explainMissLater(record, explain);
    }
    if (record === null) return;
    record.stub = null;
    this.published(record);
  }

  /** Tells the event stream of a recorded request (once someone has subscribed). */
  published(record: RecordedRequest): void {
    const events = this.settings.events;
    if (events === undefined || !events.keepsRequests) return;
    events.request(this.port, new RequestEvent(this.config, this.port, record));
  }

  private answer(position: number, request: ProtocolRequest, started: number, record: RecordedRequest | null): Outcome | Promise<Outcome> {
    const stub = this.stubs[position]!;
    if (record !== null) {
      const id = stub.id;
      record.stub = id === undefined ? { index: position } : { index: position, id };
      this.published(record);
    }
    const matched = this.metrics.matched(started);
    const shared = this.sharedPosition;
    if (shared !== undefined && stub.responses.length > 1) {
      // A stub that cycles, under --workers: the primary decides which response, once for all workers.
      return shared(this, stub).then((at) => {
        try {
          return this.respond(stub, position, request, matched, stub.responses[at] ?? stub.nextResponse());
        } catch (err) {
          return this.stubFailed(position, err);
        }
      });
    }
    return this.respond(stub, position, request, matched, stub.nextResponse());
  }

  private respond(stub: Stub, position: number, request: ProtocolRequest, matched: number, response: CompiledResponse): Outcome | Promise<Outcome> {
    if (this.log.isDebugEnabled()) this.logMatch(stub, response.config);
    const outcome = response.resolve(request, stub);
    let named = outcome instanceof Promise ? outcome.catch((err: unknown) => this.stubFailed(position, err)) : outcome;
    if (stub.scenarioFields?.next !== undefined) named = this.transition(request, stub.scenarioFields, named);
    return this.metrics.generated(matched, stub.matches ? this.recordMatch(stub, request, response.config, named) : named);
  }

  /**
   * Moves a scenario on once the stub has answered; the answer goes out after the state is written.
   * A move another request made first wins (see ScenarioBook.advance); this one's is dropped.
   */
  private transition(request: ProtocolRequest, scenario: StubScenario, outcome: Outcome | Promise<Outcome>): Outcome | Promise<Outcome> {
    const flowId = this.flowIdOf(request);
    const { name, required, next } = scenario;
    const dropped = (moved: boolean): void => {
      if (!moved && this.log.isDebugEnabled()) {
        this.log.debug(
          `scenario ${JSON.stringify(name)} in flow ${JSON.stringify(flowId)}: another request moved it from ${JSON.stringify(required)} first; not moving it to ${JSON.stringify(next)}`,
        );
      }
    };
    const write = (resolved: Outcome): Outcome | Promise<Outcome> => {
      let written: boolean | Promise<boolean>;
      try {
        written = this.scenarios.advance(flowId, name, required, next!);
      } catch (err) {
        return this.flowStateFailed(err);
      }
      if (!(written instanceof Promise)) {
        dropped(written);
        return resolved;
      }
      return written.then(
        (moved) => {
          dropped(moved);
          return resolved;
        },
        (err: unknown) => this.flowStateFailed(err),
      );
    };
    return outcome instanceof Promise ? outcome.then(write) : write(outcome);
  }

  /** What --debug records as a match's response: mountebank's resolved response object where the outcome has one. */
  private describeResponse(outcome: Outcome): unknown {
    if (!outcome.response) return this.protocol.describeReply(outcome.reply);
    const response = outcome.response();
    return this.protocol.describeResponse ? this.protocol.describeResponse(response) : cloneJson(response);
  }

  /** mountebank's debug lines for a match: the stub's predicates, the response config, its behaviors. */
  private logMatch(stub: Stub, responseConfig: EchoedResponse): void {
    this.log.debug(`using predicate match: ${JSON.stringify(stub.config.predicates || {})}`);
    this.log.debug(`generating response from ${JSON.stringify(responseConfig)}`);
    const behaviors = responseConfig.behaviors;
    if (Array.isArray(behaviors) && behaviors.length > 0 && responseConfig.fault === undefined) {
      this.log.debug(`using stub response behavior ${JSON.stringify(behaviors)}`);
    }
  }

  /** A failed script names its stub in the log (by its index now) before the error answers the request. */
  /** A stub's predicates threw: a script predicate's failure is its own answer; anything else fails the request. */
  private stubFailed(index: number, err: unknown): Outcome {
    if (err instanceof AnsweringError) {
      const is = err.answer(this.stubs[index]?.label ?? `stub ${index}`);
      return { reply: this.protocol.compileReply(is, undefined, is), delayMs: 0 };
    }
    if (err instanceof StandinError && err.code === 'invalid injection') {
      const data = typeof err.extra.data === 'string' ? `: ${err.extra.data}` : '';
      this.log.error(`stub ${index}: ${err.message}${data}`);
    }
    throw err;
  }

  async listen(options: ListenOptions): Promise<void> {
    // Extensions first (Rift's flow state): an unreachable Redis refuses the imposter before its port is taken.
    for (const extension of this.stubContext.extensions) await extension.open?.();
    const shared = this.settings.scale?.listen;
    this.server = shared === undefined ? await this.protocol.listen(this, { ...options, port: this.port }) : await shared(this, options);
    this.port = this.server.port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    await server?.close();
    for (const extension of this.stubContext.extensions) await extension.close?.();
  }

  /** What the extension under `key` holds now (`_rift`: its flows), or undefined when it says nothing. */
  inspectExtension(key: string): Promise<unknown> | undefined {
    return this.stubContext.inspectors.get(key)?.();
  }

  clearRequests(): void {
    this.numberOfRequests = 0;
    this.journal?.clear();
  }

  // Stub editing: compile first (a bad stub changes nothing), then swap.

  /** `warnings` receives what was accepted but will fail (a script that does not compile), named by the stub's index. */
  private compileStubAt(config: unknown, index: number, warnings: string[]): Stub {
    const noted = this.stubContext.scripts.compileWarnings;
    noted.length = 0;
    const stub = compileStub(config, this.stubContext, this, index);
    stub.configDir = this.stubContext.configDir;
    for (const warning of noted.splice(0)) warnings.push(`stub ${index}: ${warning}`);
    if (this.settings.debug) stub.matches = [];
    return stub;
  }

  /** One stub at `index`; its warnings are logged (the caller installs it). */
  compileStub(config: unknown, index: number): Stub {
    const warnings: string[] = [];
    const stub = this.compileStubAt(config, index, warnings);
    this.warn(warnings);
    return stub;
  }

  /**
   * Compiles every stub (all errors reported together); throws ValidationFailure. Warnings are
   * logged only when all compile. `origin`: where the stubs were read from (see CompileOrigin);
   * stubs from the admin API have none.
   */
  compileStubs(configs: unknown[], origin: CompileOrigin = {}): Stub[] {
    const warnings: string[] = [];
    const context = this.stubContext;
    const { kinds, configDir } = context;
    if (origin.internal === true) context.kinds = context.internalKinds;
    try {
      let index = 0;
      const stubs = compileEach(configs, (config) => {
        context.configDir = origin.stubConfigDirs === undefined ? origin.configDir : (origin.stubConfigDirs[index] ?? undefined);
        return this.compileStubAt(config, index++, warnings);
      });
      this.warn(warnings);
      return stubs;
    } finally {
      context.kinds = kinds;
      context.configDir = configDir;
    }
  }

  private warn(warnings: string[]): void {
    for (const warning of warnings) this.log.warn(warning);
  }

  replaceStubs(configs: unknown[]): void {
    this.checkFields(configs, 0);
    this.setStubs(this.compileStubs(configs));
  }

  /** Unknown fields in stubs being added: logged as warnings, or refused under --strict. */
  private checkFields(configs: unknown[], first: number): void {
    this.settings.scale?.refuse?.(this.config, configs);
    const warnings = configs.flatMap((config, i) => stubFieldWarnings(this.protocol.name, config, first + i, this.stubContext.responseFields));
    reportFieldWarnings(warnings, this.settings.strict === true, this.log);
  }

  /** Unknown fields in the imposter as it is now, for GET /imposters/:id?warnings=true. */
  fieldWarnings(): FieldWarning[] {
    return imposterFieldWarnings(
      this.protocol.name,
      this.config,
      this.stubs.map((stub) => stub.config),
      this.stubContext.responseFields,
    );
  }

  /** Serves `stubs` (compiled by compileStubs) from the next request on. */
  setStubs(stubs: Stub[]): void {
    refuseDuplicateIds(stubs);
    this.stubs = stubs;
    this.revision++;
  }

  /** The position of the stub with this `id`, or -1. */
  stubIndexOf(id: string): number {
    return this.stubs.findIndex((stub) => stub.id === id);
  }

  addStub(config: unknown, index: number = this.stubs.length): void {
    this.checkFields([config], index);
    const stub = this.compileStub(config, index);
    const next = this.stubs.slice();
    next.splice(index, 0, stub);
    this.setStubs(next);
  }

  /** A replacement without an `id` keeps the id of the stub it replaces. */
  replaceStub(index: number, config: unknown): void {
    this.checkFields([config], index);
    const id = this.stubs[index]?.id;
    const stub = this.compileStub(id !== undefined && isPlainObject(config) && config.id === undefined ? { id, ...config } : config, index);
    const next = this.stubs.slice();
    next[index] = stub;
    this.setStubs(next);
  }

  deleteStub(index: number): void {
    const next = this.stubs.slice();
    next.splice(index, 1);
    this.setStubs(next);
  }

  /**
   * Saves a proxied answer (mountebank's recordProxyResponse): proxyOnce inserts a new stub just
   * before the proxy stub; proxyAlways appends to the first later stub with the same predicates,
   * else adds a stub at the end. Nothing is saved if the proxy stub was removed meanwhile. Under
   * --workers and --fleet the stubs are recompiled whenever another process records (new objects,
   * same keys), so whoever keeps the definition finds the proxy stub by its key instead.
   */
  recordProxyResponse(proxyStub: Stub, mode: 'proxyOnce' | 'proxyAlways', predicates: GeneratedPredicates, response: EchoedResponse): void | Promise<void> {
    const shared = this.settings.scale?.recordProxyResponse;
    if (shared !== undefined) return shared(this, proxyStub, mode, predicates, response);
    if (!this.stubs.includes(proxyStub)) return;
    this.saveProxyResponse(proxyStub, mode, predicates, response);
  }

  /** recordProxyResponse in this process's stubs (under --workers and --fleet, by whoever keeps the definition). */
  saveProxyResponse(proxyStub: Stub, mode: 'proxyOnce' | 'proxyAlways', predicates: GeneratedPredicates, response: EchoedResponse): void {
    const index = this.stubs.indexOf(proxyStub);
    if (index === -1) return;
    if (mode === 'proxyOnce') {
      this.addStub({ predicates, responses: [response] }, index);
      return;
    }
    const key = stableStringify(predicates);
    for (let i = index + 1; i < this.stubs.length; i++) {
      const stub = this.stubs[i]!;
      if (stableStringify(stub.config.predicates ?? []) === key) {
        stub.appendResponse(response, this.compileStub({ responses: [response] }, i).responses[0]!);
        this.revision++;
        return;
      }
    }
    this.addStub({ predicates, responses: [response] });
  }

  /** Drops responses recorded by a proxy (`is._proxyResponseTime`), and stubs left with none. */
  removeSavedProxyResponses(): void {
    const next: Stub[] = [];
    for (const stub of this.stubs) {
      const responses = stub.config.responses;
      const kept = responses.filter((_, i) => !isSavedProxyResponse(stub.responses[i]?.shape));
      if (kept.length === responses.length) next.push(stub);
      else if (kept.length > 0) next.push(this.compileStub({ ...stub.config, responses: kept }, next.length));
    }
    this.setStubs(next);
  }

  private recordMatch(stub: Stub, request: ProtocolRequest, responseConfig: unknown, outcome: Outcome | Promise<Outcome>): Outcome | Promise<Outcome> {
    const started = Date.now();
    const record = (resolved: Outcome): Outcome => {
      const matches = stub.matches!;
      const match: MatchRecord = {
        timestamp: new Date(started).toISOString(),
        request,
        response: this.describeResponse(resolved),
        responseConfig,
        processingTime: Date.now() - started,
      };
      if (this.stamps) match.at = monotonicMicros();
      matches.push(match);
      if (matches.length > this.settings.journalCap) matches.shift();
      return resolved;
    };
    return outcome instanceof Promise ? outcome.then(record) : record(outcome);
  }
}

/** An `is` a proxy saved (it carries `_proxyResponseTime`, as mountebank's). */
function isSavedProxyResponse(shape: ResponseShape | undefined): boolean {
  return shape?.kind === 'is' && typeof shape.is._proxyResponseTime === 'number';
}

/** Rift's `defaultForward: "http://host:port"`, compiled as a transparent proxy (nothing recorded). */
function compileDefaultForward(config: Record<string, unknown>, context: StubContext): CompiledResponse | undefined {
  const to = config.defaultForward;
  if (to === undefined) return undefined;
  if (typeof to !== 'string' || !/^https?:\/\/[^/]/.test(to)) {
    throw validationError(`'defaultForward' must be the URL of an origin, such as "http://localhost:8080", got ${JSON.stringify(to)}`);
  }
  return context.compileResponse({ proxy: { to, mode: 'proxyTransparent' } }, context);
}

/** Warnings go to the log; under --strict they are the errors of a 400 and nothing changes. */
export function reportFieldWarnings(warnings: readonly FieldWarning[], strict: boolean, log: Log): void {
  if (warnings.length === 0) return;
  if (strict) throw new ValidationFailure(warnings.map((warning) => validationError(`${warning.message} (--strict refuses unknown fields)`)));
  for (const warning of warnings) log.warn(warning.message);
}

/** Stub ids address stubs (the by-id routes), so two stubs of an imposter may not share one. */
export function refuseDuplicateIds(stubs: readonly Stub[]): void {
  const seen = new Set<string>();
  for (const stub of stubs) {
    const id = stub.id;
    if (id === undefined) continue;
    if (seen.has(id)) throw validationError(`two stubs have the id ${JSON.stringify(id)}; a stub's id must be unique in its imposter`, stub.config);
    seen.add(id);
  }
}

/** JSON with object keys sorted (safe-stable-stringify), arrays in order: mountebank's predicate equality. */
function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : stableStringify(v))).join(',')}]`;
  if (isPlainObject(value)) {
    const record = value;
    const parts = Object.keys(record)
      .sort()
      .filter((k) => record[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableStringify(record[k])}`);
    return `{${parts.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** `evaluate` of a request whose flow state is read: again once flows it asked for (Redis) have arrived. */
export function untilRead<T>(match: MatchRequest, evaluate: () => T): T | Promise<T> {
  const reads = match.flowReads;
  if (reads?.waiting) return reads.settled().then(() => untilRead(match, evaluate));
  const result = evaluate();
  if (!reads?.waiting) return result;
  return reads.settled().then(() => untilRead(match, evaluate));
}
