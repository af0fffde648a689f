// The check validation narrows JSON with: an object that is neither null nor an array.
export const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Any object, arrays included, read key by key (JSON walked field by field). */
export const isObjectLike = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
