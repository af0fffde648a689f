import { test } from 'node:test';
import assert from 'node:assert/strict';
import { didYouMean, didYouMeanSuffix, editDistance } from '../../src/model/didYouMean.js';

test('editDistance counts insertions, deletions and substitutions, ignoring case', () => {
  assert.equal(editDistance('pth', 'path'), 1);
  assert.equal(editDistance('caseSensitve', 'caseSensitive'), 1);
  assert.equal(editDistance('EQUALS', 'equals'), 0);
  assert.equal(editDistance('kitten', 'sitting'), 3);
});

test('didYouMean suggests the closest known name only when it is close', () => {
  const fields = ['method', 'path', 'query', 'headers', 'body'];
  assert.equal(didYouMean('pth', fields), 'path');
  assert.equal(didYouMean('header', fields), 'headers');
  assert.equal(didYouMean('xyz', fields), undefined);
  assert.equal(didYouMean('htp', ['http', 'https', 'tcp', 'smtp']), 'http');
  assert.equal(didYouMeanSuffix('equal', ['equals', 'deepEquals']), ' (did you mean "equals"?)');
  assert.equal(didYouMeanSuffix('zzzzzz', ['equals']), '');
});
