// Go's duration syntax (`500ms`, `5s`, `1m30s`, `1.5h`), which Imposter uses for
// IMPOSTER_PASSTHROUGH_TIMEOUT, and Go's Duration.String() for the `took:` of the log line.
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, μs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/y;

/** Milliseconds, or undefined when the text is not a Go duration. */
export function parseGoDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  if (trimmed === '') return undefined;
  let position = 0;
  let total = 0;
  while (position < trimmed.length) {
    PART.lastIndex = position;
    const part = PART.exec(trimmed);
    if (!part) return undefined;
    total += Number(part[1]) * UNIT_MS[part[2]!]!;
    position = PART.lastIndex;
  }
  return total;
}

/** A millisecond count as Go prints a Duration rounded to the millisecond: `0s`, `62ms`, `1.234s`, `1m2.5s`. */
export function formatGoMillis(ms: number): string {
  const rounded = Math.round(ms);
  if (rounded === 0) return '0s';
  if (rounded < 1000) return `${rounded}ms`;
  const hours = Math.floor(rounded / 3_600_000);
  const minutes = Math.floor((rounded % 3_600_000) / 60_000);
  const seconds = (rounded % 60_000) / 1000;
  const secondsText = `${Number(seconds.toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${secondsText}`;
  if (minutes > 0) return `${minutes}m${secondsText}`;
  return secondsText;
}
