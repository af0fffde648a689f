// A canonical JSON string for deepEquals: object keys sorted (like safe-stable-stringify) and
// array elements sorted, so two values are deepEquals-equal exactly when their canonical strings
// are equal (arrays compared as multisets, mountebank's "sort then stringify").
import { isObjectLike } from '../model/plainObject.js';

export function canonical(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (!isObjectLike(value)) return 'null';
      if (Array.isArray(value)) {
        const parts = value.map((element) => canonical(element) ?? 'null');
        parts.sort();
        return `[${parts.join(',')}]`;
      } else {
        const parts: string[] = [];
        for (const key of Object.keys(value).sort()) {
          const text = canonical(value[key]);
          if (text !== undefined) parts.push(`${JSON.stringify(key)}:${text}`);
        }
        return `{${parts.join(',')}}`;
      }
    default:
      return undefined;
  }
}
