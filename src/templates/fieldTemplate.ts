// One field of a response (its body, one header value) as a template: compile errors refuse the
// response with a 400 naming the field; a render that throws becomes the 500 the adapter answers.
import { StandinError, validationError } from '../model/errors.js';
import { compileTemplate, TemplateSyntaxError, type CompiledTemplate, type TemplateOptions } from './compileTemplate.js';

export function compileFieldTemplate(text: string, field: string, source: unknown, options: TemplateOptions): CompiledTemplate {
  try {
    return compileTemplate(text, options);
  } catch (err) {
    if (!(err instanceof TemplateSyntaxError)) throw err;
    throw validationError(`the ${field} template does not compile: ${err.message} (write <%% for a literal <% in a templated response)`, source);
  }
}

export function renderField<T>(render: () => T, field: string): T {
  try {
    return render();
  } catch (err) {
    throw templateError(field, err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  }
}

/** A template that throws: answered with a 500 carrying this error, and logged. */
export function templateError(field: string, reason: string): StandinError {
  return new StandinError('invalid injection', `invalid response template in ${field}: ${reason}`, { template: field });
}
