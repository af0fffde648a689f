// Startup checks on one config document, before anything listens: the plugin, the upstreams and
// every passthrough reference, and the Imposter features standin does not serve, which are refused
// by name rather than silently ignored. Warnings (passthrough on an interceptor, passthrough next
// to a response) are returned for the caller to log.
import { isPlainObject } from '../model/plainObject.js';
import { ImposterConfigError, type LoadedDocument, type ResourceConfig } from './configModel.js';
import { parseUpstreamUrl, type UpstreamTarget } from './upstreamUrl.js';

export interface NamedUpstream {
  url: string;
  target: UpstreamTarget;
}

const UNSUPPORTED_TOP: Record<string, string> = {
  security: 'the security block',
  cors: 'the cors block',
  schedules: 'schedules',
  vars: 'vars (${var.NAME} placeholders)',
  specFile: 'specFile (the openapi plugin)',
  wsdlFile: 'wsdlFile (the soap plugin)',
};
const UNSUPPORTED_RESOURCE: Record<string, string> = {
  steps: 'steps (scripts and remote calls)',
  pathParams: 'pathParams matchers',
  formParams: 'formParams matchers',
  allOf: 'expression matchers (allOf)',
  anyOf: 'expression matchers (anyOf)',
  concurrency: 'concurrency limits',
  responses: 'responses lists (websocket)',
  security: 'resource security',
};
const UNSUPPORTED_RESPONSE: Record<string, string> = {
  fail: 'response.fail',
  dir: 'response.dir',
  exampleName: 'response.exampleName (openapi)',
  soapFault: 'response.soapFault (soap)',
  scriptFile: 'response.scriptFile (Imposter 1-4 scripts)',
  staticFile: 'response.staticFile (Imposter 1-4 format; use file)',
  staticData: 'response.staticData (Imposter 1-4 format; use content)',
};

/** How a resource or interceptor is named in messages: `resource (path "/x")`, as imposter-go. */
export function describeResource(kind: 'resource' | 'interceptor', resource: { readonly path?: unknown; readonly method?: unknown }): string {
  const method = typeof resource.method === 'string' ? `method ${resource.method}, ` : '';
  return `${kind} (${method}path ${JSON.stringify(resource.path ?? '')})`;
}

/** A document after validateDocument: what compiling reads, typed. */
export interface ValidDocument {
  readonly basePath: string | undefined;
  readonly upstreams: ReadonlyMap<string, NamedUpstream>;
  readonly resources: readonly ResourceConfig[];
  readonly interceptors: readonly ResourceConfig[];
}

export function validateDocument(document: LoadedDocument, warnings: string[]): ValidDocument {
  const { file, config } = document;
  if (config.plugin === undefined || config.plugin === null) {
    throw new ImposterConfigError(`${file}: 'plugin' is missing; standin serves configs with plugin: rest`);
  }
  if (config.plugin !== 'rest') {
    throw new ImposterConfigError(`${file}: plugin ${JSON.stringify(String(config.plugin))} is not supported by standin (only plugin: rest)`);
  }
  for (const [key, what] of Object.entries(UNSUPPORTED_TOP)) {
    if (config[key] !== undefined) throw new ImposterConfigError(`${file}: ${what} is not supported by standin`);
  }
  if (config.path !== undefined || config.response !== undefined) {
    throw new ImposterConfigError(`${file}: a root-level path/response is the Imposter 1-4 format, which standin does not read; put it under resources:`);
  }
  const basePath = config.basePath;
  if (basePath !== undefined && typeof basePath !== 'string') throw new ImposterConfigError(`${file}: basePath must be a string`);

  const upstreams = new Map<string, NamedUpstream>();
  if (config.upstreams !== undefined && config.upstreams !== null) {
    if (!isPlainObject(config.upstreams)) throw new ImposterConfigError(`${file}: upstreams must be a mapping of names to {url: ...}`);
    for (const [name, upstream] of Object.entries(config.upstreams)) {
      const where = `${file}: upstream ${JSON.stringify(name)}`;
      if (!isPlainObject(upstream)) throw new ImposterConfigError(`${where} must be a mapping such as {url: "http://backend:8080"}`);
      upstreams.set(name, { url: String(upstream.url), target: parseUpstreamUrl(upstream.url, where) });
    }
  }

  const lists: Record<'resources' | 'interceptors', ResourceConfig[]> = { resources: [], interceptors: [] };
  for (const kind of ['resources', 'interceptors'] as const) {
    const list = config[kind];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) throw new ImposterConfigError(`${file}: ${kind} must be a list`);
    for (const item of list) {
      if (!isPlainObject(item)) throw new ImposterConfigError(`${file}: each of ${kind} must be a mapping such as {path: /x, method: GET}`);
      lists[kind].push(validateResource(file, kind === 'resources' ? 'resource' : 'interceptor', item, upstreams, warnings));
    }
  }
  return { basePath, upstreams, ...lists };
}

/** The resource itself, typed once its `path` and `method` are checked. */
function validateResource(
  file: string,
  kind: 'resource' | 'interceptor',
  resource: Record<string, unknown>,
  upstreams: Map<string, NamedUpstream>,
  warnings: string[],
): ResourceConfig {
  const name = describeResource(kind, resource);
  const raw = resource;
  // A resource that forwards never runs its steps (imposter-go loads it and warns, below).
  const forwards = kind === 'resource' && resource.passthrough !== undefined && resource.passthrough !== null;
  for (const [key, what] of Object.entries(UNSUPPORTED_RESOURCE)) {
    if (key === 'steps' && forwards) continue;
    if (raw[key] !== undefined) throw new ImposterConfigError(`${file}: ${name}: ${what} are not supported by standin`);
  }
  const { path, method, response } = resource;
  if (path !== undefined && typeof path !== 'string') throw new ImposterConfigError(`${file}: ${name}: path must be a string`);
  if (method !== undefined && typeof method !== 'string') throw new ImposterConfigError(`${file}: ${name}: method must be a string`);
  if (isPlainObject(response)) {
    for (const [key, what] of Object.entries(UNSUPPORTED_RESPONSE)) {
      if (response[key] !== undefined) throw new ImposterConfigError(`${file}: ${name}: ${what} is not supported by standin`);
    }
  }
  const checked: ResourceConfig = { ...resource, path, method };
  if (raw.log !== undefined) warnings.push(`${file}: ${name}: log messages are not supported by standin and are ignored`);
  if (resource.passthrough === undefined || resource.passthrough === null) return checked;
  if (kind === 'interceptor') {
    warnings.push(`${file}: ${name} declares passthrough, which is not supported on interceptors and will be ignored`);
    return checked;
  }
  const upstream = String(resource.passthrough);
  if (!upstreams.has(upstream)) throw new ImposterConfigError(`${file}: ${name} references unknown upstream ${JSON.stringify(upstream)}`);
  const ignored = (['response', 'steps', 'capture'] as const).filter((key) => raw[key] !== undefined);
  if (ignored.length > 0) {
    const list = ignored.join('/');
    warnings.push(`${file}: ${name} declares passthrough and also ${list}; passthrough takes precedence, and ${list} will be ignored`);
  }
  return checked;
}
