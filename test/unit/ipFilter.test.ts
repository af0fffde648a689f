import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createIpFilter } from '../../src/server/ipFilter.js';

describe('createIpFilter', () => {
  it('allows everyone by default', () => {
    const allow = createIpFilter(false, ['*']);
    assert.equal(allow('203.0.113.9'), true);
  });

  it('--localOnly allows loopback addresses only, in IPv4-mapped form too', () => {
    const allow = createIpFilter(true, ['*']);
    assert.equal(allow('127.0.0.1'), true);
    assert.equal(allow('::ffff:127.0.0.1'), true);
    assert.equal(allow('::1'), true);
    assert.equal(allow('203.0.113.9'), false);
    assert.equal(allow(undefined), false);
  });

  it('--ipWhitelist allows the listed addresses plus local ones', () => {
    const allow = createIpFilter(false, ['203.0.113.9', '198.51.100.1']);
    assert.equal(allow('::ffff:203.0.113.9'), true);
    assert.equal(allow('198.51.100.1'), true);
    assert.equal(allow('127.0.0.1'), true);
    assert.equal(allow('203.0.113.10'), false);
  });

  it('--localOnly wins over --ipWhitelist', () => {
    const allow = createIpFilter(true, ['203.0.113.9']);
    assert.equal(allow('203.0.113.9'), false);
  });
});
