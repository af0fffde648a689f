// The docs' Markdown renderer: what the docs use renders, and nothing in the source becomes markup.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderMarkdown, slug } from '../../src/dashboard/markdown.js';
import { prefersHtml } from '../../src/dashboard/negotiate.js';

test('headings, paragraphs, emphasis, code, lists, tables, quotes and links', () => {
  const { html, title } = renderMarkdown(
    [
      '# The `dry` run',
      '',
      'Some **bold**, *em* and `a <b>` code; see [debugging](debugging.md#verify) and [the README](../README.md).',
      '',
      '- one',
      '- two',
      '  - nested',
      '',
      '1. first',
      '2. second',
      '',
      '| a | b |',
      '|---|--:|',
      '| `x\\|y` | 2 |',
      '',
      '> quoted',
      '',
      '```json',
      '{"a": "<b>"}',
      '```',
    ].join('\n'),
  );
  assert.equal(title, 'The dry run');
  assert.match(html, /<h1 id="the-dry-run">The <code>dry<\/code> run<\/h1>/);
  assert.match(html, /<strong>bold<\/strong>, <em>em<\/em> and <code>a &lt;b&gt;<\/code> code/);
  assert.match(html, /<a href="\/docs\/debugging#verify">debugging<\/a>/);
  assert.match(html, /<a href="\/docs\/README">the README<\/a>/);
  assert.match(html, /<ul><li>one<\/li><li>two<ul><li>nested<\/li><\/ul><\/li><\/ul>/);
  assert.match(html, /<ol><li>first<\/li><li>second<\/li><\/ol>/);
  assert.match(html, /<th class="align-right">b<\/th><\/tr><\/thead><tbody><tr><td><code>x\|y<\/code><\/td>/);
  assert.match(html, /<blockquote><p>quoted<\/p><\/blockquote>/);
  assert.match(html, /<pre><code class="language-json">\{&quot;a&quot;: &quot;&lt;b&gt;&quot;\}<\/code><\/pre>/);
});

test('raw HTML and script links in the source are text, never markup', () => {
  const { html } = renderMarkdown('<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n# <b>t</b>');
  assert.doesNotMatch(html, /<script|<img|<b>|href="javascript/);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
});

test('anchors as GitHub makes them', () => {
  assert.equal(slug('The dry run: `POST /imposters/:port/test`'), 'the-dry-run-post-impostersporttest');
  assert.equal(slug('Live events: `GET /events`'), 'live-events-get-events');
});

test('negotiation: HTML only when ranked above JSON', () => {
  assert.equal(prefersHtml(undefined), false);
  assert.equal(prefersHtml('*/*'), false);
  assert.equal(prefersHtml('application/json, text/html'), false);
  assert.equal(prefersHtml('text/html, application/json'), true);
  assert.equal(prefersHtml('text/*, application/json'), false);
  assert.equal(prefersHtml('text/html'), true);
  assert.equal(prefersHtml('text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'), true);
  assert.equal(prefersHtml('application/json;q=0.5, text/html'), true);
  assert.equal(prefersHtml('text/html;q=0'), false);
});
