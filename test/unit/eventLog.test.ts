// The event log's ring: cursors, gaps reported as missed, and request events kept only once watched.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DELIVERY_MS, EventLog } from '../../src/events/eventLog.js';
import { RequestJournal } from '../../src/core/requestJournal.js';

describe('EventLog', () => {
  it('hands a reader the events after its cursor, and counts those the ring dropped', () => {
    const log = new EventLog(3);
    for (let port = 1; port <= 5; port++) log.imposter('created', port);
    assert.equal(log.lastId, 5);
    assert.equal(log.missedAfter(0), 2);
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((id) => log.at(id)?.id),
      [undefined, undefined, 3, 4, 5, undefined],
    );
    assert.equal(log.missedAfter(2), 0);
    assert.equal(log.missedAfter(3), 0);
    assert.equal(log.missedAfter(5), 0);
    assert.deepEqual(log.at(3)!.data, { action: 'created', port: 3 });
  });

  it('keeps request events only once someone has subscribed, and wakes readers once for what a delivery interval gathered', async () => {
    const log = new EventLog(10);
    assert.equal(log.keepsRequests, false);
    let wakes = 0;
    const unsubscribe = log.subscribe({ wake: () => wakes++ });
    assert.equal(log.keepsRequests, true);
    log.imposter('created', 1);
    await new Promise((r) => setImmediate(r));
    log.imposter('stubsChanged', 1);
    assert.equal(wakes, 0, 'a delivery waits for the events after it');
    await new Promise((r) => setTimeout(r, DELIVERY_MS * 3));
    assert.equal(wakes, 1);
    unsubscribe();
    log.imposter('deleted', 1);
    await new Promise((r) => setTimeout(r, DELIVERY_MS * 3));
    assert.equal(wakes, 1);
    assert.equal(log.keepsRequests, true, 'a reader that left may come back with Last-Event-ID');
  });
});

describe('RequestJournal indices', () => {
  it('numbers items from 1, never reuses a number after a clear, and knows what the cap evicted', () => {
    const journal = new RequestJournal<string>(2);
    assert.equal(journal.add('a'), 1);
    assert.equal(journal.add('b'), 2);
    assert.equal(journal.add('c'), 3);
    assert.deepEqual(journal.toArray(), ['b', 'c']);
    assert.deepEqual(journal.since(2), ['c']);
    assert.equal(journal.evictedAfter(0), true);
    assert.equal(journal.evictedAfter(1), false);
    journal.clear();
    assert.equal(journal.add('d'), 4);
    assert.deepEqual(journal.since(0), ['d']);
    assert.deepEqual(journal.since(9), []);
    assert.equal(journal.lastIndex, 4);
    assert.equal(journal.evictedAfter(2), false, 'cleared on request is not evicted');
  });
});
