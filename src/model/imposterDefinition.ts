// The shapes users write: imposters, stubs, predicates, responses and behaviors in mountebank's
// JSON, with Rift's `_rift` extensions. Exported from the package so an editor completes an
// imposter written in TypeScript; schema/imposter.schema.json describes the same shapes for
// `.json` files. Loose where mountebank is loose: unknown fields are allowed, as the server
// accepts them.

/** Any JSON value. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A request field, or a nested path into one: `{ path: "/x" }`, `{ query: { q: "1" } }`, `{ body: { id: 7 } }`. */
export interface PredicateFields {
  method?: string;
  path?: string;
  query?: Record<string, JsonValue>;
  headers?: Record<string, JsonValue>;
  body?: JsonValue;
  form?: Record<string, JsonValue>;
  requestFrom?: string;
  ip?: string;
  /** tcp: the request's text, or base64 in binary mode. */
  data?: string;
  [field: string]: JsonValue | undefined;
}

/** For `exists`: true when the field must be present (and not empty), false when it must not. */
export interface ExistsFields {
  [field: string]: boolean | ExistsFields;
}

/** Parameters every comparison predicate takes. */
export interface PredicateParameters {
  /** Compare values and keys case-sensitively (default false). */
  caseSensitive?: boolean;
  /** A regular expression removed from the request's values before comparing. */
  except?: string;
  /** Compare the values that a JSONPath selects from the field (the body). */
  jsonpath?: { selector: string };
  /** Compare the values that an XPath selects from the field, with optional namespace prefixes. */
  xpath?: { selector: string; ns?: Record<string, string> };
}

export type EqualsPredicate = PredicateParameters & { equals: PredicateFields };
export type DeepEqualsPredicate = PredicateParameters & { deepEquals: PredicateFields };
export type ContainsPredicate = PredicateParameters & { contains: PredicateFields };
export type StartsWithPredicate = PredicateParameters & { startsWith: PredicateFields };
export type EndsWithPredicate = PredicateParameters & { endsWith: PredicateFields };
/** Values are regular expressions. */
export type MatchesPredicate = PredicateParameters & { matches: PredicateFields };
export type ExistsPredicate = PredicateParameters & { exists: ExistsFields };
export interface NotPredicate {
  not: Predicate;
}
export interface OrPredicate {
  or: Predicate[];
}
export interface AndPredicate {
  and: Predicate[];
}
/** A JavaScript function as a string, `function (config) { return ...; }` (needs allowInjection). */
export interface InjectPredicate {
  inject: string;
}

/** Rift's script predicate: the script's `matches(ctx)` (or its body alone) answers true to match; it reads flow state, never writes it. */
export interface RiftScriptPredicate {
  _rift: { script: RiftScript };
}

export type Predicate =
  | EqualsPredicate
  | DeepEqualsPredicate
  | ContainsPredicate
  | StartsWithPredicate
  | EndsWithPredicate
  | MatchesPredicate
  | ExistsPredicate
  | NotPredicate
  | OrPredicate
  | AndPredicate
  | InjectPredicate
  | RiftScriptPredicate;

/** An http(s) answer; tcp answers with `data`. Missing fields come from the imposter's defaultResponse. */
export interface IsResponse {
  /** A number, or a numeric string. Default 200. */
  statusCode?: number | string;
  /** Replace the default headers; an array value becomes repeated header lines. */
  headers?: Record<string, string | number | string[]>;
  /** Text, or a JSON value (sent as JSON indented with 4 spaces), or base64 with `_mode: "binary"`. */
  body?: JsonValue;
  _mode?: 'text' | 'binary';
  /** tcp: the answer's text, or base64 in binary mode. */
  data?: string;
  [field: string]: JsonValue | undefined;
}

/** A request field to copy from: `"path"`, or a one-key path such as `{ query: "q" }`. */
export type RequestFieldSelector = string | { [field: string]: string | RequestFieldSelector };

export interface SelectorUsing {
  method: 'regex' | 'xpath' | 'jsonpath';
  selector: string;
  ns?: Record<string, string>;
  options?: { ignoreCase?: boolean; multiline?: boolean };
}

export interface CopyBehavior {
  from: RequestFieldSelector;
  /** The token replaced in the response, such as `"${name}"`. */
  into: string;
  using: SelectorUsing;
}

