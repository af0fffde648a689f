// The composition root: every protocol, response kind and imposter extension standin knows,
// assembled once here and handed to the core, which imports none of them. Read when an imposter
// or a stub compiles, never per request. Adding a response kind means adding it to this list
// (and its own folder); `public: false` keeps a kind out of what users may send.
import type { ImposterExtension, ResponseKind } from '../contracts/index.js';
import type { Registries } from '../core/compileImposter.js';
import { imposterKind } from '../imposterConfig/imposterResponse.js';
import { protocols } from '../protocols/registry.js';
import { proxyKind } from '../proxy/proxyResponse.js';
import { injectKind } from '../responses/injectResponse.js';
import { faultKind, isKind } from '../responses/isResponse.js';
import { riftExtension } from '../rift/compileRiftResponse.js';

export const responseKinds: readonly ResponseKind[] = [isKind, proxyKind, injectKind, faultKind, imposterKind];

/** Rift's `_rift` wraps the compilation of every response of the imposter. */
export const imposterExtensions: readonly ImposterExtension[] = [riftExtension];

export const registries: Registries = { protocols, responseKinds, imposterExtensions };
