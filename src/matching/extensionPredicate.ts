// The predicate operator an imposter extension supplies: Rift's `{"_rift": {"script": {...}}}`,
// a script whose `matches(ctx)` decides. Matching only knows where it may appear and that its
// check may read the request's flow state (MatchRequest.flowReads).
import { validationError } from '../model/errors.js';
import { isPlainObject } from '../model/plainObject.js';
import type { MatchRequest } from './matchRequest.js';

export const EXTENSION_OPERATOR = '_rift';

export type ExtensionPredicateCheck = (request: MatchRequest) => boolean;

/** The refusal where no extension compiles the operator (an Imposter-style config's interceptor). */
export function extensionOperatorRefused(predicate: Record<string, unknown>): never {
  throw validationError(`a '${EXTENSION_OPERATOR}' predicate (a script deciding the match) is not supported here`, predicate);
}

/** Whether `predicates` (a stub's array, or one predicate) use the operator anywhere, inside and/or/not too. */
export function usesExtensionOperator(predicates: unknown): boolean {
  if (Array.isArray(predicates)) return predicates.some(usesExtensionOperator);
  if (!isPlainObject(predicates)) return false;
  if (predicates[EXTENSION_OPERATOR] !== undefined) return true;
  return usesExtensionOperator(predicates.and) || usesExtensionOperator(predicates.or) || usesExtensionOperator(predicates.not);
}
