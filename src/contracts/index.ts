// The shapes the parts of an imposter agree on, and nothing else: what a compiled response is and
// what it answers with, what a response sees when it compiles and when it resolves, what a
// response kind and an imposter extension provide, and what a protocol adapter does. A leaf:
// every folder that implements one of these imports it from here, and this file imports only
// types from the folders beneath it, so no contract pulls its implementations into a cycle.
import type { ScriptScope } from '../injection/scriptScope.js';
import type { Log } from '../logging/logger.js';
import type { EchoedResponse } from '../model/echoedDefinition.js';
import type { FlowReads, FlowValue } from '../model/flowReads.js';
import type { ProxyDefinition } from '../model/imposterDefinition.js';
import type { ProtocolRequest } from '../model/request.js';
import type { TemplateOptions } from '../templates/compileTemplate.js';

// ---- Responses -------------------------------------------------------------------------------

export interface Outcome {
  /** Protocol-specific reply (e.g. HttpReply); the default reply when nothing else applies. */
  reply: unknown;
  /** mountebank's `fault` value, when the response is a fault. */
  fault?: string;
  /** Milliseconds to wait before answering (the `wait` behavior). */
  delayMs: number;
  /**
   * The response object as mountebank resolves it (an `is` after its behaviors, what an inject
   * returned, the proxied answer, the fault), before the protocol's wire defaults: what --debug
   * records in a stub's `matches`. Called only then.
   */
  response?: () => unknown;
}

/**
 * What a response may reach while it resolves a request: the stub that chose it, within its
 * imposter. The stub itself is the scope, so resolving allocates nothing for it.
 */
export interface ResolveScope {
  /** The imposter's log. */
  readonly log: Log;
  /** The stub's own `id`, when it has one. */
  readonly id?: string | undefined;
  /** The stub as errors name it: `stub "its-id"`, else `stub N` (its index). */
  readonly label?: string;
  /** The port the imposter listens on. */
  readonly port?: number;
  /** The path's parameters by the stub's Rift `routePattern` (`/users/:id`); {} without one. */
  pathParams?(path: string): Record<string, string>;
  /**
   * Saves a proxied answer next to this stub (mountebank's recordProxyResponse). Under --workers
   * or --fleet it resolves once every process serves the saved answer; the proxy answers after.
   */
  recordProxyResponse(mode: 'proxyOnce' | 'proxyAlways', predicates: GeneratedPredicates, response: EchoedResponse): void | Promise<void>;
  /**
   * Rift's `ctx.stub`: the stub's scenario and its state in a flow (as the stub was chosen; its
   * `newScenarioState` is written after the response resolves); undefined outside any scenario.
   * The state is a promise only with a Redis flow store.
   */
  scenario?(flowId: string): { name: string; state: MaybePromise<string> } | undefined;
}

/** What a response kind compiles a response into: the part that answers requests. */
export interface ResponseResolver {
  /** The canonical definition, echoed in the imposter's JSON. */
  readonly config: EchoedResponse;
  /** How many times in a row the response is served before the stub moves on (`repeat`). */
  readonly repeat: number;
  resolve(request: ProtocolRequest, scope: ResolveScope): Outcome | Promise<Outcome>;
}

export interface CompiledResponse extends ResponseResolver {
  /** What the response's kind validated: the imposter reads a response through it (`shape.kind`), not through its JSON. */
  readonly shape: ResponseShape;
}

/** The response object behaviors pass along (an `is`, before it becomes the protocol's reply). */
export type ResponseObject = Record<string, unknown>;

export interface CompiledBehaviors {
  /** Total delay of fixed `wait` behaviors, when they are all there is (else 0). */
  delayMs: number;
  /** Runs every behavior on a response object; undefined when there is nothing to run per request. */
  run: ((request: ProtocolRequest, response: ResponseObject, scope?: ResolveScope) => ResponseObject | Promise<ResponseObject>) | undefined;
}

