// Running users' JavaScript: one sandbox (compile once, call with a time limit), the per-imposter
// scope scripts share, the `config` they receive, and how failures are reported. Used by every
// injection point (predicates, inject responses, decorate, wait, predicate generators) and meant
// for any later one (tcp's endOfRequestResolver): compileScript once, then runSync or runWithCallback.
export { compileScript, runSync, runWithCallback, InjectionSyntaxError, InjectionTimeoutError } from './sandbox.js';
export { createScriptScope, type ScriptScope } from './scriptScope.js';
export { cloneRequest, injectionConfig } from './injectionConfig.js';
export { deferCompileFailure, injectionFailure } from './injectionErrors.js';
export { compilePredicateInjection } from './predicateInjection.js';
export { INJECTION_MESSAGE, SHELL_MESSAGE } from './injectionMessages.js';
