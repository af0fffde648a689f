// Shapes of what users send, in mountebank's JSON, as they are after validation. Kept loose where
// mountebank is loose: the stored, echoed stub is the user's own JSON after upcasting (see
// model/upcast.ts); what the code reads is typed.

/**
 * A response as stored and echoed: the user's JSON after upcasting. Its kind's field (`is`,
 * `proxy`, ...) is validated by the kind when the response compiles.
 */
export type ResponseDefinition = Record<string, unknown>;

/** A stub after validation: `responses` is a non-empty array of objects; the rest is echoed as sent. */
export interface StubDefinition {
  predicates?: unknown;
  responses: ResponseDefinition[];
  [field: string]: unknown;
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
