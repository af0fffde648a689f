// Errors carried to the user as mountebank's envelope: {"errors":[{code, message, source?}]}.

/**
 * Every error code standin answers with: the HTTP status it is sent with and the message when
 * none more specific is given. docs/admin-api.md lists them all (a test checks).
 */
export const ERROR_CATALOG = {
  'bad data': { status: 400, message: 'the definition is not valid' },
  'invalid JSON': { status: 400, message: 'Unable to parse body as JSON' },
  'invalid injection': { status: 400, message: 'JavaScript injection is not allowed unless mb is run with the --allowInjection flag' },
  'resource conflict': { status: 400, message: 'the port is already in use' },
  'cannot start server': { status: 400, message: 'the server cannot listen' },
  unauthorized: { status: 401, message: 'a valid API key is required' },
  'insufficient access': { status: 403, message: 'not allowed to listen on that port' },
  'no such resource': { status: 404, message: 'no such resource' },
  // A body past --bodyLimit or --adminBodyLimit.
  'payload too large': { status: 413, message: 'the request body is too large' },
  // At request time, answered by the imposter itself.
  'invalid proxy': { status: 500, message: 'the origin did not answer' },
  'internal error': { status: 500, message: 'standin failed to answer; the imposter keeps running' },
  // Rift's `_rift.script` failures.
  'script error': { status: 500, message: 'the script failed' },
  'script timeout': { status: 500, message: 'the script ran past its time limit' },
  'flow state unavailable': { status: 503, message: 'the flow store cannot be reached' },
  // Rift's disabled imposter (POST /imposters/:id/disable), answered by the imposter itself.
  'imposter disabled': { status: 503, message: 'Imposter is disabled' },
  'fleet unavailable': { status: 503, message: "the fleet's Redis cannot be reached; imposters cannot change until it is back" },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOG;

/** A code of the catalog (an answer's `code` read back, as the admin client does). */
export const isErrorCode = (code: unknown): code is ErrorCode => typeof code === 'string' && Object.hasOwn(ERROR_CATALOG, code);

export interface ErrorBody {
  code: string;
  message: string;
  source?: unknown;
  [extra: string]: unknown;
}

export class StandinError extends Error {
  readonly code: ErrorCode;
  readonly source: unknown;
  readonly extra: Record<string, unknown>;
  /** HTTP status for the admin API when it is not the code's usual one. */
  status: number | undefined;
  /**
   * Where the error was found, outermost first: the indexes compileEach compiled it under, e.g.
   * [imposter, stub] for a bad predicate in a config file. Not part of the JSON answer.
   */
  readonly location: number[] = [];

  constructor(code: ErrorCode, message: string = ERROR_CATALOG[code].message, source?: unknown, extra: Record<string, unknown> = {}) {
    super(message);
    this.name = 'StandinError';
    this.code = code;
    this.source = source;
    this.extra = extra;
  }

  /** The status the admin API answers with: the catalog's, unless withStatus chose another. */
  get httpStatus(): number {
    return this.status ?? ERROR_CATALOG[this.code].status;
  }

  withStatus(status: number): this {
    this.status = status;
    return this;
  }

  toJSON(): ErrorBody {
    const body: ErrorBody = { code: this.code, message: this.message };
    if (this.source !== undefined) body.source = this.source;
    return Object.assign(body, this.extra);
  }
}

export const validationError = (message: string, source?: unknown): StandinError => new StandinError('bad data', message, source);

/** Several validation errors found in one pass: mountebank reports them all at once. */
export class ValidationFailure extends Error {
  readonly errors: StandinError[];
  constructor(errors: StandinError[]) {
    super(errors.map((e) => e.message).join('; '));
    this.name = 'ValidationFailure';
    this.errors = errors;
  }
}

/** Any thrown value as one StandinError, for collecting several into a ValidationFailure. */
export function asStandinError(err: unknown): StandinError {
  if (err instanceof StandinError) return err;
  if (err instanceof ValidationFailure) return err.errors[0] ?? validationError(err.message);
  return validationError(err instanceof Error ? err.message : String(err));
}

/**
 * Compiles every item, collecting every error instead of stopping at the first (mountebank
 * reports them all), and throws them together as one ValidationFailure.
 */
export function compileEach<Item, T>(items: readonly Item[], compile: (item: Item) => T): T[] {
  const compiled: T[] = [];
  const errors: StandinError[] = [];
  for (const [index, item] of items.entries()) {
    try {
      compiled.push(compile(item));
    } catch (err) {
      const found = err instanceof ValidationFailure ? err.errors : [asStandinError(err)];
      for (const error of found) error.location.unshift(index);
      errors.push(...found);
    }
  }
  if (errors.length > 0) throw new ValidationFailure(errors);
  return compiled;
}
