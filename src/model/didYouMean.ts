// "Did you mean" hints for names a user typed: the closest known name by edit distance, when it
// is close enough to be a likely typo rather than a different word.

/** Levenshtein distance, case-insensitive (a wrong case is a typo of the same name). */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  if (x === y) return 0;
  let previous = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[y.length] ?? 0;
}

/**
 * The known name closest to `typed`, or undefined when none is close: at most a third of the
 * longer name's letters may differ (at least one), so `pth` suggests `path` but `body` suggests nothing
 * for `xyz`.
 */
export function didYouMean(typed: string, known: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const name of known) {
    const distance = editDistance(typed, name);
    const limit = Math.max(1, Math.floor(Math.max(typed.length, name.length) / 3));
    if (distance <= limit && distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` (did you mean "x"?)` or the empty string: for appending to an error or warning message. */
export function didYouMeanSuffix(typed: string, known: Iterable<string>): string {
  const suggestion = didYouMean(typed, known);
  return suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
}
