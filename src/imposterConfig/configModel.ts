// The shapes of an Imposter config document that standin reads (a subset of imposter-go's
// `internal/config/model.go`). Values come from YAML, so every field is checked before use.
export type MatcherValue = string | number | boolean | { value?: unknown; operator?: string };

export interface RequestBodyMatcher {
  value?: unknown;
  operator?: string;
  jsonPath?: string;
  xPath?: string;
  xmlNamespaces?: Record<string, string>;
}

export interface ResponseConfig {
  statusCode?: number;
  content?: string;
  file?: string;
  headers?: Record<string, unknown>;
  template?: boolean;
  delay?: { exact?: number; min?: number; max?: number };
}

export interface ResourceConfig {
  path?: string;
  method?: string;
  queryParams?: Record<string, MatcherValue>;
  requestHeaders?: Record<string, MatcherValue>;
  requestBody?: RequestBodyMatcher;
  capture?: Record<string, unknown>;
  response?: ResponseConfig;
  passthrough?: string;
  /** Interceptors only. */
  continue?: boolean;
}

export interface ImposterConfigDocument {
  plugin?: string;
  basePath?: string;
  resources?: ResourceConfig[];
  interceptors?: ResourceConfig[];
  upstreams?: Record<string, { url?: string }>;
  system?: { stores?: Record<string, { preloadData?: Record<string, unknown>; preloadFile?: string }> };
}

/** One parsed document and where it came from (a file may hold several `---` documents). */
export interface LoadedDocument {
  /** The file's path as found (dir joined with its name). */
  file: string;
  /** The file's directory, which relative `file:` paths resolve against. */
  dir: string;
  config: ImposterConfigDocument;
}

/** A config that cannot be served; the message names the file and what is wrong. */
export class ImposterConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImposterConfigError';
  }
}
