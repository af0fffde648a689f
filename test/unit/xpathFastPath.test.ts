// The fast XML parser (LightDocument) and the fast path for simple selectors (xpathFastPath.ts)
// against the xpath package on xmldom's DOM, differentially: seeded random documents
// (namespaces, attributes, repeated elements, entities, mixed content, whitespace, XML
// declarations, and malformed variants) × selectors (paths, attributes, predicates, functions,
// axes), case-insensitive and caseSensitive, must give exactly the results xmldom's DOM gives.
// A failing case prints its seed, text and selector.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLightDocument } from '../../src/matching/xmlFastParser.js';
import { NO_DOCUMENT, parseDocument, parseXmldomDocument } from '../../src/matching/xmlDocument.js';
import { compileXPath, compileXPathQuery } from '../../src/matching/xpathSelector.js';
import { MatchRequest } from '../../src/matching/index.js';
import type { ViewSpec } from '../../src/matching/views.js';
import { generator, pick, type Random } from '../support/random.js';

const NS = { p: 'urn:p', q: 'urn:Q', d: 'urn:default' };
const NAMES = ['a', 'b', 'b', 'a', 'item', 'Item', 'p:item', 'q:a', 'p:b', 'line'];
const ATTRIBUTES = ['id', 'sku', 'n', 'p:n', 'xml:lang', 'Tier', 'q:id'];
const TEXTS = [
  'A-17',
  'x',
  ' spaced  out ',
  '&amp;t',
  '&lt;b&gt;',
  '&quot;&apos;',
  '&#65;&#x42;',
  '&#x1F600;',
  '42',
  '3.5',
  '\n  ',
  'Ünïcode',
  'a > b',
  '&#10;',
  '\r\n',
  'a\rb',
  '\u2028',
];
const VALUES = ['1', '2', '1', '2', 'gold', 'en', 'en-GB', 'a\tb\nc', '&amp;&#9;', "it's", '', '7', 'x\r\ny', '&#13;'];

function attributes(random: Random, declared: string[]): string {
  let out = '';
  const used = new Set<string>();
  const count = Math.floor(random() * 4);
  for (let k = 0; k < count; k++) {
    const name = pick(random, ATTRIBUTES);
    const prefix = name.includes(':') ? name.split(':')[0]! : '';
    if (used.has(name) || (prefix !== '' && prefix !== 'xml' && !declared.includes(prefix))) continue;
    used.add(name);
    const value = pick(random, VALUES);
    const quote = value.includes("'") || random() < 0.7 ? '"' : "'";
    out += `${pick(random, [' ', '  ', '\n'])}${name}${random() < 0.1 ? ' = ' : '='}${quote}${value}${quote}`;
  }
  return out;
}

function element(random: Random, depth: number, declared: string[]): string {
  let scope = declared;
  let declarations = '';
  if (random() < 0.25) {
    const prefix = pick(random, ['p', 'q', '']);
    const uri = prefix === '' ? pick(random, [NS.d, '']) : NS[prefix as 'p' | 'q'];
    declarations = prefix === '' ? ` xmlns="${uri}"` : ` xmlns:${prefix}="${uri}"`;
    if (prefix !== '') scope = [...declared, prefix];
  }
  const candidates = NAMES.filter((name) => !name.includes(':') || scope.includes(name.split(':')[0]!));
  const name = pick(random, candidates);
  const open = `<${name}${declarations}${attributes(random, scope)}${random() < 0.1 ? ' ' : ''}`;
  if (depth > 2 || random() < 0.15) return `${open}/>`;
  let content = '';
  const children = Math.floor(random() * 6);
  for (let k = 0; k < children; k++) {
    content += random() < 0.55 ? element(random, depth + 1, scope) : pick(random, TEXTS);
  }
  return `${open}>${content}</${name}${random() < 0.05 ? ' ' : ''}>`;
}

/** Mostly plain XML the fast parser takes; some constructs and breakages only xmldom handles. */
function documentText(random: Random): string {
  let text = element(random, 0, []);
  if (random() < 0.2) text = pick(random, [' ', '\n', '\n\n  ']) + text;
  if (random() < 0.2)
    text = pick(random, ['<?xml version="1.0"?>', "<?xml version='1.0' encoding='UTF-8' ?>\n", '<?xml version="1.0" standalone="yes"?> ']) + text;
  if (random() < 0.15) text += pick(random, ['\n', '  ', ' x', '<b/>']);
  const roll = random();
  if (roll < 0.05) return text.slice(0, Math.floor(random() * text.length));
  if (roll < 0.1) return text.replace('>', '><!-- c --><![CDATA[<z>]]>');
  if (roll < 0.13) return text.replace('>', '>&unknown;& ');
  if (roll < 0.16) return text.replace('>', '><u:z/>');
  if (roll < 0.18) return text.replace(/<\/[^>]+>$/, '');
  if (roll < 0.2) return text.replace('\n', '\r\n');
  if (roll < 0.22) return `<!DOCTYPE a>${text}`;
  if (roll < 0.23) return text.replace('>', '><xmlns>t</xmlns>');
  if (roll < 0.24) return pick(random, ['', 'hello', '   ', '<a b="1" b="2"/>', '<a b="<"/>', '<a>x</A>', '<a:b:c/>', '<1a/>']);
  return text;
}

