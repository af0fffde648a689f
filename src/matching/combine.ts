// AND of several matchers without a loop for the usual one or two.
export type Check<T> = (request: T) => boolean;

export function allOf<T>(checks: readonly Check<T>[]): Check<T> {
  switch (checks.length) {
    case 0:
      return () => true;
    case 1:
      return checks[0] as Check<T>;
    case 2: {
      const [first, second] = checks as [Check<T>, Check<T>];
      return (request) => first(request) && second(request);
    }
    default:
      return (request) => {
        for (const check of checks) if (!check(request)) return false;
        return true;
      };
  }
}
