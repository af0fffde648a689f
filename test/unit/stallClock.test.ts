// Where standin can check it, the stall limit counts CPU time, not time on the clock: a stretch
// that waits (here the thread is blocked, as it is while a loaded machine runs other processes) is
// not stopped for it, while one that computes is. And one request's user code shares one budget.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BACKSTOP_FACTOR, MAX_DILATION, StallClock, clockLimit, freshStallBudget, stretchBudget } from '../../src/model/stallClock.js';
import { runSync } from '../../src/injection/sandbox.js';
import { luaEngine } from '../../src/scripting/lua/luaEngine.js';
import { rhaiEngine } from '../../src/scripting/rhaiEngine.js';
import { MemoryFlowStore } from '../../src/state/memoryFlowStore.js';
import type { ScriptRequest } from '../../src/scripting/engine.js';

/** Blocks the thread for `ms` without using CPU (a stand-in for waiting for a CPU). */
function block(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * The CPU time the stall budget counts: the main thread's where node can tell (22 and later),
 * else the process's, GC and compiler threads included. Measured otherwise, a test's own CPU time
 * disagrees with the budget's by what those threads use, which a loaded machine makes tens of ms.
 */
const budgetCpu =
  (process as { threadCpuUsage?: (previous?: NodeJS.CpuUsage) => NodeJS.CpuUsage }).threadCpuUsage?.bind(process) ?? process.cpuUsage.bind(process);

/** CPU time `run` takes, in ms, as the budget counts it. */
function cpuOf(run: () => void): number {
  const start = budgetCpu();
  run();
  const used = budgetCpu(start);
  return (used.user + used.system) / 1000;
}

/** Computes until the budget has seen `ms` of CPU time used (however long a loaded machine takes). */
function spin(ms: number): void {
  const start = budgetCpu();
  for (;;) {
    const used = budgetCpu(start);
    if ((used.user + used.system) / 1000 >= ms) return;
  }
}

test('a stretch that waited past the limit has not spent it; one that computed past it has', () => {
  const waited = new StallClock(20);
  block(60);
  assert.equal(waited.spent(Date.now()), false);
  const computed = new StallClock(20);
  spin(40);
  assert.equal(computed.spent(Date.now()), true);
});

const request: ScriptRequest = { method: 'GET', path: '/', headers: {}, query: {}, pathParams: {}, body: null };

/** An in-memory store whose reads block the thread for `ms`, as if the machine took the CPU away meanwhile. */
function slowStore(ms: number): MemoryFlowStore {
  const store = new MemoryFlowStore(60);
  const get = store.get.bind(store);
  store.get = (flowId, key) => {
    block(ms);
    return get(flowId, key);
  };
  return store;
}

// Waiting 520 ms against a limit of 500 ms of CPU time: V8's backstop on the clock is at 600 ms or later.
test('Lua and Rhai: a short script that was kept waiting past the stall limit answers', () => {
  const limits = { timeoutMs: 5_000, stallMs: 500 };
  const lua = luaEngine.compile('function should_inject(request, flow_store)\n  flow_store:get("f", "k")\n  return { inject = true }\nend', limits);
  freshStallBudget();
  assert.deepEqual(lua.run({ request, store: slowStore(520), deadline: Date.now() + 5_000, stallMs: 500 }), { inject: true });
  const rhai = rhaiEngine.compile('fn should_inject(request, flow_store) {\n  flow_store.get("f", "k");\n  #{ inject: true }\n}', limits);
  freshStallBudget(); // the next request
  assert.deepEqual(rhai.run({ request, store: slowStore(520), deadline: Date.now() + 5_000, stallMs: 500 }), { inject: true });
});

// Stopped by the CPU check (20 ms), or by V8's clock first when the machine is busy.
test('Lua and Rhai: a loop is stopped once it has used the stall limit in CPU time', () => {
  const limits = { timeoutMs: 5_000, stallMs: 20 };
  const call = () => ({ request, store: new MemoryFlowStore(60), deadline: Date.now() + 5_000, stallMs: 20 });
  const lua = luaEngine.compile('function should_inject(request, flow_store)\n  while true do end\nend', limits);
  freshStallBudget();
  assert.throws(() => lua.run(call()), /script kept standin busy for more than 20 ms and was stopped \(--stallLimit\)/);
  freshStallBudget();
  const rhai = rhaiEngine.compile('fn should_inject(request, flow_store) {\n  loop { }\n}', limits);
  assert.throws(() => rhai.run(call()), /script kept standin busy for more than 20 ms and was stopped \(--stallLimit\)/);
});

/** Blocks the thread for `ms`, returning the CPU time the budget saw used meanwhile (on Node 20, by other threads). */
function blockCounted(ms: number): number {
  return cpuOf(() => block(ms));
}

/** Keeps the thread busy for `ms` on the clock. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

test("one request's stretches share the limit; the next request and the next turn of the event loop start afresh", async () => {
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(stretchBudget(50), 50);
  spin(30);
  assert.ok(stretchBudget(50) <= 20, 'a second stretch in the same turn gets what the first left of the CPU time');
  spin(30);
  assert.equal(stretchBudget(50), 1, 'nothing left: the next stretch is stopped at once');
  freshStallBudget();
  assert.equal(stretchBudget(50), 50);
  const others = blockCounted(60);
  assert.ok(stretchBudget(50) > 40 - others, `waiting for a CPU between two stretches does not use the budget (other threads: ${others} ms)`);
  freshStallBudget();
  assert.equal(stretchBudget(50), 50, 'the next request has a budget of its own');
  busy(30);
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(stretchBudget(50), 50, 'a later turn of the event loop too');
});

// Others wait for the whole series on the clock: on a loaded machine a looping stretch uses little
// CPU time in its MAX_DILATION x limit, and each later one would get as much clock again.
test("one request's stretches in a turn share MAX_DILATION times the limit on the clock", async () => {
  await new Promise((resolve) => setImmediate(resolve));
  freshStallBudget();
  assert.equal(stretchBudget(50), 50);
  assert.ok(clockLimit(50) <= 50 * MAX_DILATION);
  const others = blockCounted(80); // the first stretch, kept off the CPU for 80 ms of the clock
  const budget = stretchBudget(50);
  assert.ok(budget > 30 - others, `most of the CPU time is left (${budget} ms; other threads: ${others} ms)`);
  const wall = clockLimit(budget);
  assert.ok(wall <= 50 * MAX_DILATION - 80 + 1, `the next stretch gets what is left of the clock: ${wall} ms`);
  block(30);
  assert.equal(clockLimit(stretchBudget(50)), 1, 'none left: the next stretch is stopped at once');
  freshStallBudget();
  assert.ok(clockLimit(stretchBudget(50)) >= 50, 'the next request has the clock of its own');
});

test('a JavaScript function that loops after another used up the budget is stopped at once', () => {
  freshStallBudget();
  const first = cpuOf(() => assert.throws(() => runSync(() => busy(2_000), [], 10_000, 300), /kept standin busy for more than 300 ms/));
  const second = cpuOf(() => assert.throws(() => runSync(() => busy(2_000), [], 10_000, 300), /kept standin busy for more than 300 ms/));
  // Each is stopped on the clock; the second had only what the first left of the 300 ms of CPU time.
  assert.ok(second < Math.max(0, 300 - first) + 50, `the second function used ${second} ms after the first used ${first} ms`);
});

// Answers a flow store gives together (one Redis read) resume several requests' scripts in one go:
// each is a stretch of its own request and gets the whole limit, not what the others left.
test('Lua: scripts resumed together after a wait each get the whole stall limit', async () => {
  let answer!: (v: unknown) => void;
  const together = new Promise((resolve) => (answer = resolve));
  const store = new MemoryFlowStore(60);
  store.get = ((flowId: string, key: string) => {
    if (key === 'wait') return together;
    spin(12); // the work after the wait, in CPU time
    return undefined;
  }) as MemoryFlowStore['get'];
  // Ten runs of 12 ms of CPU time against a limit of 100: sharing one budget, the ninth would find
  // it used up; each on its own has 120 ms on the clock or more (a tenth of a CPU is enough).
  const limits = { timeoutMs: 5_000, stallMs: 100 };
  const lua = luaEngine.compile(
    'function should_inject(request, flow_store)\n  flow_store:get("f", "wait")\n  flow_store:get("f", "work")\n  return { inject = true }\nend',
    limits,
  );
  const runs = Array.from({ length: 10 }, () => {
    freshStallBudget(); // ten requests
    return lua.run({ request, store, deadline: Date.now() + 5_000, stallMs: 100 });
  });
  answer(undefined);
  assert.deepEqual(
    await Promise.all(runs),
    Array.from({ length: 10 }, () => ({ inject: true })),
  );
});

// What the other imposters wait for is time on the clock: however loaded the machine (the load
// average stretches V8's limits), the default 50 ms never holds them past 100 ms, backstop included.
test('V8 is given at most twice the stall limit on the clock, backstop included', () => {
  assert.equal(MAX_DILATION, 2);
  for (const backstop of [1, BACKSTOP_FACTOR]) {
    const limit = clockLimit(50, backstop);
    assert.ok(limit >= Math.ceil(50 * backstop) && limit <= 100, `${limit} ms for a 50 ms budget (backstop ${backstop})`);
  }
});
