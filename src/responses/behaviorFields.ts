// Field checks for behavior configurations, with mountebank's messages:
// `copy behavior "using.method" field must be one of [regex, xpath, jsonpath]`.
import { validationError } from '../model/errors.js';
import { isPlainObject } from '../model/plainObject.js';

export class BehaviorFields {
  constructor(
    private readonly behavior: string,
    private readonly source: unknown,
  ) {}

  private fail(path: string, problem: string): never {
    throw validationError(`${this.behavior} behavior "${path}" field ${problem}`, this.source);
  }

  requiredString(value: unknown, path: string, context: string): string {
    if (value === undefined || value === null) this.fail(path, 'required');
    if (typeof value !== 'string') this.fail(path, `must be a string, representing ${context}`);
    return value;
  }

  /** An optional string: undefined when absent. */
  string(value: unknown, path: string, context: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') this.fail(path, `must be a string, representing ${context}`);
    return value;
  }

  object(value: unknown, path: string): Record<string, unknown> {
    if (value === undefined || value === null) this.fail(path, 'required');
    if (!isPlainObject(value)) this.fail(path, 'must be an object');
    return value;
  }

  oneOf<Allowed extends string>(value: unknown, path: string, allowed: readonly Allowed[]): Allowed {
    if (value === undefined || value === null) this.fail(path, 'required');
    const found = allowed.find((one) => one === value);
    if (found === undefined) this.fail(path, `must be one of [${allowed.join(', ')}]`);
    return found;
  }

  /** `from`: a request field name, or a one-key object path such as `{"query": "q"}`. */
  from(value: unknown, path: string): string | Record<string, unknown> {
    if (value === undefined || value === null) this.fail(path, 'required');
    if (typeof value === 'string') return value;
    if (!isPlainObject(value)) this.fail(path, 'must be a string or an object, representing the request field to select from');
    if (Object.keys(value).length !== 1) this.fail(path, 'must have exactly one key');
    const inner = Object.values(value)[0];
    if (typeof inner !== 'string' && !isPlainObject(inner)) {
      this.fail(path, 'must be a string or an object, representing the request field to select from');
    }
    return value;
  }

  nonNegativeInteger(value: unknown, path: string): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) this.fail(path, 'must be an integer greater than or equal to 0');
    return value;
  }
}
