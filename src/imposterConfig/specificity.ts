// Imposter's specificity score (imposter-go's CalculateMatchScore), computed once per resource.
// Every condition a resource declares must hold for it to match, so its score is the same for
// every request it matches: sorting a file's resources by (score, non-wildcard first, declaration
// order) and taking the first that matches picks what imposter-go's best-match search picks.
import { isPlainObject } from '../model/plainObject.js';
import type { ResourceConfig } from './configModel.js';
import { bodyScore } from './matcherPredicates.js';
import type { PathPattern } from './pathPattern.js';

export interface Ranked<T> {
  item: T;
  score: number;
  wildcard: boolean;
  index: number;
}

const countKeys = (value: unknown): number => (isPlainObject(value) ? Object.keys(value).length : 0);

/** method +1, literal segment +1, mixed segment +2, placeholder 0, wildcard 0, each query/header +1, body +1 (allOf +N). */
export function specificityScore(resource: ResourceConfig, path: PathPattern | undefined): number {
  let score = resource.method ? 1 : 0;
  if (path) score += path.literalSegments + 2 * path.mixedSegments;
  score += countKeys(resource.queryParams) + countKeys(resource.requestHeaders);
  score += bodyScore(resource.requestBody);
  return score;
}

/**
 * Highest score first; on a tie a non-wildcard path beats a wildcard, then the first declared
 * wins. imposter-go never matches a score-0 resource (only `path: /*`); standin keeps it, last.
 */
export function bySpecificity<T>(ranked: Ranked<T>[]): Ranked<T>[] {
  return ranked.slice().sort((a, b) => b.score - a.score || Number(a.wildcard) - Number(b.wildcard) || a.index - b.index);
}
