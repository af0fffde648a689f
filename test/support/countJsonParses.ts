// Runs `work` while counting JSON.parse calls, to check that a body is parsed once per request.
export function countJsonParses<T>(work: () => T): { result: T; parses: number } {
  const parse = JSON.parse;
  let parses = 0;
  JSON.parse = ((text: string, reviver?: (this: unknown, key: string, value: unknown) => unknown) => {
    parses++;
    return parse(text, reviver);
  }) as typeof JSON.parse;
  try {
    return { result: work(), parses };
  } finally {
    JSON.parse = parse;
  }
}
