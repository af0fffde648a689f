// The shapes of an Imposter config document that standin reads (a subset of imposter-go's
// `internal/config/model.go`). Values come from YAML, so every field is checked before use.
/**
 * A resource or interceptor as validateDocument leaves it: `path` and `method` checked; the
 * matchers, capture and response as written, checked by what compiles them.
 */
export interface ResourceConfig {
  path?: string;
  method?: string;
  queryParams?: unknown;
  requestHeaders?: unknown;
  requestBody?: unknown;
  capture?: unknown;
  response?: unknown;
  passthrough?: unknown;
  /** Interceptors only. */
  continue?: unknown;
  [field: string]: unknown;
}

/** One parsed document and where it came from (a file may hold several `---` documents). */
export interface LoadedDocument {
  /** The file's path as found (dir joined with its name). */
  file: string;
  /** The file's directory, which relative `file:` paths resolve against. */
  dir: string;
  /** The document's mapping as parsed, not yet checked. */
  config: Record<string, unknown>;
}

/** A config that cannot be served; the message names the file and what is wrong. */
export class ImposterConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImposterConfigError';
  }
}
