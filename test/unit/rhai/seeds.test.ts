// The Rhai scripts of seed 002 ("Rift Extensions"), pasted exactly as the seed prints them inside
// JSON (a JSON string is a valid JavaScript string literal), run against a small in-memory
// flow store with the same contract as standin's: get, set, increment, delete, exists, set_ttl.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileRhai } from '../../../src/scripting/rhai/index.js';

const PER_USER_RETRY =
  'fn should_inject(request, flow_store) { let user_id = request.headers.get("x-user-id"); if user_id == () { user_id = "anonymous"; }; let attempts = flow_store.increment(user_id, "attempts"); if attempts <= 2 { #{inject: true, fault: "error", status: 503, body: `{"error":"Temporary failure","attempt":${attempts},"user":"${user_id}"}`, headers: #{"Content-Type": "application/json", "Retry-After": "1"}} } else { #{inject: false} } }';
const QUOTA =
  'fn should_inject(request, flow_store) { let api_key = request.headers.get("x-api-key"); if api_key == () { return #{inject: true, fault: "error", status: 401, body: "{\\"error\\":\\"API key required\\"}", headers: #{"Content-Type": "application/json"}}; }; let used = flow_store.get(api_key, "quota_used"); if used == () { used = 0; }; let limit = 1000; if used >= limit { #{inject: true, fault: "error", status: 402, body: `{"error":"Quota exceeded","used":${used},"limit":${limit}}`, headers: #{"Content-Type": "application/json"}} } else { flow_store.set(api_key, "quota_used", used + 1); #{inject: false} } }';
const QUOTA_RESET =
  'fn should_inject(request, flow_store) { let api_key = request.headers.get("x-api-key"); if api_key == () { api_key = "default"; }; flow_store.delete(api_key, "quota_used"); #{inject: true, fault: "error", status: 200, body: "{\\"message\\":\\"Quota reset\\"}", headers: #{"Content-Type": "application/json"}} }';

/** A flow store like standin's in-memory one, minus expiry. */
function memoryStore() {
  const data = new Map<string, unknown>();
  const key = (flowId: string, k: string) => `${flowId}:${k}`;
  return {
    data,
    get: (flowId: string, k: string) => data.get(key(flowId, k)),
    set: (flowId: string, k: string, v: unknown) => (data.set(key(flowId, k), v), true),
    exists: (flowId: string, k: string) => data.has(key(flowId, k)),
    delete: (flowId: string, k: string) => data.delete(key(flowId, k)),
    increment: (flowId: string, k: string) => {
      const next = ((data.get(key(flowId, k)) as number | undefined) ?? 0) + 1;
      data.set(key(flowId, k), next);
      return next;
    },
    set_ttl: () => true,
  };
}

/** The same store answering every call with a Promise, as the Redis store does. */
function asyncStore() {
  const inner = memoryStore();
  const later = <T>(v: T) => new Promise<T>((resolve) => setImmediate(() => resolve(v)));
  return {
    data: inner.data,
    get: (f: string, k: string) => later(inner.get(f, k)),
    set: (f: string, k: string, v: unknown) => later(inner.set(f, k, v)),
    exists: (f: string, k: string) => later(inner.exists(f, k)),
    delete: (f: string, k: string) => later(inner.delete(f, k)),
    increment: (f: string, k: string) => later(inner.increment(f, k)),
    set_ttl: () => later(true),
  };
}

const request = (headers: Record<string, string>) => ({ method: 'GET', path: '/api/resource', headers, query: {}, body: undefined });

