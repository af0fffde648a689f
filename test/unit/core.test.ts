// Unit tests for the small pieces of the core that have no socket of their own.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RequestJournal } from '../../src/core/requestJournal.js';
import { upcastResponse } from '../../src/model/upcast.js';
import { headersFromRaw } from '../../src/model/headers.js';
import { parseQuery } from '../../src/protocols/http/httpRequest.js';
import { compileHttpReply } from '../../src/protocols/http/httpReply.js';

describe('RequestJournal', () => {
  it('keeps the newest items up to its capacity, in order', () => {
    const journal = new RequestJournal<number>(3);
    for (let i = 1; i <= 7; i++) journal.add(i);
    assert.deepEqual(journal.toArray(), [5, 6, 7]);
    assert.equal(journal.size, 3);
    journal.clear();
    assert.deepEqual(journal.toArray(), []);
    journal.add(8);
    assert.deepEqual(journal.toArray(), [8]);
  });

  it('keeps nothing with a capacity of 0', () => {
    const journal = new RequestJournal<number>(0);
    journal.add(1);
    assert.deepEqual(journal.toArray(), []);
  });
});

describe('upcastResponse', () => {
  it('turns the old _behaviors object into repeat and an ordered behaviors array', () => {
    const upcast = upcastResponse({
      is: {},
      _behaviors: { decorate: 'fn', shellTransform: ['a', 'b'], copy: [{ from: 'path' }], wait: 5, lookup: { key: 1 }, repeat: 2 },
    });
    assert.deepEqual(upcast, {
      is: {},
      repeat: 2,
      behaviors: [{ wait: 5 }, { lookup: { key: 1 } }, { copy: { from: 'path' } }, { shellTransform: 'a' }, { shellTransform: 'b' }, { decorate: 'fn' }],
    });
  });

  it('keeps proxy: null and a string statusCode as sent, as mountebank echoes them', () => {
    assert.deepEqual(upcastResponse({ is: { statusCode: '404' }, proxy: null }), { is: { statusCode: '404' }, proxy: null });
  });

  it('moves {repeat} out of the behaviors array', () => {
    assert.deepEqual(upcastResponse({ is: {}, behaviors: [{ repeat: 2 }, { wait: 1 }] }), { is: {}, repeat: 2, behaviors: [{ wait: 1 }] });
  });
});

describe('http request parts', () => {
  it('keeps header case and folds repeats (in any case) into arrays', () => {
    assert.deepEqual(headersFromRaw(['Host', 'x', 'X-A', '1', 'x-a', '2', 'X-A', '3']), { Host: 'x', 'X-A': ['1', '2', '3'] });
  });

  it("parses queries exactly as node's querystring does (randomized)", async () => {
    const querystring = (await import('node:querystring')).default;
    const alphabet = ['a', 'b', 'A', '=', '&', '+', '%20', '%', '%zz', '%C3%A9', ' ', '__proto__', 'constructor', '1'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let i = 0; i < 5000; i++) {
      let search = '';
      const length = Math.floor(next() * 12);
      for (let j = 0; j < length; j++) search += alphabet[Math.floor(next() * alphabet.length)];
      assert.deepEqual(JSON.stringify(parseQuery(search)), JSON.stringify({ ...querystring.parse(search) }), search);
    }
  });

  it('parses queries as mountebank does', () => {
    assert.deepEqual(parseQuery('a=1&a=2&b=%20x&WSDL'), { a: ['1', '2'], b: ' x', WSDL: '' });
    assert.deepEqual(parseQuery(''), {});
  });
});

describe('compileHttpReply', () => {
  it('falls back field by field to the default response', () => {
    const reply = compileHttpReply({ statusCode: 201 }, { statusCode: 404, headers: { 'X-D': '1' }, body: 'd' }, null);
    assert.equal(reply.statusCode, 201);
    assert.deepEqual(reply.headers, ['X-D', '1', 'Connection', 'close']);
    assert.equal(reply.body.toString(), 'd');
  });

  it('refuses header values that cannot go on the wire', () => {
    assert.throws(() => compileHttpReply({ headers: { 'X-Bad': 'a\nb' } }, undefined, null), /invalid value for header/);
    assert.throws(() => compileHttpReply({ headers: { 'bad name': 'x' } }, undefined, null), /invalid header name/);
  });
});