/** A response's `repeat` and `behaviors`, compiled before its kind for the kinds that take them. */
export interface CommonFields {
  repeat: number;
  behaviors: CompiledBehaviors;
}

/** Rift's script API for scripts outside `_rift.script` (a Rhai decorate or wait): the imposter's flow state behind `ctx`. */
export interface FlowScripts {
  /** `_rift.scriptEngine.timeoutMs`. */
  readonly scriptTimeoutMs: number;
  /**
   * What builds the `ctx` of one run (`watch` as in the engines' CtxCall); a Promise of it while
   * the stub's scenario state is still being read (Redis).
   */
  ctx(
    request: ProtocolRequest,
    response: { status: number; headers: Record<string, string>; body: string } | undefined,
    scope: ResolveScope | undefined,
  ): CtxFactory | Promise<CtxFactory>;
}

/** Builds one script run's `ctx`; `watch` is told of each flow-state Promise the script starts. */
export type CtxFactory = (watch?: (pending: Promise<unknown>) => void) => Record<string, unknown>;

/** Renders an `is` per request (an extension's templates), before its behaviors run. */
export type IsRenderer = (request: ProtocolRequest, scope: ResolveScope) => ResponseObject | Promise<ResponseObject>;

/** Everything a response reads when it compiles: the imposter's settings, never the request. */
export interface ResponseContext {
  /** --scriptsDir: where script files and refs are found. */
  scriptsDir?: string;
  /** The folder of the --configfile the response was read from: its script files are read there instead (and may not leave it). */
  configDir?: string;
  /** The imposter's Rift flow state, for scripts in behaviors. */
  flowScripts?: FlowScripts;
  /**
   * Set by an extension for the response it compiles (Rift's `_rift.templated`): the renderer of
   * its `is`, or undefined when nothing in that `is` is rendered.
   */
  renderIs?: (is: ResponseObject, source: unknown) => IsRenderer | undefined;
  protocol: ProtocolAdapter;
  defaultResponse: ResponseObject | undefined;
  allowInjection: boolean;
  /** How long a proxy waits for its origin, in milliseconds. */
  proxyTimeout: number;
  /** The imposter's injection scope: script state, logger, time limit. */
  scripts: ScriptScope;
  /** The response kinds this standin knows (the composition root's list): the one list validation reads. */
  kinds: readonly ResponseKind[];
  /** What the standin instance owns and its imposters share. */
  instance: InstanceResources;
}

// ---- What a standin instance owns ---------------------------------------------------------------

/**
 * Shared by the imposters of one standin instance and released by its close(), so that two
 * instances in one process never share state (no module-level pools or stores).
 */
export interface InstanceResources {
  /** Keep-alive connection pools to origins, for proxies and Imposter-config passthrough. */
  readonly upstreams: Upstreams;
  /** Imposter's named stores, read and written by Imposter-config responses. */
  readonly stores: NamedStores;
  /** Where Imposter-config responses write Imposter's log lines; undefined: the imposter's own log. */
  readonly imposterLog: Log | undefined;
}

export interface Upstreams {
  /**
   * Sends one request to `origin` through the pool for these settings; the answer as received.
   * With `wholeExchange`, `timeoutMs` bounds the whole exchange, to the last body byte.
   */
  send(origin: string, tls: UpstreamTls, timeoutMs: number, request: UpstreamRequest, wholeExchange?: boolean): Promise<UpstreamResponse>;
}

export interface UpstreamTls {
  /** Check the origin's certificate against the trusted CAs (Node's, plus NODE_EXTRA_CA_CERTS). */
  verify?: boolean;
  cert?: string;
  key?: string;
  passphrase?: string;
  ciphers?: string;
  secureProtocol?: string;
}

export interface UpstreamRequest {
  method: string;
  /** Path and query string exactly as the client sent them. */
  path: string;
  /** Flattened name/value pairs. */
  headers: string[];
  body: Buffer | null;
}