describe('seed 002 Rhai scripts', () => {
  it('per-user retry: each user fails twice, then succeeds, independently', () => {
    const program = compileRhai(PER_USER_RETRY);
    const store = memoryStore();
    const call = (user?: string) => program.call('should_inject', [request(user ? { 'x-user-id': user } : {}), store]) as Record<string, unknown>;
    const a1 = call('alice');
    assert.deepEqual(a1, {
      inject: true,
      fault: 'error',
      status: 503,
      body: '{"error":"Temporary failure","attempt":1,"user":"alice"}',
      headers: { 'Content-Type': 'application/json', 'Retry-After': '1' },
    });
    assert.equal(call('alice').body, '{"error":"Temporary failure","attempt":2,"user":"alice"}');
    assert.equal(call('bob').body, '{"error":"Temporary failure","attempt":1,"user":"bob"}');
    assert.deepEqual(call('alice'), { inject: false });
    assert.equal(call('bob').body, '{"error":"Temporary failure","attempt":2,"user":"bob"}');
    assert.deepEqual(call('bob'), { inject: false });
    assert.equal(call().body, '{"error":"Temporary failure","attempt":1,"user":"anonymous"}');
    assert.equal(store.data.get('alice:attempts'), 3);
  });

  it('quota: 401 without a key, counts use, 402 once the limit is reached, reset deletes', () => {
    const quota = compileRhai(QUOTA);
    const reset = compileRhai(QUOTA_RESET);
    const store = memoryStore();
    const use = (key?: string) => quota.call('should_inject', [request(key ? { 'x-api-key': key } : {}), store]) as Record<string, unknown>;
    assert.deepEqual(use(), {
      inject: true,
      fault: 'error',
      status: 401,
      body: '{"error":"API key required"}',
      headers: { 'Content-Type': 'application/json' },
    });
    assert.deepEqual(use('k1'), { inject: false });
    assert.equal(store.data.get('k1:quota_used'), 1);
    store.data.set('k1:quota_used', 999);
    assert.deepEqual(use('k1'), { inject: false });
    const refused = use('k1');
    assert.equal(refused.status, 402);
    assert.equal(refused.body, '{"error":"Quota exceeded","used":1000,"limit":1000}');
    assert.deepEqual(use('k2'), { inject: false }, 'another key has its own quota');

    const answer = reset.call('should_inject', [request({ 'x-api-key': 'k1' }), store]) as Record<string, unknown>;
    assert.deepEqual(answer, {
      inject: true,
      fault: 'error',
      status: 200,
      body: '{"message":"Quota reset"}',
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(store.data.has('k1:quota_used'), false);
    assert.deepEqual(use('k1'), { inject: false });
    assert.equal(store.data.get('k1:quota_used'), 1);
  });

  it('quota reset without a key resets the "default" key', () => {
    const reset = compileRhai(QUOTA_RESET);
    const store = memoryStore();
    store.data.set('default:quota_used', 5);
    reset.call('should_inject', [request({}), store]);
    assert.equal(store.data.has('default:quota_used'), false);
  });

  it('the same scripts run against a store whose every call answers a Promise', async () => {
    const retry = compileRhai(PER_USER_RETRY);
    const quota = compileRhai(QUOTA);
    const store = asyncStore();
    const first = retry.call('should_inject', [request({ 'x-user-id': 'carol' }), store]);
    assert.ok(first instanceof Promise, 'a script that met a Promise answers a Promise');
    assert.equal(((await first) as Record<string, unknown>).body, '{"error":"Temporary failure","attempt":1,"user":"carol"}');
    await retry.call('should_inject', [request({ 'x-user-id': 'carol' }), store]);
    assert.deepEqual(await retry.call('should_inject', [request({ 'x-user-id': 'carol' }), store]), { inject: false });
    assert.equal(store.data.get('carol:attempts'), 3, 'each increment ran exactly once');

    assert.deepEqual(await quota.call('should_inject', [request({ 'x-api-key': 'q' }), store]), { inject: false });
    assert.deepEqual(await quota.call('should_inject', [request({ 'x-api-key': 'q' }), store]), { inject: false });
    assert.equal(store.data.get('q:quota_used'), 2, 'get then set ran once per call');
  });

  it('a script that calls no async host function answers synchronously', () => {
    const result = compileRhai(PER_USER_RETRY).call('should_inject', [request({}), memoryStore()]);
    assert.ok(!(result instanceof Promise));
  });
});
