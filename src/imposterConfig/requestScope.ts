// What templates and captures read from one request: Imposter's `context.request.*` view of the
// normalized http request (first values, case-insensitive header names, decoded path
// placeholders), and the request-scoped `request` store. Built lazily: a static response never
// pays for it.
import { RAW_HTTP, type HttpRequest } from '../model/request.js';

export class RequestScope {
  /** Imposter's `request` store: lives for this request only. */
  readonly requestStore = new Map<string, unknown>();
  private lowerHeaders: Map<string, string> | undefined;

  constructor(
    readonly request: HttpRequest,
    /** Placeholder values of the matched resource's path, when it has any. */
    public pathParams: Record<string, string>,
  ) {}

  get method(): string {
    return this.request.method;
  }

  get path(): string {
    return this.request.path;
  }

  get body(): string {
    return this.request.body;
  }

  /** The full request URI, as Imposter's `context.request.uri`. */
  get uri(): string {
    const target = this.request[RAW_HTTP]?.url ?? this.request.path;
    const host = this.header('host') ?? 'localhost';
    return `http://${host}${target}`;
  }

  header(name: string): string | undefined {
    if (!this.lowerHeaders) {
      this.lowerHeaders = new Map();
      for (const [key, value] of Object.entries(this.request.headers)) {
        const first = Array.isArray(value) ? value[0] : value;
        if (first !== undefined && !this.lowerHeaders.has(key.toLowerCase())) this.lowerHeaders.set(key.toLowerCase(), first);
      }
    }
    return this.lowerHeaders.get(name.toLowerCase());
  }

  queryParam(name: string): string | undefined {
    const value = Object.hasOwn(this.request.query, name) ? this.request.query[name] : undefined;
    return Array.isArray(value) ? value[0] : value;
  }

  formParam(name: string): string | undefined {
    const form = this.request.form;
    const value = form && Object.hasOwn(form, name) ? form[name] : undefined;
    return Array.isArray(value) ? value[0] : value;
  }

  pathParam(name: string): string | undefined {
    return Object.hasOwn(this.pathParams, name) ? this.pathParams[name] : undefined;
  }
}
