// The predicate compiler: mountebank 2.9.1 predicate semantics, compiled once, cheap per request.
export { compilePredicate, compilePredicates } from './compilePredicate.js';
export { MatchRequest } from './matchRequest.js';
export type { CompileOptions, RequestMatcher } from './types.js';