export interface LookupBehavior {
  key: { from: RequestFieldSelector; using: SelectorUsing; index?: number };
  fromDataSource: { csv: { path: string; keyColumn: string; delimiter?: string } };
  into: string;
}

/** One behavior per object; they run in array order. */
export type Behavior =
  /** Milliseconds, or a JavaScript function returning them (needs allowInjection). */
  | { wait: number | string }
  | { copy: CopyBehavior }
  | { lookup: LookupBehavior }
  /** `function (config) { ... }` changing `config.response` (needs allowInjection). */
  | { decorate: string }
  /** A shell command printing the new response as JSON (needs allowInjection). */
  | { shellTransform: string };

/** mountebank's older object form, accepted and stored as `behaviors` plus `repeat`. */
export interface LegacyBehaviors {
  wait?: number | string;
  repeat?: number;
  copy?: CopyBehavior | CopyBehavior[];
  lookup?: LookupBehavior | LookupBehavior[];
  shellTransform?: string | string[];
  decorate?: string;
}

/** `matches` fields say which request fields become the saved stub's predicates. */
export interface PredicateGenerator extends PredicateParameters {
  matches?: ExistsFields;
  ignore?: JsonValue;
  predicateOperator?: 'equals' | 'deepEquals' | 'contains' | 'startsWith' | 'endsWith' | 'matches' | 'exists';
  /** A function returning the predicates (needs allowInjection). */
  inject?: string;
}

export interface ProxyDefinition {
  /** `http(s)://host[:port]` without a path, or `tcp://host:port`. */
  to: string | { host: string; port: number };
  mode?: 'proxyOnce' | 'proxyAlways' | 'proxyTransparent';
  predicateGenerators?: PredicateGenerator[];
  addWaitBehavior?: boolean;
  addDecorateBehavior?: string;
  injectHeaders?: Record<string, string>;
  cert?: string;
  key?: string;
  passphrase?: string;
  ciphers?: string;
  secureProtocol?: string;
  /** tcp: keep the origin connection for the next request. */
  keepalive?: boolean;
}

/** Rift's fault injection on one response. */
export interface RiftFault {
  latency?: { probability?: number; ms?: number; minMs?: number; maxMs?: number };
  error?: { probability?: number; status?: number; body?: string; headers?: Record<string, string> };
  tcp?: RiftTcpFaultType | { probability?: number; type: RiftTcpFaultType };
}

export type RiftTcpFaultType =
  'CONNECTION_RESET_BY_PEER' | 'EMPTY_RESPONSE' | 'RANDOM_DATA_THEN_CLOSE' | 'MALFORMED_RESPONSE_CHUNK' | 'reset' | 'empty' | 'random' | 'malformed';

/** A script defining `should_inject(request, flow_store)`: its code, or a file read once. */
export type RiftScriptEngine = 'rhai' | 'lua' | 'javascript' | 'js';

/** A script written out (`code` or a `file`); without `engine`, the file's extension decides, else `_rift.scriptEngine.defaultEngine` (rhai). */
export type RiftScriptSource = { engine?: RiftScriptEngine } & ({ code: string; file?: never } | { file: string; code?: never });

/** A script: written out, or a `ref` to an entry of the imposter's `_rift.scripts` (or, with --scriptsDir, a file there). */
export type RiftScript = (RiftScriptSource & { ref?: never }) | { ref: string; engine?: RiftScriptEngine; code?: never; file?: never };

export interface RiftResponseExtension {
  script?: RiftScript;
  fault?: RiftFault;
}

export interface RiftImposterExtension {
  flowState?: {
    backend?: 'inmemory' | 'redis';
    ttlSeconds?: number;
    redis?: { url: string; keyPrefix?: string; poolSize?: number };
  };
  scriptEngine?: { timeoutMs?: number; defaultEngine?: RiftScriptEngine };
  /** Named scripts, used by `{ "ref": NAME }`. */
  scripts?: Record<string, RiftScriptSource>;
}

/** Fields every response kind may carry. */
interface ResponseCommon {
  /** Serve this response this many times before moving to the next one. */
  repeat?: number;
  behaviors?: Behavior[];
  _behaviors?: LegacyBehaviors;
  _rift?: RiftResponseExtension;
}

