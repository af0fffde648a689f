// The field names mountebank (and standin's extensions) read at each level of an imposter, per
// protocol: what "did you mean" warnings compare a user's field names with. A name missing here
// is accepted all the same, as mountebank accepts it; it only earns a warning.

export const FIELD_OPERATORS: readonly string[] = ['equals', 'deepEquals', 'contains', 'startsWith', 'endsWith', 'matches', 'exists'];
export const PREDICATE_OPERATORS: readonly string[] = [...FIELD_OPERATORS, 'not', 'or', 'and', 'inject'];
export const PREDICATE_PARAMETERS: readonly string[] = ['caseSensitive', 'keyCaseSensitive', 'except', 'jsonpath', 'xpath'];

/** What a printed imposter carries and a replay may send back. */
const PRINTED = ['requests', 'numberOfRequests', '_links'];

/** Rift's imposter fields for http(s): where unmatched requests go, and whether it serves at all. */
const RIFT_HTTP = ['defaultForward', 'enabled'];

export const IMPOSTER_FIELDS: Readonly<Record<string, readonly string[]>> = {
  http: ['protocol', 'port', 'name', 'host', 'recordRequests', 'stubs', 'defaultResponse', 'allowCORS', '_rift', ...RIFT_HTTP, ...PRINTED],
  https: [
    'protocol',
    'port',
    'name',
    'host',
    'recordRequests',
    'stubs',
    'defaultResponse',
    'allowCORS',
    '_rift',
    ...RIFT_HTTP,
    'key',
    'cert',
    'ca',
    'mutualAuth',
    'ciphers',
    'rejectUnauthorized',
    ...PRINTED,
  ],
  tcp: ['protocol', 'port', 'name', 'host', 'recordRequests', 'stubs', 'defaultResponse', 'mode', 'endOfRequestResolver', '_rift', ...PRINTED],
  smtp: ['protocol', 'port', 'name', 'host', 'recordRequests', 'stubs', '_rift', ...PRINTED],
};

/** `id` is Rift's; `matches` is printed under --debug; `_verify` is Rift's verifier's annotation. */
export const STUB_FIELDS: readonly string[] = [
  'predicates',
  'responses',
  'id',
  '_links',
  'matches',
  '_verify',
  // Rift's: a label, the space (flow) a stub answers for, its scenario.
  'name',
  'space',
  'scenarioName',
  'requiredScenarioState',
  'newScenarioState',
  'routePattern',
];

const HTTP_REQUEST = ['method', 'path', 'query', 'headers', 'body', 'form', 'requestFrom', 'ip'];
export const REQUEST_FIELDS: Readonly<Record<string, readonly string[]>> = {
  http: HTTP_REQUEST,
  https: HTTP_REQUEST,
  tcp: ['data', 'requestFrom', 'ip'],
  smtp: [
    'requestFrom',
    'ip',
    'envelopeFrom',
    'envelopeTo',
    'from',
    'to',
    'cc',
    'bcc',
    'subject',
    'priority',
    'references',
    'inReplyTo',
    'text',
    'html',
    'attachments',
  ],
};

/** Fields of every response besides its kind's key (`is`, `proxy`, ...: those come from the registry of kinds). */
export const RESPONSE_MODIFIERS: readonly string[] = ['repeat', 'behaviors'];

/** mountebank reads `statuscode` as well as `statusCode`. */
const HTTP_IS = ['statusCode', 'statuscode', 'headers', 'body', '_mode', '_proxyResponseTime'];
export const IS_FIELDS: Readonly<Record<string, readonly string[]>> = {
  http: HTTP_IS,
  https: HTTP_IS,
  tcp: ['data', '_mode', '_proxyResponseTime'],
};

export const PROXY_FIELDS: readonly string[] = [
  'to',
  'mode',
  'predicateGenerators',
  'addWaitBehavior',
  'addDecorateBehavior',
  'injectHeaders',
  'cert',
  'key',
  'ciphers',
  'secureProtocol',
  'passphrase',
];
