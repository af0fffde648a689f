// The gate between an `is` response and its templates. Templates run code, so they are rendered
// only with --allowInjection, like every other way of running a user's JavaScript. Without it
// the response is served as written, tags included, which is what mountebank does with the same
// imposter: existing imposters whose bodies happen to contain `<%` keep working unchanged.
import type { ProtocolRequest } from '../model/request.js';
import type { ResponseContext } from '../responses/compileResponse.js';
import { hasTemplateTags } from './parseTemplate.js';

/** A per-request reply builder, or undefined when the static reply serves this response. */
export function compileTemplatedIs(
  is: Record<string, unknown>,
  context: ResponseContext,
  source: unknown,
): ((request: ProtocolRequest) => unknown) | undefined {
  if (!context.allowInjection) {
    if (mentionsTemplate(is, context.defaultResponse)) {
      context.scripts.log.warn('a response holds EJS tags (<% %>) but --allowInjection is off: it is served as written, tags included');
    }
    return undefined;
  }
  return context.protocol.compileTemplatedReply?.(is, context.defaultResponse, source);
}

function mentionsTemplate(is: Record<string, unknown>, defaults: Record<string, unknown> | undefined): boolean {
  const fields = [is.body, is.headers, defaults?.body, defaults?.headers];
  return fields.some((f) => f !== undefined && hasTemplateTags(typeof f === 'string' ? f : JSON.stringify(f)));
}
