import type { JsonValue } from './imposterDefinition.js';

// The check validation narrows JSON with: an object that is neither null nor an array.
export const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Any object, arrays included, read key by key (JSON walked field by field). */
export const isObjectLike = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** JSON as JSON.parse makes it: null, booleans, finite numbers, strings, and arrays and plain objects of those. */
export function isJsonValue(value: unknown): value is JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object':
      if (value === null) return true;
      if (Array.isArray(value)) return value.every(isJsonValue);
      return isPlainObject(value) && Object.values(value).every(isJsonValue);
    default:
      return false;
  }
}
