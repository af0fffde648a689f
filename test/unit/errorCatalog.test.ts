// The error catalog is the one place a code gets its status: the admin API answers with it and
// docs/admin-api.md lists every code, so a code added without its documentation fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { errorReply } from '../../src/admin/adminHttp.js';
import { ERROR_CATALOG, StandinError, type ErrorCode } from '../../src/model/errors.js';

const codes = Object.keys(ERROR_CATALOG) as ErrorCode[];

test('every error code is documented in docs/admin-api.md', () => {
  const doc = readFileSync(new URL('../../../docs/admin-api.md', import.meta.url), 'utf8');
  const missing = codes.filter((code) => !doc.includes(`| \`${code}\` | ${ERROR_CATALOG[code].status} |`));
  assert.deepEqual(missing, [], 'each code needs a row "| `code` | status | when |" in the Errors table');
});

test('the admin API answers each code with the status of the catalog, and its default message', () => {
  for (const code of codes) {
    const reply = errorReply(new StandinError(code));
    assert.equal(reply.status, ERROR_CATALOG[code].status, code);
    assert.deepEqual(reply.body, { errors: [{ code, message: ERROR_CATALOG[code].message }] });
  }
  assert.equal(errorReply(new StandinError('bad data', 'no such stub').withStatus(404)).status, 404);
  assert.equal(errorReply(new Error('boom')).status, 500);
});
