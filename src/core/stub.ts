// A stub at run time: its compiled predicates, its compiled responses and where it is in
// their cycle. The canonical JSON it was made from is kept for echoing.
import type {
  CompiledExtension,
  CompiledResponse,
  ExtensionPredicateCompiler,
  GeneratedPredicates,
  ProxyRecorder,
  ResolveScope,
  ResponseCompiler,
  ResponseContext,
  ResponseKind,
} from '../contracts/index.js';
import { compilePredicates, type CompileOptions, type RequestMatcher } from '../matching/index.js';
import { compileExplainer, type Explainer } from '../matching/explain.js';
import { usesExtensionOperator } from '../matching/extensionPredicate.js';
import { compileRoutePattern, type PathParams } from '../matching/routePattern.js';
import { StandinError, validationError } from '../model/errors.js';
import { RESPONSE_MODIFIERS } from '../model/knownFields.js';
import type { EchoedResponse, EchoedStub } from '../model/echoedDefinition.js';
import { isPlainObject } from '../model/plainObject.js';
import { upcastStub } from '../model/upcast.js';
import type { Log } from '../logging/logger.js';
import type { MaybePromise } from '../state/flowStore.js';
import { compileStubScenario, type StubScenario } from './scenarios.js';

export interface StubContext extends ResponseContext {
  predicates: CompileOptions;
  /** compileResponse inside the wrappers the imposter's extensions install (`_rift`), composed once. */
  compileResponse: ResponseCompiler;
  /** What the imposter's extensions compiled to: opened before it listens, closed after it stops. */
  extensions: readonly CompiledExtension[];
  /** Every kind, `_imposter` included: for stubs standin's own Imposter-config loader wrote. */
  internalKinds: readonly ResponseKind[];
  /** The top-level fields a response may have (responseFieldsOf): field warnings and the debug answer read them. */
  responseFields: readonly string[];
  /** The extensions that can say what they hold, by their key (`_rift`: its flow state). */
  inspectors: ReadonlyMap<string, () => Promise<unknown>>;
  /** The compiler of an extension's predicate operator (Rift's `_rift` script predicate), when an extension has one. */
  predicateExtension?: ExtensionPredicateCompiler;
}

/** Where definitions were read from, which decides what they may use. */
export interface CompileOrigin {
  /** Written by standin's own Imposter-config loader: may use internal response kinds (`_imposter`). */
  internal?: boolean;
  /** The folder of the --configfile they were read from: their script files are read there. */
  configDir?: string;
  /** Each stub's own folder instead (--workers hands a worker the stubs' own: some came from the admin API later). */
  stubConfigDirs?: readonly (string | null)[];
}

/** Every registered kind's key, then every extension's (`_rift`), then `repeat` and `behaviors`. */
export function responseFieldsOf(kinds: readonly ResponseKind[], extensions: readonly { readonly key: string }[]): readonly string[] {
  return [...kinds.map((kind) => kind.key), ...extensions.map((extension) => extension.key), ...RESPONSE_MODIFIERS];
}

export interface MatchRecord {
  timestamp: string;
  request: unknown;
  response: unknown;
  responseConfig: unknown;
  processingTime: number;
  /** With --workers: when it was recorded, in microseconds of the machine's monotonic clock (removed once merged). */
  at?: number;
}

/** What a stub reaches of its imposter while a response resolves. */
export interface StubHost extends ProxyRecorder<Stub> {
  readonly log: Log;
  /** A scenario's state in a flow. */
  scenarioState(flowId: string, name: string): MaybePromise<string>;
  /** The port it listens on, and its stubs (errors name a stub by its index). */
  readonly port?: number;
  readonly stubs?: readonly object[];
}

