// Request text nested deeper than standin reads JSON or XML is refused before any parse or walk,
// at the same depth every time, in time linear in its length.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_JSON_DEPTH, parseClientJson } from '../../src/model/jsonDepth.js';
import { tryJSON } from '../../src/matching/normalize.js';
import { MAX_XML_DEPTH, NO_DOCUMENT, parseDocument, parseXmldomDocument, xmlNestedDeeperThan } from '../../src/matching/xmlDocument.js';

const arrays = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);
const objects = (depth: number): string => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
const elements = (depth: number): string => '<a>'.repeat(depth) + 'x' + '</a>'.repeat(depth);

test('JSON from a client is read up to 512 levels deep; deeper is refused as text that is not JSON', () => {
  assert.equal(MAX_JSON_DEPTH, 512);
  assert.deepEqual(parseClientJson(arrays(3)), [[[]]]);
  assert.ok(Array.isArray(parseClientJson(arrays(512))));
  assert.equal(typeof parseClientJson(objects(512)), 'object');
  assert.throws(() => parseClientJson(arrays(513)), SyntaxError);
  assert.throws(() => parseClientJson(objects(513)), /nested more than 512 levels deep: read as text, not JSON/);
  // Brackets inside strings are not nesting.
  assert.deepEqual(parseClientJson(JSON.stringify({ a: '['.repeat(5_000), b: '{'.repeat(5_000) })), { a: '['.repeat(5_000), b: '{'.repeat(5_000) });
  const spec = { lowerKeys: false, lowerValues: false, except: null, binary: false };
  const deep = arrays(1_000_000);
  assert.equal(tryJSON(deep, spec), deep, "a predicate's view of a body nested a million deep is its text");
});

test('XML is read up to 512 elements deep; deeper gives no document to select from', () => {
  assert.equal(MAX_XML_DEPTH, 512);
  assert.equal(xmlNestedDeeperThan(elements(512)), false);
  assert.equal(xmlNestedDeeperThan(elements(513)), true);
  // Siblings, self-closing elements, comments and processing instructions do not nest.
  assert.equal(xmlNestedDeeperThan(`<?xml version="1.0"?><r>${'<a/><!-- c --><b>x</b>'.repeat(2_000)}</r>`), false);
  assert.notEqual(parseDocument(elements(512)), NO_DOCUMENT);
  assert.equal(parseDocument(elements(513)), NO_DOCUMENT);
  assert.equal(parseXmldomDocument(`<!-- xmldom's -->${elements(513)}`), NO_DOCUMENT);
  assert.equal(parseDocument(elements(1_000_000)), NO_DOCUMENT);
});
