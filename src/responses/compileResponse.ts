// Turns one response definition into something that answers a request without re-reading
// configuration. Which kind it is comes from the one list of kinds in the composition root
// (context.kinds); each kind compiles itself, static replies once, here at creation.
import type { CommonFields, CompiledResponse, ResponseContext, ResponseKind } from '../contracts/index.js';
import { didYouMeanSuffix } from '../model/didYouMean.js';
import { validationError } from '../model/errors.js';
import type { EchoedResponse } from '../model/echoedDefinition.js';
import { isPlainObject } from '../model/plainObject.js';
import { compileBehaviors } from './behaviors.js';

export function compileResponse(config: unknown, context: ResponseContext): CompiledResponse {
  if (!isPlainObject(config)) throw validationError('each response must be an object', config);
  const kind = responseKindOf(config, context.kinds);
  const common: CommonFields = kind.takesCommonFields
    ? { repeat: validateRepeat(config.repeat, config), behaviors: compileBehaviors(config.behaviors, context, config) }
    : NO_COMMON_FIELDS;
  const shape = kind.validate(config, context);
  return { ...kind.compile(shape, config, context, common), shape };
}

const NO_COMMON_FIELDS: CommonFields = { repeat: 1, behaviors: { delayMs: 0, run: undefined } };

/** The kinds a response names; a null value (`"proxy": null`, emitted by some generators) means absent. */
export function presentKinds(config: EchoedResponse, kinds: readonly ResponseKind[]): ResponseKind[] {
  return kinds.filter((kind) => config[kind.key] !== undefined && config[kind.key] !== null);
}

function responseKindOf(config: EchoedResponse, kinds: readonly ResponseKind[]): ResponseKind {
  const present = presentKinds(config, kinds);
  if (present.length === 0) throw validationError(`unrecognized response type${unrecognizedHint(config, kinds)}`, config);
  if (present.length > 1) throw validationError('each response object must have only one response type', config);
  return present[0]!;
}

/** Fields beside the type that every response may have. */
const COMMON_FIELDS = new Set(['repeat', 'behaviors', '_behaviors']);

/** mountebank says only "unrecognized response type"; this names the field it took for one and the types there are. */
function unrecognizedHint(config: EchoedResponse, kinds: readonly ResponseKind[]): string {
  const types = kinds.filter((kind) => kind.public).map((kind) => kind.key);
  const typed = Object.keys(config).find((key) => !COMMON_FIELDS.has(key) && !key.startsWith('_'));
  const choices = `a response has one of ${types.join(', ')}`;
  return typed === undefined ? `: ${choices}` : `: ${JSON.stringify(typed)} is not one${didYouMeanSuffix(typed, types)}; ${choices}`;
}

function validateRepeat(value: unknown, source: unknown): number {
  if (value === undefined) return 1;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw validationError('"repeat" field must be an integer greater than 0', source);
  }
  return value;
}
