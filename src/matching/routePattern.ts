// Rift's `routePattern` on a stub (`/users/:id`): names path segments, so scripts and templates
// read `request.pathParams.id`. Same number of segments, literal ones equal, or no parameters.

export type PathParams = (path: string) => Record<string, string>;

const NONE: Record<string, string> = Object.freeze<Record<string, string>>({});

export function compileRoutePattern(pattern: string): PathParams {
  const segments = pattern.split('/');
  const names = segments.map((s) => (s.startsWith(':') && s.length > 1 ? s.slice(1) : null));
  if (names.every((n) => n === null)) return () => NONE;
  return (path) => {
    const parts = path.split('/');
    if (parts.length !== segments.length) return NONE;
    const params: Record<string, string> = {};
    for (let i = 0; i < parts.length; i++) {
      const name = names[i];
      if (name === null || name === undefined) {
        if (parts[i] !== segments[i]) return NONE;
      } else params[name] = safeDecode(parts[i]!);
    }
    return params;
  };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
