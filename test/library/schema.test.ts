// schema/imposter.schema.json: every imposter example in docs/ (and Rift's seed examples)
// validates against it, and the mistakes it exists to catch are refused.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Ajv, type ValidateFunction } from 'ajv';
import { repoRoot } from '../support/standinProcess.js';

const schema = JSON.parse(readFileSync(join(repoRoot, 'schema', 'imposter.schema.json'), 'utf8')) as { $id: string };
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema(schema);
const validator = (definition: string): ValidateFunction => ajv.getSchema(`${schema.$id}${definition}`)!;
const file = validator('');
const byKind = {
  file,
  imposter: validator('#/definitions/imposter'),
  stub: validator('#/definitions/stub'),
  response: validator('#/definitions/response'),
  behavior: validator('#/definitions/behavior'),
  predicate: validator('#/definitions/predicate'),
};
type Kind = keyof typeof byKind;

const RESPONSE_KEYS = ['is', 'proxy', 'inject', 'fault'];
const BEHAVIOR_KEYS = ['wait', 'copy', 'lookup', 'decorate', 'shellTransform'];
/** JSON in the docs that is not a definition: answers, requests, logs, explanations. */
const NOT_DEFINITIONS = ['errors', 'requestFrom', 'request', 'matched', 'logs', 'version', 'watch', 'warnings', '_links'];

/** What a documentation example is, from its keys. */
function kindOf(value: Record<string, unknown>): { kind: Kind; value: unknown } | 'not a definition' {
  const keys = Object.keys(value);
  if (keys.some((k) => NOT_DEFINITIONS.includes(k))) return 'not a definition';
  if ('imposters' in value) return { kind: 'file', value };
  if ('protocol' in value || 'endOfRequestResolver' in value) return { kind: 'imposter', value: { protocol: 'tcp', ...value } };
  const rift = value._rift as Record<string, unknown> | undefined;
  if (rift && ('flowState' in rift || 'scriptEngine' in rift)) return { kind: 'imposter', value };
  if ('stubs' in value) return { kind: 'imposter', value: { protocol: 'http', ...value } };
  if ('predicates' in value || 'responses' in value) return { kind: 'stub', value };
  if (keys.some((k) => RESPONSE_KEYS.includes(k)) || rift) return { kind: 'response', value };
  if ('behaviors' in value || '_behaviors' in value) return { kind: 'response', value: { is: {}, ...value } };
  if (keys.length === 1 && BEHAVIOR_KEYS.includes(keys[0]!)) return { kind: 'behavior', value };
  return 'not a definition';
}

interface Example {
  where: string;
  text: string;
  /** What the example is, when its context says (the admin API route a curl sends it to). */
  kind?: 'stubBody' | 'stubsBody' | 'stub';
}