/** The stub is the scope its responses resolve in: its imposter's log and proxy recorder. */
export class Stub implements ResolveScope {
  /** Recorded matches, kept only with --debug. */
  matches: MatchRecord[] | undefined;
  /** With --workers: the name the processes serving this stub share for it (cycle positions, proxy recordings, matches). */
  key: number | undefined;
  /** The stub's own `id`, which every edit keeps; undefined for stubs without one (mountebank's). */
  readonly id: string | undefined;
  /** Rift's `space`: the stub is considered only for requests of this flow. */
  readonly space: string | undefined;
  /** Rift's scenario fields, when the stub has them. */
  readonly scenarioFields: StubScenario | undefined;
  /** Whether a predicate reads flow state (Rift's script predicate): the imposter reads the request's flow before matching. */
  readonly readsFlows: boolean;
  private position = 0;
  private servedAtPosition = 0;
  private activeExplainer: Explainer | undefined;
  private passiveExplainer: Explainer | undefined;

  /** By the stub's Rift `routePattern`. */
  readonly pathParams: PathParams;
  /** The folder of the --configfile the stub was read from (its script files are there); undefined for a stub from the admin API. */
  configDir: string | undefined;

  constructor(
    readonly config: EchoedStub,
    fields: StubFields,
    readonly matcher: RequestMatcher,
    readonly responses: CompiledResponse[],
    private readonly imposter: StubHost,
    private readonly predicateOptions: CompileOptions = { encoding: 'utf8' },
  ) {
    this.id = fields.id;
    this.space = fields.space;
    this.scenarioFields = fields.scenario;
    this.readsFlows = fields.readsFlows === true;
    this.pathParams = fields.routePattern === undefined ? NO_PATH_PARAMS : compileRoutePattern(fields.routePattern);
  }

  /** Whether the stub can answer only in some flows or scenario states (the imposter matches such stubs on a slower path). */
  get gated(): boolean {
    return this.space !== undefined || this.scenarioFields?.required !== undefined || this.readsFlows;
  }

  scenario(flowId: string): { name: string; state: MaybePromise<string> } | undefined {
    const scenario = this.scenarioFields;
    return scenario === undefined ? undefined : { name: scenario.name, state: this.imposter.scenarioState(flowId, scenario.name) };
  }

  get label(): string {
    const id = this.id;
    return id === undefined ? `stub ${this.imposter.stubs?.indexOf(this) ?? '?'}` : `stub ${JSON.stringify(id)}`;
  }

  get port(): number | undefined {
    return this.imposter.port;
  }

  /**
   * Why the predicates hold or not, clause by clause; compiled the first time it is asked. With
   * `runInjected` false, `inject` predicates (user code, which may keep state) are not run again.
   */
  explainer(runInjected: boolean): Explainer {
    if (runInjected) return (this.activeExplainer ??= compileExplainer(this.config.predicates, this.predicateOptions));
    // A script predicate only reads state, so it is run again; an inject is not.
    const { encoding, compileExtension } = this.predicateOptions;
    return (this.passiveExplainer ??= compileExplainer(this.config.predicates, compileExtension === undefined ? { encoding } : { encoding, compileExtension }));
  }

  /** The response the next match would be answered with, without moving the cycle. */
  peekResponse(): CompiledResponse {
    return this.responses[this.position]!;
  }

  get log(): Log {
    return this.imposter.log;
  }

  recordProxyResponse(mode: 'proxyOnce' | 'proxyAlways', predicates: GeneratedPredicates, response: EchoedResponse): void | Promise<void> {
    return this.imposter.recordProxyResponse(this, mode, predicates, response);
  }

  /** Adds a response at the end of the cycle, keeping the cycle's position (proxyAlways recording). */
  appendResponse(config: EchoedResponse, compiled: CompiledResponse): void {
    this.config.responses.push(config);
    this.responses.push(compiled);
  }

  /** Where the stub is in its cycle: [response index, times served at it] (persisted by --datadir). */
  cyclePosition(): [number, number] {
    return [this.position, this.servedAtPosition];
  }

  /** Puts the stub back where a previous run left it; an out-of-range position restarts the cycle. */
  restoreCyclePosition(position: number, servedAtPosition: number): void {
    const response = this.responses[position];
    if (!Number.isInteger(position) || !response || !Number.isInteger(servedAtPosition) || servedAtPosition < 0 || servedAtPosition >= response.repeat) {
      return;
    }
    this.position = position;
    this.servedAtPosition = servedAtPosition;
  }

