// The `request` a template sees: the request as recorded, with two conveniences a template
// needs and a predicate does not: header names in any case, and a JSON body as an object.
import type { ProtocolRequest } from '../model/request.js';
import { isPlainObject } from '../model/types.js';

export function templateRequest(request: ProtocolRequest): Record<string, unknown> {
  const view: Record<string, unknown> = { ...request };
  if (isPlainObject(request.headers)) view.headers = anyCaseHeaders(request.headers);
  if (typeof request.body === 'string') defineJsonBody(view, request.body);
  return view;
}

/** `request.headers['content-type']` finds `Content-Type` as the client sent it. */
function anyCaseHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  return new Proxy(headers, {
    get(target, name, receiver) {
      if (typeof name !== 'string' || name in target) return Reflect.get(target, name, receiver);
      const key = findKey(target, name);
      return key === undefined ? undefined : target[key];
    },
    has(target, name) {
      return name in target || (typeof name === 'string' && findKey(target, name) !== undefined);
    },
  });
}

function findKey(headers: Record<string, unknown>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const key of Object.keys(headers)) if (key.toLowerCase() === lower) return key;
  return undefined;
}

/**
 * A body holding a JSON object or array is parsed (the seed's "string or parsed JSON"), on
 * first use only, so templates that never read the body never parse it.
 */
function defineJsonBody(view: Record<string, unknown>, text: string): void {
  let value: unknown = text;
  let parsed = false;
  Object.defineProperty(view, 'body', {
    enumerable: true,
    configurable: true,
    get() {
      if (!parsed) {
        parsed = true;
        value = parseJsonBody(text);
      }
      return value;
    },
    set(next: unknown) {
      parsed = true;
      value = next;
    },
  });
}

function parseJsonBody(text: string): unknown {
  const first = text.trimStart().charCodeAt(0);
  if (first !== 123 /* { */ && first !== 91 /* [ */) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
