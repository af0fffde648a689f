// Compiles the loaded Imposter config documents into one ordinary http imposter definition:
//   1. a stub for /system/* (answered before anything else, never forwarded);
//   2. per document, in file order: its interceptors without `continue` (declaration order),
//      then its resources ordered by Imposter's specificity (exact > placeholder > wildcard);
//   3. a last stub answering Imposter's 404.
// `continue: true` interceptors are not stubs of their own: each stub after them carries them
// (`_imposter.before`) and runs those whose predicates match, as Imposter runs every matching one.
import { posix } from 'node:path';
import { isPlainObject } from '../model/plainObject.js';
import type { LoadedDocument, ResourceConfig } from './configModel.js';
import { bodyPredicates, mapPredicates, methodPredicate, pathPredicate } from './matcherPredicates.js';
import { fileInsideDir } from './configDirFile.js';
import { compilePathPattern, type PathPattern } from './pathPattern.js';
import { bySpecificity, specificityScore, type Ranked } from './specificity.js';
import { describeResource, validateDocument, type NamedUpstream } from './validateConfig.js';

export interface CompileSettings {
  port: number;
  /** `${system.server.url}`. */
  serverUrl: string;
  /** IMPOSTER_PASSTHROUGH_TIMEOUT, in milliseconds. */
  passthroughTimeoutMs: number;
  /** IMPOSTER_PASSTHROUGH_FORWARDED_HEADERS=true. */
  forwardedHeaders: boolean;
  /** IMPOSTER_PASSTHROUGH_TLS_VERIFY (true unless "false"). */
  verifyTls: boolean;
  name: string;
}

export interface CompiledConfig {
  /** A mountebank imposter definition, for the registry like any other. */
  imposter: Record<string, unknown>;
  warnings: string[];
}

type Json = Record<string, unknown>;

const SYSTEM_STUB: Json = {
  predicates: [pathPredicate('^/system(?:/.*)?$')],
  responses: [{ _imposter: { source: 'Imposter system endpoints', system: true } }],
};

export function compileConfig(documents: readonly LoadedDocument[], settings: CompileSettings): CompiledConfig {
  const warnings: string[] = [];
  const stubs: Json[] = [SYSTEM_STUB];
  const before: Json[] = [];
  const listed: string[] = [];

  for (const document of documents) {
    const { basePath, upstreams, interceptors, resources } = validateDocument(document, warnings);
    interceptors.forEach((interceptor) => {
      const step = compileStep(document, 'interceptor', interceptor, basePath, settings);
      if (interceptor.continue === true || interceptor.continue === 'true') {
        before.push({ predicates: step.predicates, ...step.spec });
        return;
      }
      stubs.push(stubOf(step.predicates, step.spec, before));
    });

    const ranked: Ranked<ResourceConfig>[] = resources.map((resource, index) => {
      const path = typeof resource.path === 'string' ? compilePathPattern(joinBase(basePath, resource.path)) : undefined;
      return { item: resource, score: specificityScore(resource, path), wildcard: path?.wildcard ?? false, index };
    });
    for (const { item: resource } of bySpecificity(ranked)) {
      const step = compileStep(document, 'resource', resource, basePath, settings);
      if (resource.passthrough !== undefined && resource.passthrough !== null) {
        step.spec = passthroughSpec(step.source, upstreams.get(String(resource.passthrough))!, String(resource.passthrough), settings);
      }
      stubs.push(stubOf(step.predicates, step.spec, before));
      listed.push(`${resource.method ?? 'ANY'} ${joinBase(basePath, resource.path ?? '/')}`);
    }
  }

  stubs.push(stubOf([], notFoundSpec(listed, settings), before));
  return { imposter: { protocol: 'http', port: settings.port, name: settings.name, stubs }, warnings };
}

function stubOf(predicates: Json[], spec: Json, before: readonly Json[]): Json {
  const response = before.length > 0 ? { ...spec, before: before.slice() } : spec;
  return { predicates, responses: [{ _imposter: response }] };
}

