// The docs test's reading of a page: fences, languages, and the visible "not runnable" marker.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { docBlocks } from '../support/docBlocks.js';

const page = [
  'Run this:',
  '',
  '```sh',
  'curl localhost:2525/imposters',
  '```',
  '',
  '*Not runnable: the answer standin sends, not something to send it.*',
  '',
  '```json',
  '{ "errors": [] }',
  '```',
  '',
  '- a list item with a block',
  '  ```text',
  '  shown only',
  '  ```',
  '',
  '```',
  'no language',
  '```',
].join('\n');

it('finds each fenced block with its language, text, line and marker', () => {
  const blocks = docBlocks('docs/x.md', page);
  assert.deepEqual(
    blocks.map(({ lang, text, line, notRunReason }) => ({ lang, text, line, notRunReason })),
    [
      { lang: 'sh', text: 'curl localhost:2525/imposters', line: 3, notRunReason: undefined },
      { lang: 'json', text: '{ "errors": [] }', line: 9, notRunReason: 'the answer standin sends, not something to send it.' },
      { lang: 'text', text: 'shown only', line: 14, notRunReason: undefined },
      { lang: '', text: 'no language', line: 18, notRunReason: undefined },
    ],
  );
});

it('takes the marker only from the line just above the block, in italics, with a reason', () => {
  const far = docBlocks('p.md', '*Not runnable: far away.*\n\nSome prose.\n\n```sh\nls\n```');
  assert.equal(far[0]!.notRunReason, undefined);
  const plain = docBlocks('p.md', 'Not runnable: not in italics.\n```sh\nls\n```');
  assert.equal(plain[0]!.notRunReason, undefined);
  const other = docBlocks('p.md', '*Not run by the docs test: it installs standin.*\n```sh\nnpm install\n```');
  assert.equal(other[0]!.notRunReason, 'it installs standin.');
});
