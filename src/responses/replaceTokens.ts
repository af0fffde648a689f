// Token replacement for copy and lookup: every string value and every object key of the
// response, at any depth, goes through `replace` (mountebank's globalObjectReplace).
import { isObjectLike } from '../model/plainObject.js';

export function replaceEverywhere(record: unknown, replace: (text: string) => string): void {
  if (!isObjectLike(record)) return;
  let renames: [string, string][] | undefined;
  for (const key of Object.keys(record)) {
    const value = record[key];
    if (typeof value === 'string') record[key] = replace(value);
    else if (value !== null && typeof value === 'object') replaceEverywhere(value, replace);
    if (!Array.isArray(record)) {
      const renamed = replace(key);
      if (renamed !== key) (renames ??= []).push([key, renamed]);
    }
  }
  if (renames) {
    for (const [from, to] of renames) {
      record[to] = record[from];
      delete record[from];
    }
  }
}

/** `text` with every occurrence of `token` replaced (a no-op when nothing would change). */
export function replaceAll(text: string, token: string, value: string): string {
  return token === value || !text.includes(token) ? text : text.split(token).join(value);
}