export interface UpstreamResponse {
  statusCode: number;
  rawHeaders: string[];
  body: Buffer;
}
/** A `proxy` response after validation, as the imposter's protocol read it (`ProtocolAdapter.validateProxy`). */
export interface ProxySettings {
  /** `proxy.to` as written (tcp's old `{"host", "port"}` form as its URL). */
  readonly to: string;
  /** Where requests go; `refused` (tcp, as mountebank) for a URL of another protocol, refused on every request. */
  readonly origin: ProxyOrigin;
  readonly mode: ProxyMode;
  /** Saved responses wait as long as the origin took to answer. */
  readonly addWaitBehavior: boolean;
  /** A decorate function saved responses carry. */
  readonly addDecorateBehavior: string | undefined;
  /** The predicates of the stub that saves the origin's answer to a request (its `predicateGenerators`). */
  readonly predicatesFor: (request: ProtocolRequest) => GeneratedPredicates;
  /** http: headers added to each forwarded request, as flattened name/value pairs. */
  readonly injectHeaders: readonly string[];
  /** http: the client certificate and TLS settings towards the origin. */
  readonly tls: UpstreamTls;
  /** tcp: the connection to the origin stays open between requests. */
  readonly keepalive: boolean;
}

/** Whether a proxy saves what the origin answers: the first answer, every answer, or none. */
export type ProxyMode = NonNullable<ProxyDefinition['mode']>;

export type ProxyOrigin =
  | { readonly protocol: 'http'; readonly origin: string; readonly host: string }
  | { readonly protocol: 'tcp'; readonly host: string; readonly port: number }
  | { readonly protocol: 'refused' };

/** Named maps of items (Imposter's stores). */
export interface NamedStores {
  /** The store, created empty on first use. */
  open(name: string): Map<string, unknown>;
  find(name: string): Map<string, unknown> | undefined;
  delete(name: string): void;
}

/**
 * One response kind, named by its top-level key (`is`, `proxy`, `inject`, `fault`, `_imposter`).
 * Validating and compiling are two steps: `validate` checks the kind's own field once and returns
 * it typed, as the kind's member of the union of response shapes (`{ kind: 'is', is }`,
 * `{ kind: 'inject', source }`, ...); `compile` reads that shape, never the JSON again. The JSON
 * itself is kept beside it, canonical, for echoing.
 */
export interface ResponseKind<Key extends ResponseKindKey = ResponseKindKey> {
  readonly key: Key;
  /**
   * Whether definitions users send (the admin API, --configfile, --datadir) may use this kind.
   * False for a kind that only one of standin's own front doors writes (`_imposter`, written by
   * the Imposter-config loader).
   */
  readonly public: boolean;
  /** Whether `repeat` and `behaviors` apply; when false the kind reads them itself (or ignores them). */
  readonly takesCommonFields: boolean;
  /** Checks the kind's field (throws StandinError with mountebank's message); run after `repeat` and `behaviors` are compiled. */
  validate(config: EchoedResponse, context: ResponseContext): ResponseShapes[Key];
  /** Compiles the validated shape once; `config` is the response's canonical JSON (echoed, and the source errors name). */
  compile(shape: ResponseShapes[Key], config: EchoedResponse, context: ResponseContext, common: CommonFields): ResponseResolver;
}

/**
 * Each response kind's shape after validation, by the kind's key. A kind declares its own from its
 * own folder, by declaration merging:
 *
 *     declare module '../contracts/index.js' {
 *       interface ResponseShapes { is: IsShape }
 *     }
 *
 * so that adding a kind touches its folder and the registry only, and `ResponseShape` is the
 * discriminated union of them all.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface ResponseShapes {}

/** A registered kind's key. */
export type ResponseKindKey = keyof ResponseShapes;

/** A response after its kind validated it, one of the kinds' shapes: `kind` (the kind's key) tells which. */
export type ResponseShape = ResponseShapes[ResponseKindKey];

export type ResponseCompiler = (config: unknown, context: ResponseContext) => CompiledResponse;

/** Wraps response compilation, as undici's interceptors wrap dispatch (`compose`): `_rift` is one. */
export type ResponseWrapper = (next: ResponseCompiler) => ResponseCompiler;

