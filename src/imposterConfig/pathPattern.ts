// An Imposter resource path (`/users/{id}`, `/files/{name}.{ext}`, `/users/*`) compiled once into
// the regex its stub matches the raw request path with, the names of its placeholders, and the
// segment counts Imposter's specificity score is made of. As imposter-go: leading and trailing
// slashes do not count (`/users/` is `/users`), literals are case-sensitive, a trailing `*` is a
// wildcard that also matches the bare prefix, and a `*` anywhere else is a literal.
export interface PathPattern {
  /** Anchored regex source for a case-sensitive `matches` predicate on `path`. */
  readonly source: string;
  /** Placeholder names, in the order of the regex's capture groups. */
  readonly params: readonly string[];
  readonly literalSegments: number;
  /** Segments that mix literal text and placeholders, such as `{id}.json`. */
  readonly mixedSegments: number;
  readonly wildcard: boolean;
}

const PLACEHOLDER = /\{([^{}]+)\}/g;
const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function compilePathPattern(path: string): PathPattern {
  const trimmed = path.replace(/^\/+/, '').replace(/\/+$/, '');
  const segments = trimmed === '' ? [] : trimmed.split('/');
  const params: string[] = [];
  let literalSegments = 0;
  let mixedSegments = 0;
  let wildcard = false;
  const parts: string[] = [];
  segments.forEach((segment, index) => {
    if (segment === '*' && index === segments.length - 1) {
      wildcard = true;
      return;
    }
    const whole = /^\{([^{}]+)\}$/.exec(segment);
    if (whole) {
      params.push(whole[1]!);
      parts.push('([^/]+)');
      return;
    }
    if (!segment.includes('{')) {
      literalSegments++;
      parts.push(escapeRegex(segment));
      return;
    }
    mixedSegments++;
    let regex = '';
    let last = 0;
    for (const match of segment.matchAll(PLACEHOLDER)) {
      regex += escapeRegex(segment.slice(last, match.index)) + '([^/]*?)';
      params.push(match[1]!);
      last = match.index + match[0].length;
    }
    parts.push(regex + escapeRegex(segment.slice(last)));
  });
  const prefix = parts.length > 0 ? `/${parts.join('/')}` : '';
  const source = wildcard ? `^${prefix}(?:/.*)?$` : `^${prefix || ''}/?$`;
  return { source, params, literalSegments, mixedSegments, wildcard };
}

/** The placeholder values of a path that matched the pattern, URL-decoded (undefined when it does not match). */
export function pathParamsOf(regex: RegExp, params: readonly string[], path: string): Record<string, string> | undefined {
  const match = regex.exec(path);
  if (!match) return undefined;
  const values: Record<string, string> = {};
  params.forEach((name, i) => {
    const raw = match[i + 1] ?? '';
    try {
      values[name] = decodeURIComponent(raw);
    } catch {
      values[name] = raw;
    }
  });
  return values;
}
