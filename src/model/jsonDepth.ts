// How deeply JSON given to standin may nest. Every walk over a definition (validation, copying,
// printing, JSON.stringify itself) recurses, so a body nested thousands deep would overflow the
// stack somewhere after it was accepted; and V8's JSON.parse takes seconds on a few MB of `[[[[`.
// Counting brackets in the text first refuses such a body before any of that runs.

/** Deep enough for any real imposter, far from where a recursive walk runs out of stack. */
export const MAX_JSON_DEPTH = 512;

/** True when `text` (JSON, or anything) opens more than `max` brackets outside strings at once. */
export function jsonNestedDeeperThan(text: string, max: number = MAX_JSON_DEPTH): boolean {
  // Nesting deeper than `max` needs more than `max` brackets; indexOf counts them at memchr speed,
  // so most bodies (and megabytes of text that is not JSON) skip the character-by-character walk.
  const squares = openingBrackets(text, '[', max);
  if (squares + openingBrackets(text, '{', max - squares) <= max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > max) return true;
    } else if (c === 93 /* ] */ || c === 125 /* } */) {
      depth--;
    }
  }
  return false;
}

/** How many times `bracket` occurs in `text`, counting no further than `limit` + 1. */
function openingBrackets(text: string, bracket: string, limit: number): number {
  let count = 0;
  for (let i = text.indexOf(bracket); i !== -1 && count <= limit; i = text.indexOf(bracket, i + 1)) count++;
  return count;
}

/**
 * JSON.parse for text a client sent (a request body, a header): text that nests arrays and
 * objects more than MAX_JSON_DEPTH levels deep is refused with a SyntaxError, as text that is
 * not JSON, before V8 parses it. V8's parse alone takes seconds on a few MB of `[[[[`, and every
 * recursive walk after it (normalizing, comparing, selecting) would overflow the stack.
 * mountebank's tryJSON reads such a body as text too, once its stack overflows (somewhere past a
 * few thousand levels, differently from run to run); here the limit is the same every time.
 */
export function parseClientJson(text: string): unknown {
  // Nesting deeper than the limit takes more characters than that: short text skips the count.
  if (text.length > MAX_JSON_DEPTH && text !== lastShallow) {
    if (jsonNestedDeeperThan(text)) throw new SyntaxError(`nested more than ${MAX_JSON_DEPTH} levels deep: read as text, not JSON`);
    lastShallow = text;
  }
  const parsed: unknown = JSON.parse(text);
  return parsed;
}

/**
 * The last long text found shallow enough: the predicates, behaviors and miss explanation of one
 * request parse the same body several times, and a large JSON body has brackets enough to be
 * walked whole each time. (Deep text is refused as soon as it is found deep.)
 */
let lastShallow: string | undefined;
