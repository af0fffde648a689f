// Validates an imposter definition and compiles it, collecting every error it finds, as
// mountebank reports them all at once. Nothing here listens on a socket.
import type { CompiledExtension, ImposterExtension, ProtocolAdapter, ResponseCompiler, ResponseKind } from '../contracts/index.js';
import { compilePredicateInjection, createScriptScope } from '../injection/index.js';
import type { Logger } from '../logging/logger.js';
import { didYouMeanSuffix } from '../model/didYouMean.js';
import { asStandinError, StandinError, ValidationFailure, validationError } from '../model/errors.js';
import { imposterFieldWarnings } from '../model/fieldWarnings.js';
import { isPlainObject } from '../model/plainObject.js';
import { upcastImposter } from '../model/upcast.js';
import { Imposter, refuseDuplicateIds, reportFieldWarnings, type ImposterSettings } from './imposter.js';
import { responseFieldsOf, type CompileOrigin, type StubContext } from './stub.js';
import { compileResponse } from '../responses/compileResponse.js';

/** What an imposter can be made of, assembled once by the composition root (server/registries.ts). */
export interface Registries {
  /** Protocols by the name used in an imposter's `protocol` field. */
  protocols: ReadonlyMap<string, ProtocolAdapter>;
  /** The response kinds, each named by its top-level key. */
  responseKinds: readonly ResponseKind[];
  /** Top-level imposter fields owned by an extension (`_rift`), compiled for every imposter. */
  imposterExtensions: readonly ImposterExtension[];
}

export function parsePort(value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^\d+$/.test(text)) return NaN;
  const port = Number(text);
  return port > 0 && port < 65536 ? port : NaN;
}

/**
 * Compiles `raw`; `origin` says where it was read from (a --configfile's scripts are read from its
 * folder). Only `internal` definitions (written by standin's own Imposter-config loader, not
 * sent by a user) may use kinds that are not `public`, such as `_imposter`, which reads files; for
 * any other, mountebank's 400 `unrecognized response type`. Stubs edited later through the admin
 * API are users' too, whatever the imposter's origin.
 */
