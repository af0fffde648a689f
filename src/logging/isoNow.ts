// `new Date().toISOString()` costs most of a microsecond; log lines and recorded requests ask
// for it on every request. The string only changes once per millisecond, so reuse it.
let lastMs = -1;
let lastIso = '';

export function isoNow(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastIso = new Date(now).toISOString();
  }
  return lastIso;
}
