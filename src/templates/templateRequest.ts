// The `request` a template sees: the request as recorded, with two conveniences a template
// needs and a predicate does not: header names in any case, and a JSON body as an object.
import { parseClientJson } from '../model/jsonDepth.js';
import type { ProtocolRequest } from '../model/request.js';
import { isPlainObject } from '../model/plainObject.js';

export function templateRequest(request: ProtocolRequest): Record<string, unknown> {
  const view = new TemplateRequest(request);
  if (isPlainObject(request.headers)) view.headers = anyCaseHeaders(request.headers);
  return view;
}

/**
 * The request's fields as its own properties, except `body`: a body holding a JSON object or
 * array is parsed (the seed's "string or parsed JSON") on first use only, so templates that never
 * read the body never parse it. A class keeps this cheap; a getter defined per object is not.
 */
class TemplateRequest {
  [field: string]: unknown;
  #text: unknown;
  #parsed = false;
  #value: unknown;

  constructor(request: ProtocolRequest) {
    // `body` goes through the setter below; it is reset to "not parsed yet" after.
    Object.assign(this, request);
    this.#text = request.body;
    this.#parsed = false;
    this.#value = undefined;
  }

  get body(): unknown {
    if (!this.#parsed) {
      this.#parsed = true;
      this.#value = typeof this.#text === 'string' ? parseJsonBody(this.#text) : this.#text;
    }
    return this.#value;
  }

  set body(value: unknown) {
    this.#parsed = true;
    this.#value = value;
  }

  /** `JSON.stringify(request)` shows the body with the other fields. */
  toJSON(): Record<string, unknown> {
    return { ...this, body: this.body };
  }
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

function parseJsonBody(text: string): unknown {
  const first = text.trimStart().charCodeAt(0);
  if (first !== 123 /* { */ && first !== 91 /* [ */) return text;
  try {
    return parseClientJson(text);
  } catch {
    return text;
  }
}