/** The kinds exclude one another: a response with two is refused. */
interface NoKind {
  is?: never;
  proxy?: never;
  inject?: never;
  fault?: never;
}

export type IsResponseDefinition = ResponseCommon & Omit<NoKind, 'is'> & { is: IsResponse };
export type ProxyResponseDefinition = ResponseCommon & Omit<NoKind, 'proxy'> & { proxy: ProxyDefinition };
/** A JavaScript function as a string that builds the response (needs allowInjection). */
export type InjectResponseDefinition = ResponseCommon & Omit<NoKind, 'inject'> & { inject: string };
export type FaultResponseDefinition = ResponseCommon & Omit<NoKind, 'fault'> & { fault: 'CONNECTION_RESET_BY_PEER' | 'RANDOM_DATA_THEN_CLOSE' | (string & {}) };
/** Only `_rift`: the script decides, otherwise an empty 200. */
export type RiftOnlyResponseDefinition = ResponseCommon & NoKind & { _rift: RiftResponseExtension };

/** One response: exactly one of `is`, `proxy`, `inject`, `fault` (or only `_rift`). */
export type ResponseDefinition =
  IsResponseDefinition | ProxyResponseDefinition | InjectResponseDefinition | FaultResponseDefinition | RiftOnlyResponseDefinition;

export interface StubDefinition {
  /** All must match (no predicates: every request matches). */
  predicates?: Predicate[];
  /** Served in turn, round robin. */
  responses?: ResponseDefinition[];
  [field: string]: JsonValue | Predicate[] | ResponseDefinition[] | undefined;
}

interface ImposterCommon {
  /** 1 to 65535 (a numeric string too); omitted: a free port is chosen and reported back. */
  port?: number | string;
  name?: string;
  /** Keep requests so tests can read them back (`requests()`). */
  recordRequests?: boolean;
  stubs?: StubDefinition[];
  /** The interface to bind; default the server's host. */
  host?: string;
  _rift?: RiftImposterExtension;
}

export interface HttpImposterDefinition extends ImposterCommon {
  protocol: 'http';
  /** Answered when no stub matches, and field by field for partial responses. */
  defaultResponse?: IsResponse;
  allowCORS?: boolean;
}

export interface HttpsImposterDefinition extends ImposterCommon {
  protocol: 'https';
  defaultResponse?: IsResponse;
  allowCORS?: boolean;
  key?: string;
  cert?: string;
  ca?: string | string[] | null;
  mutualAuth?: boolean;
  rejectUnauthorized?: boolean;
  ciphers?: string;
}

export interface TcpImposterDefinition extends ImposterCommon {
  protocol: 'tcp';
  mode?: 'text' | 'binary';
  defaultResponse?: IsResponse;
  endOfRequestResolver?: { inject: string };
}

export interface SmtpImposterDefinition extends ImposterCommon {
  protocol: 'smtp';
}

/** A protocol loaded with `protofile`: its own fields pass through. */
export interface CustomImposterDefinition extends ImposterCommon {
  protocol: string & {};
  defaultResponse?: JsonValue;
  [field: string]: unknown;
}

/** Rift's form: an imposter with `_rift` may leave out `protocol` (it is http). */
export interface RiftImposterDefinition extends Omit<HttpImposterDefinition, 'protocol' | '_rift'> {
  protocol?: 'http';
  _rift: RiftImposterExtension;
}

export type ImposterDefinition =
  HttpImposterDefinition | HttpsImposterDefinition | TcpImposterDefinition | SmtpImposterDefinition | RiftImposterDefinition | CustomImposterDefinition;

/** A `--configfile`: the imposters to start (a single imposter object is accepted too). */
export interface ImpostersFile {
  imposters: ImposterDefinition[];
}

/** A request as imposters record it (http fields, or tcp's `data`, or smtp's message fields). */
export interface RecordedRequest {
  requestFrom?: string;
  method?: string;
  path?: string;
  query?: Record<string, string | string[]>;
  headers?: Record<string, string | string[]>;
  body?: string;
  form?: Record<string, string | string[]>;
  ip?: string;
  data?: string;
  timestamp?: string;
  [field: string]: JsonValue | undefined;
}
