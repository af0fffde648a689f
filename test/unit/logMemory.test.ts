// GET /logs reads the logger's memory: entries packed in batches must come back exactly, in
// order, by absolute index, with only the newest `cap` kept.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Logger } from '../../src/logging/logger.js';
import { LogMemory } from '../../src/logging/logMemory.js';

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
const entry = (n: number) => ({
  level: LEVELS[n % 4] ?? 'debug',
  message: `line ${n} ✓`,
  timestamp: `2026-12-01T00:00:00.${String(n % 1000).padStart(3, '0')}Z`,
});

describe('log memory', () => {
  it('gives back every entry across batches, pending ones included', () => {
    const memory = new LogMemory(100);
    for (let n = 0; n < 30; n++) {
      memory.add(entry(n));
      if (n % 7 === 6) memory.pack();
    }
    assert.deepEqual(
      memory.entries(),
      Array.from({ length: 30 }, (_, n) => entry(n)),
    );
    assert.deepEqual(memory.entries(5, 9), [5, 6, 7, 8, 9].map(entry));
    assert.deepEqual(memory.entries(29, 40), [entry(29)]);
    assert.deepEqual(memory.entries(31), []);
  });

  it('keeps the newest cap entries and keeps absolute indexes', () => {
    const memory = new LogMemory(10);
    for (let n = 0; n < 57; n++) {
      memory.add(entry(n));
      if (n % 4 === 3) memory.pack();
    }
    const all = memory.entries();
    assert.deepEqual(
      all,
      Array.from({ length: 10 }, (_, i) => entry(47 + i)),
    );
    assert.deepEqual(memory.entries(0, 48), [entry(47), entry(48)]);
    assert.deepEqual(memory.entries(50, 50), [entry(50)]);
  });

  it('the logger serves what it logged, beyond one flush', async () => {
    const logger = new Logger({ level: 'info', logfile: null, console: false, memoryCap: 5000 });
    for (let n = 0; n < 3000; n++) logger.info(`request ${n}`);
    logger.debug('not kept: below the level');
    logger.warn('last');
    const logs = logger.entries();
    assert.equal(logs.length, 3001);
    assert.equal(logs[0]!.message, 'request 0');
    assert.equal(logs[2999]!.message, 'request 2999');
    assert.deepEqual({ level: logs[3000]!.level, message: logs[3000]!.message }, { level: 'warn', message: 'last' });
    assert.match(logs[3000]!.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    await logger.close();
  });

  it('holds at most its character budget whatever the entry count, and shortens an entry past 64 Ki characters', () => {
    const memory = new LogMemory(10_000, 1_000_000);
    const big = 'x'.repeat(200_000);
    for (let n = 0; n < 20; n++) {
      memory.add({ level: 'warn', message: `${n} ${big}`, timestamp: '2026-12-01T00:00:00.000Z' });
      memory.pack();
    }
    const kept = memory.entries();
    const chars = kept.reduce((sum, e) => sum + e.message.length, 0);
    assert.ok(chars <= 1_000_000, `${chars} characters kept`);
    assert.ok(kept.length >= 10, `only ${kept.length} entries kept`);
    assert.equal(kept.at(-1)!.message.slice(0, 3), '19 ');
    assert.match(kept.at(-1)!.message, /\.\.\. \(200003 characters; shortened here, whole in the console and log file\)$/);
    assert.equal(kept.at(-1)!.message.indexOf('...'), 64 * 1024);
    // Absolute indexes still count every entry ever logged.
    assert.deepEqual(
      memory.entries(19, 19).map((e) => e.message.slice(0, 3)),
      ['19 '],
    );
  });
  it('builds a deferred message only when it is read, once, in its place among the others', () => {
    const memory = new LogMemory(100, 1_000_000, 1_000);
    let builds = 0;
    const later = (n: number) => ({
      build: () => {
        builds++;
        return `explained ${n}`;
      },
      weight: 10,
    });
    memory.add(entry(0));
    memory.addDeferred({ level: 'info', message: '', timestamp: entry(1).timestamp }, later(1));
    memory.add(entry(2));
    memory.pack();
    memory.addDeferred({ level: 'info', message: '', timestamp: entry(3).timestamp }, later(3));
    memory.pack();
    assert.equal(builds, 0, 'nothing built before anyone reads');
    assert.deepEqual(memory.entries(2, 2), [entry(2)]);
    assert.equal(builds, 0, 'reading other entries builds nothing');
    const all = memory.entries();
    assert.deepEqual(
      all.map((e) => e.message),
      ['line 0 ✓', 'explained 1', 'line 2 ✓', 'explained 3'],
    );
    assert.deepEqual(all[1], { level: 'info', message: 'explained 1', timestamp: entry(1).timestamp });
    memory.entries();
    assert.equal(builds, 2, 'each built once');
  });

  it('builds the oldest deferred messages past its weight budget, and never those dropped unread', () => {
    const built: number[] = [];
    const memory = new LogMemory(5, 1_000_000, 300);
    for (let n = 0; n < 10; n++) {
      memory.addDeferred({ level: 'info', message: '', timestamp: entry(n).timestamp }, { build: () => (built.push(n), `m${n}`), weight: 100 });
      if (n % 5 === 4) memory.pack();
    }
    // 0-4 weighed 500: the two oldest were built. Then 2-4 went beyond the cap unread, and of
    // 5-9 the two oldest were built.
    assert.deepEqual(built, [0, 1, 5, 6]);
    assert.deepEqual(
      memory.entries().map((e) => e.message),
      ['m5', 'm6', 'm7', 'm8', 'm9'],
    );
    assert.deepEqual(built, [0, 1, 5, 6, 7, 8, 9]);

    const once = new LogMemory(5, 1_000_000, 300);
    const builtOnce: number[] = [];
    for (let n = 0; n < 10; n++) {
      once.addDeferred({ level: 'info', message: '', timestamp: entry(n).timestamp }, { build: () => (builtOnce.push(n), `m${n}`), weight: 100 });
    }
    once.pack();
    assert.deepEqual(builtOnce, [5, 6], 'beyond the cap in one batch: let go unbuilt');
  });

  it('the logger defers an info line only where GET /logs is the one reader', async () => {
    let builds = 0;
    const build = () => `built ${++builds}`;
    const quiet = new Logger({ level: 'info', logfile: null, console: false });
    quiet.infoLater(build, 10);
    quiet.flushSync();
    assert.equal(builds, 0);
    assert.equal(quiet.entries()[0]!.message, 'built 1');
    const lines: string[] = [];
    const withSink = new Logger({ level: 'info', logfile: null, console: false, sink: (e) => lines.push(e.message) });
    withSink.infoLater(build, 10);
    assert.deepEqual(lines, ['built 2'], 'a sink gets the line as it is logged');
    const atWarn = new Logger({ level: 'warn', logfile: null, console: false, sink: (e) => lines.push(e.message) });
    atWarn.infoLater(build, 10);
    atWarn.scoped('[x] ').infoLater(build, 10);
    assert.equal(builds, 2, 'below the level: never built');
    withSink.scoped('[http:1] ').infoLater(build, 10);
    assert.deepEqual(lines, ['built 2', '[http:1] built 3']);
    await Promise.all([quiet.close(), withSink.close(), atWarn.close()]);
  });
});
