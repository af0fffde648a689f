// Errors carried to the admin API as mountebank's envelope: {"errors":[{code, message, source?}]}.
export type ErrorCode =
  | 'bad data'
  | 'invalid injection'
  | 'resource conflict'
  | 'insufficient access'
  | 'invalid proxy'
  | 'no such resource'
  | 'invalid JSON'
  | 'communication'
  | 'cannot start server'
  | 'unauthorized';

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

  constructor(code: ErrorCode, message: string, source?: unknown, extra: Record<string, unknown> = {}) {
    super(message);
    this.name = 'StandinError';
    this.code = code;
    this.source = source;
    this.extra = extra;
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

export const validationError = (message: string, source?: unknown): StandinError =>
  new StandinError('bad data', message, source);

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
export function compileEach<T>(items: unknown[], compile: (item: unknown) => T): T[] {
  const compiled: T[] = [];
  const errors: StandinError[] = [];
  for (const item of items) {
    try {
      compiled.push(compile(item));
    } catch (err) {
      if (err instanceof ValidationFailure) errors.push(...err.errors);
      else errors.push(asStandinError(err));
    }
  }
  if (errors.length > 0) throw new ValidationFailure(errors);
  return compiled;
}
