// Seed 002's four scripts with the same logic in JavaScript. `await` on flow_store calls works
// with both backends (values in memory, promises with Redis).
export const retryJs = `async function should_inject(request, flow_store) {
  const user_id = request.headers['x-user-id'] ?? 'anonymous';
  const attempts = await flow_store.increment(user_id, 'attempts');
  if (attempts <= 2) {
    return { inject: true, fault: 'error', status: 503,
      body: JSON.stringify({ error: 'Temporary failure', attempt: attempts, user: user_id }),
      headers: { 'Content-Type': 'application/json', 'Retry-After': '1' } };
  }
  return { inject: false };
}`;

export const rateLimitJs = `async function should_inject(request, flow_store) {
  const client_ip = request.headers['x-forwarded-for'] ?? 'default';
  const now = Math.floor(Date.now() / 1000);
  const window_key = client_ip + ':' + Math.floor(now / 60);
  const count = await flow_store.increment(window_key, 'requests');
  await flow_store.set_ttl(window_key, 60);
  if (count > 100) {
    return { inject: true, fault: 'error', status: 429,
      body: JSON.stringify({ error: 'Rate limit: 100 requests per minute', count }),
      headers: { 'Content-Type': 'application/json', 'Retry-After': String(60 - (now % 60)),
        'X-RateLimit-Limit': '100', 'X-RateLimit-Remaining': '0' } };
  }
  return { inject: false };
}`;

export const quotaJs = `async function should_inject(request, flow_store) {
  const api_key = request.headers['x-api-key'];
  if (api_key === undefined) {
    return { inject: true, fault: 'error', status: 401, body: '{"error":"API key required"}', headers: { 'Content-Type': 'application/json' } };
  }
  const used = (await flow_store.get(api_key, 'quota_used')) ?? 0;
  const limit = 1000;
  if (used >= limit) {
    return { inject: true, fault: 'error', status: 402, body: JSON.stringify({ error: 'Quota exceeded', used, limit }),
      headers: { 'Content-Type': 'application/json' } };
  }
  await flow_store.set(api_key, 'quota_used', used + 1);
  return { inject: false };
}`;

export const quotaResetJs = `async function should_inject(request, flow_store) {
  const api_key = request.headers['x-api-key'] ?? 'default';
  await flow_store.delete(api_key, 'quota_used');
  return { inject: true, fault: 'error', status: 200, body: '{"message":"Quota reset"}', headers: { 'Content-Type': 'application/json' } };
}`;

export const circuitBreakerJs = `async function should_inject(request, flow_store) {
  const fid = 'circuit';
  const state = (await flow_store.get(fid, 'state')) ?? 'closed';
  let failures = (await flow_store.get(fid, 'failures')) ?? 0;
  const last_failure = (await flow_store.get(fid, 'last_failure')) ?? 0;
  const now = Math.floor(Date.now() / 1000);
  if (state === 'open' && now - last_failure > 30) {
    await flow_store.set(fid, 'state', 'half-open');
    return { inject: false };
  }
  if (state === 'open') {
    return { inject: true, fault: 'error', status: 503,
      body: JSON.stringify({ error: 'Circuit breaker open', retry_after: 30 - (now - last_failure) }),
      headers: { 'Content-Type': 'application/json' } };
  }
  if (Math.random() < 0.2) {
    failures = failures + 1;
    await flow_store.set(fid, 'failures', failures);
    await flow_store.set(fid, 'last_failure', now);
    if (failures >= 5) await flow_store.set(fid, 'state', 'open');
    return { inject: true, fault: 'error', status: 500, body: JSON.stringify({ error: 'Backend failure', failures }),
      headers: { 'Content-Type': 'application/json' } };
  }
  await flow_store.set(fid, 'failures', 0);
  await flow_store.set(fid, 'state', 'closed');
  return { inject: false };
}`;

/** Not from the seed: opens the circuit as if its last failure was `?ago=` seconds back, so tests reach the open and half-open states without waiting. */
export const openCircuitLua = `function should_inject(request, flow_store)
  flow_store:set('circuit', 'state', 'open')
  flow_store:set('circuit', 'last_failure', os.time() - tonumber(request.query['ago']))
  return { inject = true, fault = 'error', status = 204 }
end`;