/**
 * A top-level field of the imposter an extension owns (`_rift`), compiled once per imposter. What
 * it compiles to may wrap the compilation of the imposter's responses and has the imposter's life.
 */
export interface ImposterExtension {
  readonly key: string;
  /** Throws StandinError when the field is invalid. */
  compile(value: unknown, log: Log): CompiledExtension;
}

export interface CompiledExtension {
  readonly wrapResponses?: ResponseWrapper;
  /** The imposter's flow state (Rift's `_rift`): what scenarios and spaces are kept in and partitioned by. */
  readonly flows?: FlowAccess;
  /** Before the imposter listens: an extension that cannot start refuses the imposter. */
  open?(): Promise<void>;
  close?(): Promise<void>;
  /** What the extension holds now, for GET /imposters/:id/<key> (the dashboard reads it); read on demand only. */
  inspect?(): Promise<unknown>;
  /** The extension's own predicate operator (Rift's `{"_rift": {"script": ...}}`), compiled once per predicate. */
  readonly predicate?: ExtensionPredicateCompiler;
}

/** What an extension's predicate compiles with: the imposter's settings and, when known, its stub. */
export interface PredicateContext {
  readonly allowInjection: boolean;
  /** --scriptsDir, and the folder of the --configfile the stub was read from (script files). */
  readonly scriptsDir?: string;
  readonly configDir?: string;
  /** --stallLimit in milliseconds (0: none). */
  readonly stallMs: number;
  /** The stub the predicate belongs to; undefined for verify's predicates. */
  readonly stub?: PredicateStub;
}

export interface PredicateStub {
  /** How errors name the stub: `stub 0`, `stub "get-user"`. */
  readonly label: string;
  readonly id: string | undefined;
  readonly scenarioName: string | undefined;
  readonly routePattern: string | undefined;
}

/** What an extension's predicate reads of the request being matched. */
export interface ExtensionMatchInput {
  readonly request: ProtocolRequest;
  /** The flow state read for this request; set by whoever matches an imposter whose predicates read it. */
  readonly flowReads: FlowReads | undefined;
}

/**
 * Compiles the operator's value (throwing StandinError for a bad one); `explaining`: compiled for
 * a clause-by-clause report, where it logs nothing of its own. The check throws FlowNotRead when it
 * read a flow still being read, and AnsweringError when the request's answer is its failure.
 */
export type ExtensionPredicateCompiler = (
  value: unknown,
  predicate: Record<string, unknown>,
  context: PredicateContext,
  explaining: boolean,
) => (input: ExtensionMatchInput) => boolean;

/** A value now, or later (a Redis flow store answers later). */
export type MaybePromise<T> = T | Promise<T>;

export interface FlowAccess {
  /** Keys and values per flow (Rift's flow store). */
  readonly store: FlowKeyValues;
  /** The request's flow: `_rift.flowState.flowIdSource`'s header, else `port`, the imposter's. */
  flowId(request: ProtocolRequest, port: number): string;
}

/** What the core reads and writes of a flow store (values are JSON). */
export interface FlowKeyValues {
  get(flowId: string, key: string): MaybePromise<unknown>;
  set(flowId: string, key: string, value: unknown): MaybePromise<unknown>;
  delete(flowId: string, key: string): MaybePromise<unknown>;
  /** Removes every key of the flow. */
  clear(flowId: string): MaybePromise<unknown>;
  /** The flow's live keys and values, read at once. */
  snapshot(flowId: string): MaybePromise<ReadonlyMap<string, FlowValue>>;
  /** Atomic compare-and-set: `next` is written only when the key holds `expected` (null: absent). */
  cas(flowId: string, key: string, expected: null | string, next: string): MaybePromise<{ applied: boolean; current?: unknown }>;
}

/** Where a stub's responses are saved by a proxy: the imposter (`Stub`, the core's stub that proxied). */
export interface ProxyRecorder<Stub extends object = object> {
  recordProxyResponse(proxyStub: Stub, mode: 'proxyOnce' | 'proxyAlways', predicates: GeneratedPredicates, response: EchoedResponse): void | Promise<void>;
}

