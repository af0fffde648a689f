// The in-memory flow store: values keep their type, writes reset a key's expiry, and expired
// keys are swept so memory stays bounded under many flow ids.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryFlowStore } from '../../src/state/memoryFlowStore.js';

function clocked(ttlSeconds: number) {
  let now = 1_000_000;
  const store = new MemoryFlowStore(ttlSeconds, () => now);
  return { store, advance: (ms: number) => (now += ms) };
}

describe('MemoryFlowStore', () => {
  it('gets what was set, increments from 1, deletes and reports existence', () => {
    const { store } = clocked(60);
    assert.equal(store.get('f', 'k'), undefined);
    assert.equal(store.set('f', 'k', { a: [1, 'two'] }), true);
    assert.deepEqual(store.get('f', 'k'), { a: [1, 'two'] });
    assert.equal(store.increment('f', 'n'), 1);
    assert.equal(store.increment('f', 'n'), 2);
    assert.equal(store.increment('g', 'n'), 1, 'flows are apart');
    assert.equal(store.exists('f', 'n'), true);
    assert.equal(store.delete('f', 'n'), true);
    assert.equal(store.delete('f', 'n'), false);
    assert.equal(store.exists('f', 'n'), false);
  });

  it('expires a key ttlSeconds after its last write, each write starting the clock again', () => {
    const { store, advance } = clocked(10);
    store.increment('f', 'n');
    advance(8_000);
    store.increment('f', 'n');
    advance(8_000);
    assert.equal(store.get('f', 'n'), 2, 'the second write reset the expiry');
    advance(2_001);
    assert.equal(store.get('f', 'n'), undefined);
    assert.equal(store.increment('f', 'n'), 1, 'an expired counter starts again');
  });

  it('set_ttl moves the expiry of every key the flow has', () => {
    const { store, advance } = clocked(10);
    store.set('f', 'a', 1);
    store.set('f', 'b', 2);
    store.set('g', 'a', 3);
    assert.equal(store.setTtl('f', 60), true);
    assert.equal(store.setTtl('nobody', 60), false);
    advance(30_000);
    assert.deepEqual([store.get('f', 'a'), store.get('f', 'b'), store.get('g', 'a')], [1, 2, undefined]);
  });

  it('sweeps expired keys so many flow ids do not grow memory', () => {
    const { store, advance } = clocked(1);
    for (let i = 0; i < 10_000; i++) store.increment(`user-${i}`, 'attempts');
    assert.equal(store.size, 10_000);
    advance(1_500);
    store.increment('fresh', 'attempts');
    store.sweep();
    assert.equal(store.size, 1);
  });

  it('runs the sweep on its own timer', async () => {
    const store = new MemoryFlowStore(1);
    for (let i = 0; i < 100; i++) store.set(`user-${i}`, 'k', i);
    await new Promise((r) => setTimeout(r, 2_500));
    assert.equal(store.size, 0);
    await store.close();
  });
});
