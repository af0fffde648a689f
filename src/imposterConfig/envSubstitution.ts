// Imposter's load-time placeholders: `${env.NAME}` and `${env.NAME:-default}` replaced over the
// whole file text before it is parsed, as imposter-go does. Names are `[A-Z0-9_]` only; an unset
// variable without a default becomes empty, and `${env.NAME:-}` (empty default) is left as written.
const ENV_PLACEHOLDER = /\$\{env\.([A-Z0-9_]+)(?::-([^}]+))?\}/g;

export function substituteEnv(text: string, env: NodeJS.ProcessEnv): string {
  if (!text.includes('${env.')) return text;
  return text.replace(ENV_PLACEHOLDER, (_match, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (value !== undefined && value !== '') return value;
    return fallback ?? '';
  });
}