function joinBase(basePath: string | undefined, path: string): string {
  return basePath ? posix.join('/', basePath, path) : path;
}

interface CompiledStep {
  predicates: Json[];
  spec: Json;
  /** Where the step was written (also the spec's `source`). */
  source: string;
}

function compileStep(
  document: LoadedDocument,
  kind: 'resource' | 'interceptor',
  resource: ResourceConfig,
  basePath: string | undefined,
  settings: CompileSettings,
): CompiledStep {
  const source = `${document.file}: ${describeResource(kind, resource)}`;
  const predicates: Json[] = [];
  if (typeof resource.method === 'string') predicates.push(methodPredicate(resource.method));
  let pattern: PathPattern | undefined;
  let path: string | undefined;
  if (typeof resource.path === 'string') {
    path = joinBase(basePath, resource.path);
    pattern = compilePathPattern(path);
    predicates.push(pathPredicate(pattern.source));
  }
  predicates.push(...mapPredicates('queryParams', resource.queryParams, source));
  predicates.push(...mapPredicates('requestHeaders', resource.requestHeaders, source));
  predicates.push(...bodyPredicates(withSystemNamespaces(resource.requestBody, document), source));

  const spec: Json = { source };
  if (pattern && pattern.params.length > 0) spec.path = path;
  if (resource.capture !== undefined) spec.capture = resource.capture;
  if (resource.response !== undefined && resource.response !== null) {
    const response = { ...(resource.response as Json) };
    if (typeof response.file === 'string') response.file = resolveResponseFile(document, response.file, source);
    spec.response = response;
  }
  if (needsServerUrl(spec)) spec.serverUrl = settings.serverUrl;
  return { predicates, spec, source };
}

function needsServerUrl(spec: Json): boolean {
  return (isPlainObject(spec.response) && spec.response.template === true) || spec.capture !== undefined;
}

/** `system.xmlNamespaces` apply to every xPath matcher of the document. */
function withSystemNamespaces(body: unknown, document: LoadedDocument): unknown {
  const system = document.config.system;
  const namespaces = isPlainObject(system) ? system.xmlNamespaces : undefined;
  if (!isPlainObject(body) || typeof body.xPath !== 'string' || !isPlainObject(namespaces)) return body;
  return { ...body, xmlNamespaces: { ...namespaces, ...(isPlainObject(body.xmlNamespaces) ? body.xmlNamespaces : {}) } };
}

/** Relative to the config file's directory, and never outside it, symbolic links followed (imposter-go's traversal check, on the real path). */
function resolveResponseFile(document: LoadedDocument, file: string, source: string): string {
  return fileInsideDir(document.dir, file, `${source}: response file`);
}

function passthroughSpec(source: string, upstream: NamedUpstream, name: string, settings: CompileSettings): Json {
  return {
    source,
    passthrough: {
      upstream: name,
      url: upstream.url,
      timeoutMs: settings.passthroughTimeoutMs,
      forwardedHeaders: settings.forwardedHeaders,
      // Only the opt-out is written: a saved config without it checks certificates.
      ...(settings.verifyTls ? {} : { verifyTls: false }),
    },
  };
}

function notFoundSpec(listed: readonly string[], settings: CompileSettings): Json {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\$/g, '&#36;');
  const items = listed.map((r) => `<li>${escape(r)}</li>`).join('');
  const content =
    '<html><head><title>Not found</title></head><body><h3>Resource not found</h3>' +
    '<p>No resource exists for: <code>${context.request.method} ${context.request.path}</code></p>' +
    `<p>The available resources are:</p><ul>${items}</ul></body></html>`;
  return {
    source: 'Imposter not found page',
    response: { statusCode: 404, content, template: true, headers: { 'Content-Type': 'text/html' } },
    serverUrl: settings.serverUrl,
  };
}
