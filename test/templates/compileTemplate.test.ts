// The template compiler against EJS itself: the same template renders the same text, so users
// can rely on what they know of EJS. Plus what is standin's own: bytes, the watchdog, the request.
import assert from 'node:assert/strict';
import ejs from 'ejs';
import { describe, it } from 'node:test';
import { compileTemplate, TemplateSyntaxError } from '../../src/templates/compileTemplate.js';
import { parseTemplate } from '../../src/templates/parseTemplate.js';
import { templateRequest } from '../../src/templates/templateRequest.js';
import { mayRunLong } from '../../src/templates/mayRunLong.js';

const noLimit = { timeoutMs: 0, stallMs: 0 };
const request = { path: '/a"b', n: 2, s: '<i>&</i>', none: null, list: ['x', 'y'], when: new Date(0) };

type Result = { ok: true; text: string } | { ok: false };

function ours(template: string): Result {
  try {
    return { ok: true, text: compileTemplate(template, noLimit).renderString(request) };
  } catch {
    return { ok: false };
  }
}

function theirs(template: string): Result {
  try {
    return { ok: true, text: ejs.render(template, { request }) };
  } catch {
    return { ok: false };
  }
}

describe('compileTemplate renders as EJS does', () => {
  const examples = [
    'plain text, no tags',
    '{ "path": "<%- request.path %>" }',
    'escaped <%= request.s %> raw <%- request.s %>',
    'null <%= request.none %>|<%- request.none %>|<%- request.missing %>|<%= undefined %>.',
    'number <%= request.n * 21 %>, date <%- request.when.getTime() %>',
    '<% for (const x of request.list) { %>[<%= x %>]<% } %>',
    '<% if (request.n > 1) { -%>\nbig\n<% } else { -%>\nsmall\n<% } -%>\nend',
    'line one\n  <%_ if (true) { _%>  \n  kept\n  <%_ } _%>\nend',
    'literal <%% not a tag %> and <%%- also %%> done',
    'comment <%# ignored %>here',
    'a line comment <%= request.n // two\n%> stays',
    'trailing semicolon <%= request.n; %> and <%- request.path ; %>',
    'stray close %> is dropped, 100%',
    '<%- request.n %><%- request.n -%>\n\nx',
    'windows -%>\r\nbreak <% -%>\r\nx',
    'unicode é ü 日本 <%- "ï" %> 🎉',
    'backslash \\n and "quotes" and \'single\' <%- "\\\\" %>',
    '<% var total = 0; for (let i = 0; i < 3; i++) total += i; %><%= total %>',
  ];
  for (const template of examples) {
    it(JSON.stringify(template), () => {
      const expected = theirs(template);
      assert.equal(expected.ok, true, 'the example is valid EJS');
      assert.deepEqual(ours(template), expected);
    });
  }

  it('matches EJS on random templates, valid or not', () => {
    const fragments = [
      'a',
      ' ',
      '\n',
      '\t',
      '\r\n',
      '"',
      '\\',
      '<%= request.n %>',
      '<%- request.s %>',
      '<%# c %>',
      '<%%',
      '%%>',
      '%>',
      '-%>',
      '_%>',
      '<%_ ',
      '<% if (request.n) { %>',
      '<% } %>',
      '<%= ',
      ' request.path',
      '<%- request.none -%>',
    ];
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let valid = 0;
    for (let i = 0; i < 2000; i++) {
      let template = '';
      const length = 1 + random(8);
      for (let j = 0; j < length; j++) template += fragments[random(fragments.length)];
      const expected = theirs(template);
      if (expected.ok) valid++;
      assert.deepEqual(ours(template), expected, JSON.stringify(template));
    }
    assert.ok(valid > 200, `enough valid templates were tried (${valid})`);
  });
});

describe('compileTemplate', () => {
  it('renders chunks whose bytes are the text, static parts included', () => {
    const template = compileTemplate('é<%- request.path %>日本<%= request.s %>🎉', noLimit);
    const text = template.renderString(request);
    const { chunks, length } = template.renderChunks(request);
    assert.deepEqual(Buffer.concat(chunks), Buffer.from(text, 'utf8'));
    assert.equal(length, Buffer.byteLength(text));
  });

  it('keeps static text in one part between tags', () => {
    assert.deepEqual(parseTemplate('a<%# x %>b<%- y %>c'), [
      { kind: 'text', text: 'ab' },
      { kind: 'output', code: ' y ', escape: false },
      { kind: 'text', text: 'c' },
    ]);
  });

  it('refuses an unclosed tag and code that does not parse', () => {
    assert.throws(() => compileTemplate('<%= request.path', noLimit), TemplateSyntaxError);
    assert.throws(() => compileTemplate('<% if ( %>', noLimit), TemplateSyntaxError);
  });

  it('stops a template that loops, with an error naming the limit', () => {
    const template = compileTemplate('<% while (true) {} %>', { timeoutMs: 200, stallMs: 0 });
    assert.throws(() => template.renderString({}), /did not return within 200 ms/);
    // The process is fine afterwards.
    assert.equal(compileTemplate('<%- 1 + 1 %>', noLimit).renderString({}), '2');
  });

  it('watches only code that can loop', () => {
    for (const code of ['for (;;) {}', 'while (x)', 'do {} while (0)', 'eval(s)', 'Function(s)()', '[].constructor', 'Atomics.wait()']) {
      assert.equal(mayRunLong(code), true, code);
    }
    for (const code of ['request.path', 'new Date().toISOString()', 'request.query.forest', 'JSON.stringify(request.body)']) {
      assert.equal(mayRunLong(code), false, code);
    }
  });
});

describe('templateRequest', () => {
  it('finds headers in any case and keeps the names as sent', () => {
    const view = templateRequest({ headers: { 'Content-Type': 'text/plain', 'X-Id': ['1', '2'] } });
    const headers = view.headers as Record<string, unknown>;
    assert.equal(headers['content-type'], 'text/plain');
    assert.equal(headers['CONTENT-TYPE'], 'text/plain');
    assert.deepEqual(headers['x-id'], ['1', '2']);
    assert.equal(headers['x-missing'], undefined);
    assert.equal('content-type' in headers, true);
    assert.deepEqual(Object.keys(headers), ['Content-Type', 'X-Id']);
  });

  it('parses a JSON object or array body, and leaves other bodies as text', () => {
    assert.deepEqual(templateRequest({ body: ' {"a": [1]}' }).body, { a: [1] });
    assert.deepEqual(templateRequest({ body: '[1,2]' }).body, [1, 2]);
    assert.equal(templateRequest({ body: '{not json' }).body, '{not json');
    assert.equal(templateRequest({ body: '42' }).body, '42');
    assert.equal(templateRequest({ body: '' }).body, '');
    assert.equal(JSON.stringify(templateRequest({ path: '/p', body: '{"a":1}' })), '{"path":"/p","body":{"a":1}}');
  });
});