  /** Moves the cycle on by one request and says which response that request gets (--workers asks the primary for it). */
  takePosition(): number {
    const at = this.position;
    this.nextResponse();
    return at;
  }

  /** Round-robin over the responses, each served `repeat` times before moving on. */
  nextResponse(): CompiledResponse {
    const response = this.responses[this.position]!;
    if (++this.servedAtPosition >= response.repeat) {
      this.servedAtPosition = 0;
      this.position = this.position + 1 === this.responses.length ? 0 : this.position + 1;
    }
    return response;
  }
}

const NO_PATH_PARAMS: PathParams = () => ({});

/** The imposter's predicate options with the extension's operator bound to this stub (its id, scenario, route, script folder). */
function stubPredicateOptions(config: Record<string, unknown>, context: StubContext, index: number | undefined): CompileOptions {
  const extension = context.predicateExtension!;
  const id = typeof config.id === 'string' ? config.id : undefined;
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  const predicateContext = {
    allowInjection: context.allowInjection,
    scriptsDir: context.scriptsDir,
    configDir: context.configDir,
    stallMs: context.predicates.stallMs ?? 0,
    stub: {
      label: id !== undefined ? `stub ${JSON.stringify(id)}` : index !== undefined ? `stub ${index}` : 'stub',
      id,
      scenarioName: text(config.scenarioName),
      routePattern: text(config.routePattern),
    },
  };
  return { ...context.predicates, compileExtension: (value, predicate, explaining) => extension(value, predicate, predicateContext, explaining) };
}

/** A stub's own fields as validated, typed (the JSON is echoed as it came). */
interface StubFields {
  readonly id: string | undefined;
  readonly space: string | undefined;
  readonly routePattern: string | undefined;
  readonly scenario: StubScenario | undefined;
  readonly readsFlows?: boolean;
}

/** `index`: where the stub is (or goes) among its imposter's stubs, for errors that name it. */
export function compileStub(raw: unknown, context: StubContext, imposter: StubHost, index?: number): Stub {
  if (!isPlainObject(raw)) throw validationError('each stub must be an object', raw);
  // Stubs added or replaced later accept the old formats too (`_behaviors`), as at creation.
  const config = upcastStub(raw);
  const { responses } = config;
  if (!Array.isArray(responses) || responses.length === 0) {
    throw validationError("'responses' must be a non-empty array", config);
  }
  const { id, space, routePattern } = config;
  if (id !== undefined && (typeof id !== 'string' || id === '')) {
    throw validationError("a stub's 'id' must be a non-empty string", config);
  }
  if (space !== undefined && (typeof space !== 'string' || space === '')) {
    throw validationError("a stub's 'space' must be a non-empty string: the flow id (e.g. the X-Mock-Space header's value) it answers for", config);
  }
  if (routePattern !== undefined && (typeof routePattern !== 'string' || !routePattern.startsWith('/'))) {
    throw validationError("a stub's 'routePattern' must be a path such as \"/users/:id\"", config);
  }
  try {
    const readsFlows = context.predicateExtension !== undefined && usesExtensionOperator(config.predicates);
    const predicates = readsFlows ? stubPredicateOptions(config, context, index) : context.predicates;
    const matcher = compilePredicates(config.predicates, predicates);
    const compiled = responses.map((r) => context.compileResponse(r, context));
    // Each response compiled, so each is an object: the definition can say so.
    const echoed: EchoedStub = { ...config, responses: compiled.map((c) => c.config) };
    return new Stub(echoed, { id, space, routePattern, scenario: compileStubScenario(echoed), readsFlows }, matcher, compiled, imposter, predicates);
  } catch (err) {
    // mountebank checks injection per stub and names the stub as the source.
    if (err instanceof StandinError && err.code === 'invalid injection') throw new StandinError(err.code, err.message, config);
    throw err;
  }
}
