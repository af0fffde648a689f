// A stub and its responses as standin keeps them to echo: the user's JSON after upcasting (see
// model/upcast.ts) and validation, printed back as it came (mountebank's clients compare it deeply).
// Kept loose where mountebank is loose; what the code reads of it is compiled once, typed. The
// shapes users write are in imposterDefinition.ts.

/** A response as echoed. Its kind's field (`is`, `proxy`, ...) was validated when it compiled. */
export type EchoedResponse = Record<string, unknown>;

/** A stub as echoed: `responses` is a non-empty array of objects; the rest is echoed as sent. */
export interface EchoedStub {
  predicates?: unknown;
  responses: EchoedResponse[];
  [field: string]: unknown;
}
