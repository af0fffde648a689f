// JSONPath and XPath queries into a value, for capture (`requestBody.jsonPath`) and for the
// `${...:$.path}` / `${...:/xpath}` template trailers. Expressions are checked once, when compiled.
import { lazyModule } from '../model/lazyModule.js';
import { ImposterConfigError } from './configModel.js';
import { errorMessage } from '../model/caughtError.js';

// Loaded when the first selector is compiled, not at startup (most imposters capture nothing).
const jsonpathPlus = lazyModule<typeof import('jsonpath-plus')>('jsonpath-plus');
const xpathModule = lazyModule<typeof import('xpath')>('xpath');
const xmldom = lazyModule<typeof import('@xmldom/xmldom')>('@xmldom/xmldom');

export type ValueSelector = (value: unknown) => unknown;

/** One JSONPath match as is (objects stay objects), several as an array, none as undefined. */
export function compileJsonPathSelector(path: string, where: string): ValueSelector {
  const { JSONPath } = jsonpathPlus();
  try {
    JSONPath({ path, json: {}, wrap: true });
  } catch (err) {
    throw new ImposterConfigError(`${where}: invalid JSONPath ${JSON.stringify(path)}: ${errorMessage(err)}`);
  }
  return (value) => {
    let json = value;
    if (typeof value === 'string') {
      try {
        json = JSON.parse(value);
      } catch {
        return undefined;
      }
    }
    if (json === null || typeof json !== 'object') return undefined;
    const found = JSONPath<unknown[]>({ path, json, wrap: true });
    if (found.length === 0) return undefined;
    return found.length === 1 ? found[0] : found;
  };
}

/** The text of the first node the XPath selects (namespaces by prefix), or undefined. */
export function compileXPathSelector(expression: string, namespaces: Record<string, string> | undefined, where: string): ValueSelector {
  const xpath = xpathModule();
  const { DOMParser } = xmldom();
  const select = namespaces ? xpath.useNamespaces(namespaces) : xpath.select;
  try {
    select(expression, new DOMParser().parseFromString('<x/>', 'text/xml'));
  } catch (err) {
    throw new ImposterConfigError(`${where}: invalid XPath ${JSON.stringify(expression)}: ${errorMessage(err)}`);
  }
  return (value) => {
    if (typeof value !== 'string' || value.trim() === '') return undefined;
    try {
      const document = new DOMParser({ onError: () => undefined }).parseFromString(value, 'text/xml');
      const result = select(expression, document);
      const first = Array.isArray(result) ? result[0] : result;
      if (first === undefined || first === null) return undefined;
      if (typeof first === 'object') return first.textContent ?? undefined;
      return String(first);
    } catch {
      return undefined;
    }
  };
}

/** Store and template values as text: strings as they are, anything else as JSON. */
export function valueAsText(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}
