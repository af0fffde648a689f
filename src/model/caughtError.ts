// What a caught value says about itself. `catch (err)` gives `unknown`: Node's errors carry a
// `message` and, for system calls, a `code` (ENOENT, EADDRINUSE); these read them without a cast.
// An error from another realm (a node:vm sandbox) is not `instanceof Error`, so they look at fields.

/** The caught error's message; any other thrown value as text. */
export function errorMessage(err: unknown): string {
  return typeof err === 'object' && err !== null && 'message' in err ? String(err.message) : String(err);
}

/** The caught error's stack trace when it has one, else as errorMessage would not: the value as text. */
export function errorStack(err: unknown): string {
  return typeof err === 'object' && err !== null && 'stack' in err && err.stack !== undefined && err.stack !== null ? String(err.stack) : String(err);
}

/** A system error's code (`ENOENT`, `EADDRINUSE`, ...), when it has one. */
export function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}