export function compileImposter(raw: unknown, registries: Registries, settings: ImposterSettings, logger: Logger, origin: CompileOrigin = {}): Imposter {
  if (!isPlainObject(raw)) throw new ValidationFailure([validationError('an imposter must be a JSON object', raw)]);
  const errors: StandinError[] = [];
  const config = upcastImposter(raw);

  // Rift's configurations (seed 002's quota and circuit breaker) leave out the protocol: http.
  if ((config.protocol === undefined || config.protocol === null) && config._rift !== undefined) config.protocol = 'http';
  const protocolName = config.protocol;
  let protocol: ProtocolAdapter | undefined;
  if (protocolName === undefined || protocolName === null || protocolName === '') {
    errors.push(validationError("'protocol' is a required field"));
  } else {
    // Any JSON may arrive here: an object whose `toString` is not a function cannot be String()ed.
    const name = typeof protocolName === 'object' ? JSON.stringify(protocolName) : String(protocolName);
    protocol = registries.protocols.get(name);
    if (!protocol) {
      const known = [...registries.protocols.keys()];
      const hint = `${didYouMeanSuffix(name, known)}; the protocols are ${known.join(', ')}`;
      errors.push(validationError(`the ${name} protocol is not yet supported${hint}`));
    }
  }

  const port = parsePort(config.port);
  if (Number.isNaN(port)) {
    errors.push(
      validationError(`invalid value for 'port': ${JSON.stringify(config.port)}; a port is an integer from 1 to 65535, or leave it out to get a free one`),
    );
  } else if (port !== undefined) config.port = port;

  if (config.name !== undefined && typeof config.name !== 'string') errors.push(validationError("'name' must be a string"));
  if (config.stubs !== undefined && !Array.isArray(config.stubs)) errors.push(validationError("'stubs' must be an array"));
  if (config.defaultResponse !== undefined && !isPlainObject(config.defaultResponse)) {
    errors.push(validationError("'defaultResponse' must be an object"));
  }
  if (!protocol || errors.length > 0) throw new ValidationFailure(errors);

  const defaultResponse = isPlainObject(config.defaultResponse) ? config.defaultResponse : undefined;
  const stubConfigs: unknown[] = Array.isArray(config.stubs) ? config.stubs : [];
  delete config.stubs;
  settings.scale?.refuse?.(config, stubConfigs);
  const responseFields = responseFieldsOf(registries.responseKinds, registries.imposterExtensions);
  const warnings = imposterFieldWarnings(protocol.name, config, stubConfigs, responseFields);
  // mountebank's log scope, `[http:4545 name] `; the port is known only once it listens.
  const scope = `${protocol.name}:`;
  const scopeName = typeof config.name === 'string' ? ` ${config.name}` : '';
  let imposter: Imposter | undefined;
  const log = logger.scoped(() => `[${scope}${imposter?.port ?? port ?? 0}${scopeName}] `);
  // One script scope per imposter: its `state` lives as long as the imposter, across stub edits.
  const scripts = createScriptScope(log, settings.injectionTimeout, settings.stallLimit);
  if (protocol.configure) {
    try {
      protocol = protocol.configure(config, { allowInjection: settings.allowInjection, scripts });
    } catch (err) {
      throw err instanceof ValidationFailure ? err : new ValidationFailure([asStandinError(err)]);
    }
    // An imposter-level script that does not compile (tcp's endOfRequestResolver).
    for (const warning of scripts.compileWarnings.splice(0)) log.warn(warning);
  }
  const encoding = protocol.predicateEncoding ?? 'utf8';
  const context: StubContext = {
    protocol,
    defaultResponse,
    allowInjection: settings.allowInjection,
    scriptsDir: settings.scriptsDir,
    proxyTimeout: settings.proxyTimeout,
    scripts,
    kinds: registries.responseKinds.filter((kind) => kind.public),
    internalKinds: registries.responseKinds,
    instance: settings.instance,
    compileResponse,
    extensions: [],
    responseFields,
    inspectors: new Map(),
    predicates: settings.allowInjection
      ? { encoding, stallMs: settings.stallLimit, compileInject: (source, predicate) => compilePredicateInjection(source, predicate, scripts) }
      : { encoding, stallMs: settings.stallLimit },
  };
  try {
    const keyed = registries.imposterExtensions.map((extension) => [extension.key, extension.compile(config[extension.key], log)] as const);
    const extensions = keyed.map(([, compiled]) => compiled);
    context.extensions = extensions;
    context.inspectors = new Map(keyed.flatMap(([key, compiled]) => (compiled.inspect ? [[key, () => compiled.inspect!()] as const] : [])));
    context.compileResponse = wrapCompile(extensions);
    // An extension's predicate operator (Rift's script predicate); stubs bind their own context to it.
    const predicateExtension = extensions.find((extension) => extension.predicate !== undefined)?.predicate;
    if (predicateExtension !== undefined) {
      context.predicateExtension = predicateExtension;
      const shared = { allowInjection: settings.allowInjection, scriptsDir: settings.scriptsDir, stallMs: settings.stallLimit };
      context.predicates.compileExtension = (value, predicate, explaining) => predicateExtension(value, predicate, shared, explaining);
    }
    // The constructor compiles the defaultResponse, which may be refused.
    imposter = new Imposter(config, port ?? 0, protocol, [], context, settings, log);
  } catch (err) {
    throw new ValidationFailure([asStandinError(err)]);
  }

  try {
    const stubs = imposter.compileStubs(stubConfigs, origin);
    refuseDuplicateIds(stubs);
    imposter.stubs = stubs;
  } catch (err) {
    if (err instanceof StandinError) errors.push(err);
    else if (err instanceof ValidationFailure) errors.push(...err.errors);
    else throw err;
  }
  if (errors.length > 0) throw new ValidationFailure(errors);
  reportFieldWarnings(warnings, settings.strict === true, log);
  return imposter;
}

/** compileResponse inside each extension's wrapper, the first extension outermost (undici's compose). */
function wrapCompile(extensions: readonly CompiledExtension[]): ResponseCompiler {
  let compile: ResponseCompiler = compileResponse;
  for (let i = extensions.length - 1; i >= 0; i--) {
    const wrap = extensions[i]!.wrapResponses;
    if (wrap) compile = wrap(compile);
  }
  return compile;
}
