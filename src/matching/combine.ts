// AND of several matchers without a loop for the usual one or two.
export type Check<T> = (request: T) => boolean;

export function allOf<T>(checks: readonly Check<T>[]): Check<T> {
  const [first, second] = checks;
  if (first === undefined) return () => true;
  if (second === undefined) return first;
  if (checks.length === 2) return (request) => first(request) && second(request);
  return (request) => {
    for (const check of checks) if (!check(request)) return false;
    return true;
  };
}