const SELECTORS = [
  '//a',
  '/a',
  '/a/b',
  '//item',
  '//Item',
  '//p:item',
  '//q:a',
  '//d:a',
  '//d:item',
  '//*',
  '/*',
  '/*/*',
  '//b[1]',
  '(//item)[last()]',
  '//@id',
  '//item/@sku',
  '//@*',
  '//@p:n',
  '//@xml:lang',
  '//@xmlns',
  '//a[@id="1"]',
  '//*[@n>1]',
  '//text()',
  '/a/text()',
  '//node()',
  '/node()',
  '/processing-instruction()',
  '/processing-instruction("xml")',
  'count(//*)',
  'count(//item)',
  'count(//@*)',
  'count(/node())',
  'string(/)',
  'string(//a)',
  'normalize-space(/)',
  'name(/*)',
  'local-name(//*[2])',
  'namespace-uri(/*)',
  'name(//@*[1])',
  'sum(//@n)',
  'number(//@n)',
  'boolean(//b)',
  'not(//q:a)',
  '//*[lang("en")]',
  '//namespace::*',
  'count(//namespace::*)',
  'id("1")',
  'id(//@id)',
  '//*[contains(., "A")]',
  '//a/following-sibling::*',
  '//b/preceding::*',
  '//b/ancestor::*',
  '/descendant::node()',
  '//a | //b',
  '//*[local-name()="item" and namespace-uri()="urn:p"]',
  '//line/@sku',
  'string-length(string(/))',
  '//*[text()="x"]',
  '//b/..',
  '//@id/..',
  '//item[2]/@*',
  'concat(//a, //b)',
  '//*[starts-with(name(), "p:")]',
  '//a//text()',
  'translate(string(/), "abc", "ABC")',
  '//*[@xml:lang]/@id',
  // Shapes the fast path takes.
  '//a/b',
  '//a//b',
  '/a//b/@id',
  '//p:*',
  '//q:*',
  '//d:*',
  '//*/@*',
  '//a[2]',
  '/*[1]/*[2]',
  'count(//a//@*)',
  '/text()',
  '//item/text()',
  '/a/b[1]/@n',
  'count(/*)',
  '/a/*[3]',
  '//b//a[1]',
  'a/b',
  '*',
  'item',
  '//*[1]',
  '//p:item[2]/text()',
  '//a/@p:n',
  '//a//@xml:lang',
  '/*//*',
  'count(//text())',
  '//line/@*',
  '//@d:x',
  '//b[3]',
  '/a/b/a',
  '//zz:a',
  'count(//a[1])',
  // Predicates the fast path takes.
  '//*[@id]',
  '//a[@id="1"]/b',
  "//*[@sku='gold']/@id",
  '//*[@p:n="2"]',
  "//*['1'=@id]",
  '//*[@*="en"]',
  '//*[local-name()="item"]',
  '//*[local-name(.)="a" and namespace-uri()=""]',
  '//*[namespace-uri()="urn:p"]/@*',
  '//*[namespace-uri(.)="urn:default"]',
  '//*[text()="x"]/text()',
  '//*[text()="42"]',
  '//*[.="x"]',
  '//a[.="A-17x"]',
  '//*[.=""]',
  '//b[@id][2]',
  '//b[2][@id]',
  '//*[@id][@n]',
  '//*[@n and @id="1"]',
  '/*[local-name()="a"]/*[1]',
  '//item[@xml:lang="en"]',
  '//*[@tier="gold"]',
  '//b[@id="2"][1]/@*',
  'count(//*[@id="1"])',
  '//*[local-name()="item"][2]',
  '//b[2][@id]/text()',
  '//a[1][@n]/@*',
  '//*[1][@id="1"]/*',
  '//*[@p:*]',
  '//*[@q:id="7"]',
  '//*[.="ünïcode"]',
  '//*[text()="a > b"]',
];

type Outcome = { value: unknown } | { error: true };

function outcome(evaluate: () => unknown): Outcome {
  try {
    return { value: evaluate() };
  } catch {
    return { error: true };
  }
}

function compiled(selector: string, lowerCase: boolean) {
  try {
    return compileXPathQuery({ selector, ns: NS }, lowerCase, {});
  } catch {
    return null; // refused at compile time on either path
  }
}

