// The `copy` behavior: values selected from the request replace a token everywhere in the
// response; `${TOKEN}[i]` is the i-th value, the bare token the first.
import type { BehaviorStep } from './behaviorStep.js';
import { BehaviorFields } from './behaviorFields.js';
import { replaceAll, replaceEverywhere } from './replaceTokens.js';
import { compileRequestSelection, validateRequestSelection, type RequestSelectionShape } from './requestSelection.js';

/** A `copy` after validation: the token, and where its values come from. */
export interface CopyShape {
  readonly into: string;
  readonly selection: RequestSelectionShape;
}

export function validateCopy(value: unknown, source: unknown, stallMs: number): CopyShape {
  const fields = new BehaviorFields('copy', source);
  const config = fields.object(value, 'copy');
  const into = fields.requiredString(config.into, 'into', 'the token to replace in response fields');
  return { into, selection: validateRequestSelection(fields, { from: config.from, using: config.using }, '', source, stallMs) };
}

export function compileCopy({ into, selection }: CopyShape): BehaviorStep {
  const select = compileRequestSelection(selection);
  return (request, response) => {
    const values = select(request).map((v) => String(v));
    if (values.length === 0) return response;
    replaceEverywhere(response, (text) => {
      if (!text.includes(into)) return text;
      let result = text;
      for (let i = 0; i < values.length; i++) result = replaceAll(result, `${into}[${i}]`, values[i]!);
      return replaceAll(result, into, values[0]!);
    });
    return response;
  };
}
