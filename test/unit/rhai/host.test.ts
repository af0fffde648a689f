// The boundary with the host: values converted both ways, host objects with methods, host calls
// answering Promises (the run suspends and resumes), the deadline, and print/debug.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRhai, RhaiRuntimeError, RhaiTimeoutError } from '../../../src/scripting/rhai/index.js';

describe('Rhai host boundary', () => {
  it('converts JS values in and out: objects to maps, integers stay integers', () => {
    const p = compileRhai('fn f(x) { [type_of(x.n), type_of(x.f), type_of(x.list), type_of(x.map), type_of(x.none), type_of(x.nil), x] }');
    const input = { n: 3, f: 2.5, list: [1, 'a'], map: { k: true }, none: undefined, nil: null };
    assert.deepEqual(p.call('f', [input]), [
      'i64',
      'f64',
      'array',
      'map',
      '()',
      '()',
      { n: 3, f: 2.5, list: [1, 'a'], map: { k: true }, none: undefined, nil: undefined },
    ]);
    assert.equal(compileRhai('fn f() { () }').call('f', []), undefined);
  });

  it('calls methods of host objects with converted arguments and results', () => {
    const seen: unknown[] = [];
    const host = {
      record(...args: unknown[]) {
        seen.push(args);
        return { ok: true, count: seen.length };
      },
    };
    const p = compileRhai('fn f(h) { let r = h.record("id", 1, 2.5, #{a: [1]}, ()); r.count + 10 }');
    assert.equal(p.call('f', [host]), 11);
    assert.deepEqual(seen, [['id', 1, 2.5, { a: [1] }, undefined]]);
  });

  it('treats class instances as host objects too', () => {
    class Counter {
      n = 0;
      next() {
        return ++this.n;
      }
    }
    const counter = new Counter();
    assert.equal(compileRhai('fn f(c) { c.next(); c.next() }').call('f', [counter]), 2);
    assert.throws(() => compileRhai('fn f(c) { c.missing() }').call('f', [counter]), /the host object has no method 'missing'/);
  });

  it('request.headers.get answers () for a missing header', () => {
    const p = compileRhai('fn f(request) { let v = request.headers.get("x-a"); if v == () { "none" } else { v } }');
    assert.equal(p.call('f', [{ headers: {} }]), 'none');
    assert.equal(p.call('f', [{ headers: { 'x-a': 'yes' } }]), 'yes');
  });

  it('suspends on a Promise from a host call and resumes with its value, calling each host function once', async () => {
    const calls: string[] = [];
    const prints: string[] = [];
    const store = {
      get: (k: string) => {
        calls.push(`get ${k}`);
        return new Promise((resolve) => setTimeout(() => resolve(k.length), 5));
      },
      now: () => {
        calls.push('now');
        return 100;
      },
    };
    const p = compileRhai('fn f(s) { print("start"); let a = s.get("ab"); let t = s.now(); print(`a=${a}`); let b = s.get("abcd"); a + b + t }');
    const result = p.call('f', [store], { print: (t) => prints.push(t) });
    assert.ok(result instanceof Promise);
    assert.equal(await result, 2 + 4 + 100);
    assert.deepEqual(calls, ['get ab', 'now', 'get abcd'], 'replaying never repeats a host call');
    assert.deepEqual(prints, ['start', 'a=2'], 'replaying never repeats a print');
  });

  it('turns a rejected host Promise or a throwing host function into a RhaiRuntimeError with a position', async () => {
    const store = {
      fail: () => Promise.reject(new Error('redis is down')),
      boom: () => {
        throw new Error('sync failure');
      },
    };
    const p = compileRhai('fn f(s) {\n  s.fail()\n}\nfn g(s) { s.boom() }\nfn h(s) { try { s.fail() } catch (e) { "handled: " + e } }');
    await assert.rejects(Promise.resolve(p.call('f', [store])), (err: unknown) => {
      assert.ok(err instanceof RhaiRuntimeError);
      assert.match(err.message, /fail\(\) failed: redis is down \(line 2, column 5\)/);
      assert.equal((err as { cause?: Error }).cause?.message, 'redis is down');
      return true;
    });
    assert.throws(() => p.call('g', [store]), /boom\(\) failed: sync failure/);
    assert.match(String(await p.call('h', [store])), /^handled: fail\(\) failed: redis is down/);
  });

  it('stops an endless loop at the deadline', () => {
    const p = compileRhai('fn spin() { let i = 0; loop { i += 1; } }\nfn recurse(n) { while true { } }');
    const started = Date.now();
    assert.throws(
      () => p.call('spin', [], { deadline: Date.now() + 100 }),
      (err: unknown) => {
        assert.ok(err instanceof RhaiTimeoutError);
        assert.ok(err instanceof RhaiRuntimeError);
        assert.match(err.message, /ran past its deadline/);
        return true;
      },
    );
    assert.ok(Date.now() - started >= 95, 'it ran until the deadline');
    assert.throws(() => p.call('recurse', [0], { deadline: Date.now() + 20 }), RhaiTimeoutError);
    assert.throws(
      () => compileRhai('fn f() { try { loop { } } catch { 1 } }').call('f', [], { deadline: Date.now() + 20 }),
      RhaiTimeoutError,
      'try/catch cannot swallow a timeout',
    );
  });

  it('stops waiting for a host Promise that outlives the deadline', async () => {
    const never = { wait: () => new Promise(() => {}) };
    const result = compileRhai('fn f(s) { s.wait() }').call('f', [never], { deadline: Date.now() + 50 });
    await assert.rejects(Promise.resolve(result), RhaiTimeoutError);
  });

  it('sends print and debug to the print callback', () => {
    const out: string[] = [];
    compileRhai('fn f() { print("hi " + 1); debug("q"); print([1, "a"]); debug(()); }').call('f', [], { print: (t) => out.push(t) });
    assert.deepEqual(out, ['hi 1', '"q"', '[1, "a"]', '()']);
  });
});

describe('Rhai host boundary: maps over JS objects and concurrent runs', () => {
  it('reads a JS object lazily but behaves as a full map, never writing back to the object', () => {
    const request = { headers: { b: '2', a: '1', c: '3' }, body: { n: 1 } };
    const p = compileRhai(`fn f(r) {
      let h = r.headers;
      h.z = "26";
      r.headers.a = "changed";
      let removed = r.headers.remove("c");
      [r.headers.len(), r.headers.keys(), h.keys(), removed, "b" in r.headers, r.headers.contains("c"), r.body.n + 1, r.headers]
    }`);
    assert.deepEqual(p.call('f', [request]), [2, ['a', 'b'], ['a', 'b', 'c', 'z'], '3', true, false, 2, { b: '2', a: 'changed' }]);
    assert.deepEqual(request, { headers: { b: '2', a: '1', c: '3' }, body: { n: 1 } }, 'the host object is untouched');
  });

  it('keeps concurrent suspended runs of one program apart', async () => {
    const p = compileRhai('fn f(s, id) { let a = s.slow(id, 1); let b = s.slow(id, 2); `${id}:${a}+${b}` }');
    const store = {
      slow: (id: string, n: number) => new Promise((resolve) => setTimeout(() => resolve(`${id}${n}`), id === 'x' ? 15 : 1)),
    };
    const [x, y] = await Promise.all([p.call('f', [store, 'x']), p.call('f', [store, 'y'])]);
    assert.equal(x, 'x:x1+x2');
    assert.equal(y, 'y:y1+y2');
  });
});