describe('xpath on the fast parser', () => {
  it('gives the same results as xmldom for random documents × selectors', () => {
    const seed = Number(process.env.XPATH_SEED ?? 20261201);
    const random = generator(seed);
    let fast = 0;
    let total = 0;
    for (let d = 0; d < 150; d++) {
      const original = documentText(random);
      for (const lowerCase of [true, false]) {
        const text = lowerCase ? original.toLowerCase() : original;
        total++;
        if (parseLightDocument(text) !== null) fast++;
        const light = parseDocument(text);
        const reference = parseXmldomDocument(text);
        // Text xmldom cannot parse has no document on either path: nothing to evaluate.
        if (reference === NO_DOCUMENT) {
          assert.equal(light, NO_DOCUMENT, JSON.stringify(text));
          continue;
        }
        for (const selector of SELECTORS) {
          const query = compiled(selector, lowerCase);
          if (query === null) continue;
          const expected = outcome(() => query.evaluateWithPackage(reference));
          const where = `seed ${seed}, document ${d}, lowerCase ${lowerCase}\n${JSON.stringify(text)}\nselector ${selector}`;
          assert.deepEqual(
            outcome(() => query.evaluate(query.needsXmldom ? reference : light)),
            expected,
            where,
          );
          assert.deepEqual(
            outcome(() => query.evaluate(reference)),
            expected,
            `${where} (on xmldom's DOM)`,
          );
        }
      }
    }
    if (process.env.XPATH_SEED) console.log(`fast parser took ${fast} of ${total}`);
    // The comparison must exercise the fast parser, and the fallback too.
    assert.ok(fast > total * 0.6, `fast parser took ${fast} of ${total}`);
    assert.ok(fast < total * 0.95, `fast parser took ${fast} of ${total}`);
  });

  it('takes the simple selectors on the fast path, and only those', () => {
    const fast = (selector: string) => compiled(selector, false)?.fastPath;
    for (const selector of [
      '//a',
      '/a/b',
      '//p:item',
      '//item/@sku',
      '//@*',
      'count(//item)',
      '//b[1]',
      '/a/text()',
      'a/b',
      '//p:*',
      '//a[@id="1"]',
      '//*[local-name()="a" and namespace-uri(.)="u"]',
      '//a[text()="t"]',
      '//a[.="t"]',
      '//a[@id][2]',
      '//a[@*]',
    ]) {
      assert.equal(fast(selector), true, selector);
    }
    for (const selector of [
      '//zz:a',
      '/',
      '//a[@id=1]',
      '//a[@id!="1"]',
      '//a[@id or @n]',
      '//a[name()="a"]',
      '//a[1][2]',
      '//a[last()]',
      '(//item)[1]',
      '//b/..',
      'string(//a)',
      '//a | //b',
      '//node()',
      '//b[0]',
      '//b[1.5]',
      'count(//a, //b)',
    ]) {
      assert.notEqual(fast(selector), true, selector);
    }
  });

  it('refuses what only xmldom handles, so its recovery applies', () => {
    for (const text of [
      '',
      'hello',
      '<a><!-- c --></a>',
      '<a><![CDATA[x]]></a>',
      '<!DOCTYPE a><a/>',
      '<a>&nbsp;</a>',
      '<a>& b</a>',
      '<a><u:b/></a>',
      '<a b="1" b="2"/>',
      '<a b="1"c="2"/>',
      '<a b/>',
      '<a>x</b>',
      '<a/><b/>',
      '<a/>x',
      'x<a/>',
      '<a>',
      '<é/>',
      '<a xmlns:p=""/>',
      '<?xml version="1.0"?><?pi x?><a/>',
      ' <?xml version="1.0"?><a/>',
      '<a xmlns:p="urn:p" xmlns:q="urn:p" p:x="1" q:x="2"/>',
      '<a><xmlns/></a>',
      '<a><xmlns:b/></a>',
    ]) {
      assert.equal(parseLightDocument(text), null, JSON.stringify(text));
    }
  });

  it('selects through compileXPath as through xmldom (the predicate path)', () => {
    const spec = { forceStrings: false } as ViewSpec;
    const body = '<order xmlns="urn:shop"><id>A-17</id><customer tier="gold"/><line sku="x1" qty="2"/><line sku="y2" qty="1"/></order>';
    const select = (selector: string) =>
      compileXPath({ selector, ns: { s: 'urn:shop' } }, true, {}).select(body.toLowerCase(), spec, new MatchRequest({}), null);
    assert.ok(parseLightDocument(body) !== null);
    assert.equal(select('//s:id'), 'a-17');
    assert.deepEqual(select('//s:line/@sku'), ['x1', 'y2']);
    assert.equal(select('count(//s:line)'), 2);
    assert.equal(select('//s:customer'), 'undefined'); // mountebank's String(firstChild.data) of an empty element
    assert.equal(select('//id'), undefined);
  });
});
