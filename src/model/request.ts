// The normalized request every protocol adapter produces and every predicate reads.
export type QueryValue = string | string[];
export type HeaderValue = string | string[];

// A type alias (not an interface) so it is assignable to ProtocolRequest's index signature.
export type HttpRequest = {
  requestFrom: string;
  method: string;
  path: string;
  query: Record<string, QueryValue>;
  headers: Record<string, HeaderValue>;
  body: string;
  ip: string;
  form?: Record<string, QueryValue>;
  timestamp?: string;
};

/** Any protocol's request: predicates address its fields by name. */
export type ProtocolRequest = Record<string, unknown>;