/** ```json blocks, and the bodies of `curl ... -d '...'` in shell blocks. */
function examples(): Example[] {
  const files = [
    'README.md',
    ...readdirSync(join(repoRoot, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
  const out: Example[] = [];
  for (const name of files) {
    const text = readFileSync(join(repoRoot, name), 'utf8');
    for (const block of text.matchAll(/```(\w*)\n([\s\S]*?)```/g)) {
      const line = text.slice(0, block.index).split('\n').length;
      const where = `${name}:${line}`;
      if (block[1] === 'json') out.push({ where, text: block[2]! });
      if (block[1] === 'sh') {
        // Bodies sent to the routes that take definitions; other routes (test, verify, ...) take other things.
        for (const call of block[2]!.matchAll(/curl ([^\n]*?)(\S*\/imposters(?:\/\d+\/stubs(?:\/\S+)?)?)'?\s[^\n]*?-d '([\s\S]*?)'/g)) {
          const [, flags, url, body] = call as unknown as [string, string, string, string];
          const method = /-X\s*(\w+)/.exec(flags)?.[1] ?? 'POST';
          if (/\/imposters$/.test(url)) out.push({ where, text: body });
          else if (/\/stubs$/.test(url)) out.push({ where, text: body, kind: method === 'PUT' ? 'stubsBody' : 'stubBody' });
          else if (/\/stubs\/\S+$/.test(url) && method === 'PUT') out.push({ where, text: body, kind: 'stub' });
        }
      }
    }
  }
  return out;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // A fragment such as `"_rift": {...}` shown inside its object.
    return JSON.parse(`{${text}}`);
  }
}

test('every imposter example in docs/ validates against the schema', () => {
  const checked: string[] = [];
  for (const example of examples()) {
    let value: unknown;
    try {
      value = parse(example.text);
    } catch {
      // Prose shorthand such as `{ "copy": {...} }` or `[ /* clauses */ ]`: an illustration, not JSON.
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    const body = value as Record<string, unknown>;
    const found =
      example.kind === 'stubBody'
        ? { kind: 'stub' as const, value: body.stub }
        : example.kind === 'stubsBody'
          ? { kind: 'imposter' as const, value: { protocol: 'http', stubs: body.stubs } }
          : example.kind === 'stub'
            ? { kind: 'stub' as const, value: body }
            : kindOf(body);
    if (found === 'not a definition') continue;
    const validate = byKind[found.kind];
    assert.ok(
      validate(found.value),
      `${example.where} (${found.kind}) does not validate against schema/imposter.schema.json:\n` +
        `${JSON.stringify(validate.errors, null, 2)}\nIf the example shows a new field, add it to the schema and to src/model/imposterDefinition.ts.`,
    );
    checked.push(`${example.where} ${found.kind}`);
  }
  // The pages with imposters in them are all reached (a parsing slip would skip them silently).
  for (const page of ['README.md', 'docs/imposters.md', 'docs/protocols.md', 'docs/rift.md', 'docs/behaviors.md', 'docs/templates.md', 'docs/injection.md']) {
    assert.ok(
      checked.some((c) => c.startsWith(`${page}:`)),
      `no example checked in ${page}`,
    );
  }
  assert.ok(checked.length >= 15, `only ${checked.length} examples checked:\n${checked.join('\n')}`);
});

test("Rift's seed examples validate", () => {
  const dir = join(repoRoot, 'test', 'rift', 'seed');
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const value = JSON.parse(readFileSync(join(dir, name), 'utf8')) as unknown;
    assert.ok(file(value), `${name}: ${JSON.stringify(file.errors, null, 2)}`);
  }
});

test('the schema refuses the mistakes an editor should underline', () => {
  const refused: [Kind, unknown, RegExp][] = [
    ['predicate', { pth: { path: '/x' } }, /must NOT have additional properties|must match a schema in anyOf/],
    ['predicate', { equals: { path: '/x' }, caseSensitve: true }, /additional properties/],
    ['response', { is: {}, proxy: { to: 'http://origin' } }, /must NOT be valid/],
    ['response', { repeat: 2 }, /must match a schema in anyOf/],
    ['response', { is: { statusCode: true } }, /statusCode/],
    ['response', { proxy: { to: 'http://origin', mode: 'proxyOften' } }, /allowed values/],
    ['behavior', { wait: 10, copy: { from: 'path', into: '$X', using: { method: 'regex', selector: '.*' } } }, /must match exactly one schema/],
    ['behavior', { wiat: 10 }, /must match exactly one schema/],
    ['imposter', { port: 4545, stubs: [] }, /must match a schema in anyOf/],
    ['imposter', { protocol: 'http', port: 70000 }, /port/],
    ['file', { imposters: [{ protocol: 'http', stubs: [{ responses: [{ is: {}, fault: 'X' }] }] }] }, /must NOT be valid/],
  ];
  for (const [kind, value, message] of refused) {
    const validate = byKind[kind];
    assert.equal(validate(value), false, `${JSON.stringify(value)} should be refused as a ${kind}`);
    assert.match(ajv.errorsText(validate.errors) + JSON.stringify(validate.errors), message, JSON.stringify(value));
  }
  assert.ok(file({ $schema: './node_modules/standin/schema/imposter.schema.json', imposters: [] }));
  assert.ok(file({ $schema: 'x', protocol: 'smtp', port: 2526 }));
});