/**
 * The predicates a proxy's predicateGenerators made for the stub that saves its answer: kept as
 * made and checked when that stub compiles (an injected generator returns what its function did).
 */
export type GeneratedPredicates = unknown[];

// ---- Protocols -------------------------------------------------------------------------------

/** The part of an imposter a protocol server calls for every request. */
export interface RequestHandler {
  handle(request: ProtocolRequest): Outcome | Promise<Outcome>;
  readonly log: Log;
  readonly allowCORS: boolean;
  /** Rift's `X-Rift-Debug: true`: what matching makes of the request, answered instead of the response (a promise of it under --workers or --fleet). */
  debugAnswer?(request: ProtocolRequest): unknown;
}

export interface ProtocolServer {
  /** Port actually bound (resolved when 0 was asked). */
  readonly port: number;
  close(): Promise<void>;
}

export interface ListenOptions {
  port: number;
  host: string | undefined;
  /** Rejects sockets from addresses not allowed (--localOnly / --ipWhitelist). */
  allowAddress: (address: string | undefined) => boolean;
  /** --bodyLimit: the largest request body (once inflated) an imposter reads, in bytes. */
  bodyLimit: number;
}

/** What a protocol may need from the command line when it configures an imposter. */
export interface ProtocolSettings {
  allowInjection: boolean;
  /** The imposter's script scope (state, logger, time limit) for injected protocol functions. */
  scripts: ScriptScope;
}

/**
 * What the core needs from a protocol (http, https, tcp, smtp): how to build the wire reply for
 * an `is` response, how to serve an imposter, and what the imposter's own protocol fields mean.
 */
export interface ProtocolAdapter {
  readonly name: string;
  /** How predicates read request strings: 'base64' is tcp's binary mode. Default 'utf8'. */
  readonly predicateEncoding?: 'utf8' | 'base64';
  /** The request used to check that predicates evaluate at creation (mountebank's dry run). */
  readonly testRequest: ProtocolRequest;
  /** Compiles an `is` response merged with the imposter's defaultResponse; throws StandinError. */
  compileReply(is: ResponseObject, defaultResponse: ResponseObject | undefined, source: unknown): unknown;
  /**
   * Compiles an `is` response whose fields hold templates into a per-request reply builder;
   * undefined when nothing in it is a template. Absent: the protocol renders no templates.
   */
  compileTemplatedReply?(
    is: ResponseObject,
    defaultResponse: ResponseObject | undefined,
    source: unknown,
    options: TemplateOptions,
  ): ((request: ProtocolRequest) => unknown) | undefined;
  /** The reply as JSON, for `matches` under --debug when the outcome carries no `response`. */
  describeReply(reply: unknown): unknown;
  /** An outcome's `response` as recorded in `matches` (mountebank's server adjusts some of it in place). */
  describeResponse?(response: unknown): unknown;
  listen(handler: RequestHandler, options: ListenOptions): Promise<ProtocolServer>;
  /**
   * Validates the imposter's protocol fields (https `key`/`cert`, tcp `mode`) once, at creation,
   * and returns the adapter bound to them. It may fill in defaults in `config`, which the imposter
   * echoes (mountebank always prints tcp's `mode`). Throws StandinError or ValidationFailure.
   */
  configure?(config: Record<string, unknown>, settings: ProtocolSettings): ProtocolAdapter;
  /** Validates a `proxy` response's field for this protocol (`config`, the response, is what errors name); absent means the http(s) proxy's checks. */
  validateProxy?(proxy: unknown, config: EchoedResponse, context: ResponseContext): ProxySettings;
  /** Compiles a `proxy` response from what validateProxy returned; absent means the http(s) proxy. */
  compileProxy?(proxy: ProxySettings, config: EchoedResponse, context: ResponseContext, repeat: number, behaviors: CompiledBehaviors): ResponseResolver;
}
