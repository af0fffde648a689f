// Content negotiation on the admin port, as mountebank's express `res.format({json, html})` does
// it: the media type with the higher quality wins, then the one named earlier in Accept, then
// JSON (offered first). So no Accept header, `*/*` and `application/json, text/html` get JSON, and
// a browser, which ranks text/html above `*/*`, gets a page.

interface Range {
  type: string;
  subtype: string;
  q: number;
  order: number;
}

function parseAccept(header: string): Range[] {
  const ranges: Range[] = [];
  for (const part of header.split(',')) {
    const [media, ...params] = part.split(';');
    const [type, subtype] = (media ?? '').trim().toLowerCase().split('/');
    if (!type || !subtype) continue;
    let q = 1;
    for (const param of params) {
      const [name, value] = param.split('=');
      if (name?.trim().toLowerCase() === 'q') q = Number(value?.trim());
    }
    if (Number.isFinite(q)) ranges.push({ type, subtype, q, order: ranges.length });
  }
  return ranges;
}

interface Preference {
  q: number;
  specificity: number;
  order: number;
}

/** The range of Accept that decides for one media type: the most specific one that covers it. */
function preference(ranges: Range[], type: string, subtype: string): Preference {
  let best: Preference = { q: 0, specificity: -1, order: Infinity };
  for (const range of ranges) {
    const specificity = range.type === type && range.subtype === subtype ? 2 : range.type === type && range.subtype === '*' ? 1 : range.type === '*' ? 0 : -1;
    if (specificity > best.specificity) best = { q: range.q, specificity, order: range.order };
  }
  return best;
}

/** Whether an admin GET with this Accept header should get a page instead of JSON. */
export function prefersHtml(accept: string | undefined): boolean {
  if (accept === undefined || !accept.includes('html')) return false;
  const ranges = parseAccept(accept);
  const html = preference(ranges, 'text', 'html');
  const json = preference(ranges, 'application', 'json');
  if (html.q <= 0) return false;
  if (html.q !== json.q) return html.q > json.q;
  if (html.specificity !== json.specificity) return html.specificity > json.specificity;
  return html.order < json.order;
}
