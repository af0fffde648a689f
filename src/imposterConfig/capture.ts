// Imposter's `capture` block: each item reads one part of the request (path/query/form param,
// header, body via JSONPath or XPath, a template expression or a constant) and saves it into a
// store, the request-scoped `request` store by default. Empty values are not saved. The item name
// can itself be read from the request (`key:`). Compiled once; per request only the reads run.
import { isPlainObject } from '../model/plainObject.js';
import { compileJsonPathSelector, compileXPathSelector, valueAsText } from './bodySelectors.js';
import { ImposterConfigError } from './configModel.js';
import { compileTemplate, type TemplateContext } from './template.js';

type Read = (context: TemplateContext) => unknown;
export type CompiledCapture = (context: TemplateContext) => void;

export function compileCapture(config: unknown, where: string): CompiledCapture | undefined {
  if (config === undefined || config === null) return undefined;
  if (!isPlainObject(config)) throw new ImposterConfigError(`${where}: 'capture' must be a mapping of item names to captures`);
  const items: CompiledCapture[] = [];
  for (const [name, item] of Object.entries(config)) {
    const at = `${where} capture.${name}`;
    if (!isPlainObject(item)) throw new ImposterConfigError(`${at}: must be a mapping such as {store: name, queryParam: page}`);
    if (item.enabled === false || item.enabled === 'false') continue;
    const store = item.store === undefined ? 'request' : String(item.store);
    const read = compileRead(item, at);
    if (!read)
      throw new ImposterConfigError(
        `${at}: says nothing to capture (pathParam, queryParam, formParam, requestHeader, requestBody, jsonPath, expression or const)`,
      );
    const key: Read = item.key === undefined ? () => name : typeof item.key === 'string' ? () => item.key : compileKey(item.key, at);
    items.push((context) => {
      const value = read(context);
      if (value === undefined || value === null || value === '') return;
      const itemName = valueAsText(key(context));
      if (itemName === '') return;
      const target = store === 'request' ? context.scope.requestStore : context.stores.open(store);
      target.set(itemName, value);
    });
  }
  if (items.length === 0) return undefined;
  return (context) => {
    for (const item of items) item(context);
  };
}

function compileKey(config: unknown, where: string): Read {
  if (!isPlainObject(config)) throw new ImposterConfigError(`${where}: 'key' must be a name or a mapping such as {pathParam: id}`);
  const read = compileRead(config, `${where} key`);
  if (!read) throw new ImposterConfigError(`${where}: 'key' says nothing to read`);
  return read;
}

function compileRead(item: Record<string, unknown>, where: string): Read | undefined {
  if (typeof item.pathParam === 'string') {
    const name = item.pathParam;
    return (c) => c.scope.pathParam(name);
  }
  if (typeof item.queryParam === 'string') {
    const name = item.queryParam;
    return (c) => c.scope.queryParam(name);
  }
  if (typeof item.formParam === 'string') {
    const name = item.formParam;
    return (c) => c.scope.formParam(name);
  }
  if (typeof item.requestHeader === 'string') {
    const name = item.requestHeader;
    return (c) => c.scope.header(name);
  }
  if (item.const !== undefined) {
    const value = item.const;
    return () => value;
  }
  if (typeof item.expression === 'string') {
    const template = compileTemplate(item.expression, where);
    return (c) => template(c);
  }
  // imposter-go nests body selectors under requestBody; the JVM engine put jsonPath at the top.
  const body = isPlainObject(item.requestBody) ? item.requestBody : item;
  if (typeof body.jsonPath === 'string') {
    const select = compileJsonPathSelector(body.jsonPath, where);
    return (c) => select(c.scope.body);
  }
  if (typeof body.xPath === 'string') {
    const select = compileXPathSelector(body.xPath, body.xmlNamespaces as Record<string, string> | undefined, where);
    return (c) => select(c.scope.body);
  }
  if (isPlainObject(item.requestBody)) return (c) => c.scope.body;
  return undefined;
}
