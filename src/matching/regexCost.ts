// How badly a JavaScript regular expression can backtrack, read off its source once when a stub
// is compiled. V8's engine backtracks: `^(a+)+$` takes exponential time on 30 a's and a `!`, and
// even `[a-z]+$` takes time quadratic in the text when nothing matches (every start position
// scans the rest). A backtracking run costs at most about n^degree steps, where:
// - each unbounded quantifier (`*`, `+`, `{n,}`) adds 1 (it can try every split of the text);
// - a search not anchored at the start adds 1 (it retries from every position);
// - a repeated group that holds a quantifier or an alternation (`(a+)+`, `(a|ab)*`) can split the
//   same text in exponentially many ways: degree Infinity.
// Nothing is exact here on purpose: a pattern rated too high only costs a slower, linear engine.

export interface RegexCost {
  /** Exponent of the worst-case backtracking cost in the text's length; Infinity = exponential. */
  readonly degree: number;
  /** Backreferences or lookarounds: features the linear engine does not have. */
  readonly needsBacktracking: boolean;
}

interface Group {
  /** Quantifiers or alternations seen inside (directly or nested). */
  ambiguous: boolean;
  lookaround: boolean;
}

/** Scans `source` as JavaScript regex syntax (without the u/v flags); never throws. */
export function regexCost(source: string, flags: string): RegexCost {
  let unbounded = 0;
  let exponential = false;
  let needsBacktracking = false;
  const stack: Group[] = [{ ambiguous: false, lookaround: false }];
  // What the last atom was, so that a quantifier after it knows whether it repeats a group.
  let lastGroup: Group | null = null;
  let topLevelAlternation = false;
  let i = 0;
  const markAmbiguous = () => {
    for (const group of stack) group.ambiguous = true;
  };
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\\') {
      const next = source[i + 1] ?? '';
      if (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<')) needsBacktracking = true;
      i += 2;
      lastGroup = null;
      continue;
    }
    if (c === '[') {
      i = classEnd(source, i);
      lastGroup = null;
      continue;
    }
    if (c === '(') {
      const group: Group = { ambiguous: false, lookaround: /^\(\?(?:=|!|<=|<!)/.test(source.slice(i, i + 4)) };
      if (group.lookaround) needsBacktracking = true;
      stack.push(group);
      // Skip the group's prefix, whose `?` is no quantifier: (?: (?= (?! (?<= (?<! (?<name>
      const prefix = /^\(\?(?::|=|!|<=|<!|<[^>]*>)?/.exec(source.slice(i, i + 64))?.[0] ?? '(';
      i += prefix.length === 2 && source[i + 1] === '?' ? 1 : prefix.length;
      lastGroup = null;
      continue;
    }
    if (c === ')') {
      const group = stack.length > 1 ? stack.pop()! : null;
      lastGroup = group;
      i += 1;
      continue;
    }
    if (c === '|') {
      if (stack.length === 1) topLevelAlternation = true;
      markAmbiguous();
      i += 1;
      lastGroup = null;
      continue;
    }
    const quantifier = quantifierAt(source, i);
    if (quantifier) {
      if (quantifier.max > 1 && lastGroup?.ambiguous) exponential = true;
      // A wide bounded range (`{0,1000}`) backtracks like an unbounded one.
      if (quantifier.max - quantifier.min > 16) unbounded += 1;
      markAmbiguous();
      i = quantifier.end;
      lastGroup = null;
      continue;
    }
    i += 1;
    lastGroup = null;
  }
  const anchored = source.startsWith('^') && !topLevelAlternation && !flags.includes('m');
  return { degree: exponential ? Infinity : unbounded + (anchored ? 0 : 1), needsBacktracking };
}

/** Index just past the character class starting at `start` ('['). */
function classEnd(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === '^') i += 1;
  // In JavaScript (unlike RE2) `[]` is an empty class and `]` right after `[` closes it.
  while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
  return i + 1;
}

function quantifierAt(source: string, i: number): { min: number; max: number; end: number } | null {
  const c = source[i];
  let min = 0;
  let max: number;
  let end: number;
  if (c === '*' || c === '+') {
    min = c === '+' ? 1 : 0;
    max = Infinity;
    end = i + 1;
  } else if (c === '?') {
    max = 1;
    end = i + 1;
  } else if (c === '{') {
    const braces = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i));
    if (!braces) return null;
    min = Number(braces[1]);
    max = braces[2] === undefined ? min : braces[3] === '' ? Infinity : Number(braces[3]);
    end = i + braces[0].length;
  } else return null;
  if (source[end] === '?') end += 1; // lazy: same cost
  return { min, max, end };
}
