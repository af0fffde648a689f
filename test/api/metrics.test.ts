// GET /metrics scraped from the real executable after traffic, and read as Prometheus would.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import { del, freePort, get, post } from '../support/http.js';
import { parsePrometheus, valueOf } from '../support/prometheus.js';
import { startStandin, type StandinProcess } from '../support/standinProcess.js';

// mountebank 2.9.1's process metrics (prom-client's defaults, prefix mb_), as its /metrics lists them.
const MB_PROCESS_FAMILIES = [
  'mb_process_cpu_user_seconds_total',
  'mb_process_cpu_system_seconds_total',
  'mb_process_cpu_seconds_total',
  'mb_process_start_time_seconds',
  'mb_process_resident_memory_bytes',
  'mb_process_virtual_memory_bytes',
  'mb_process_heap_bytes',
  'mb_process_open_fds',
  'mb_process_max_fds',
  'mb_nodejs_eventloop_lag_seconds',
  'mb_nodejs_eventloop_lag_min_seconds',
  'mb_nodejs_eventloop_lag_max_seconds',
  'mb_nodejs_eventloop_lag_mean_seconds',
  'mb_nodejs_eventloop_lag_stddev_seconds',
  'mb_nodejs_eventloop_lag_p50_seconds',
  'mb_nodejs_eventloop_lag_p90_seconds',
  'mb_nodejs_eventloop_lag_p99_seconds',
  'mb_nodejs_active_resources',
  'mb_nodejs_active_resources_total',
  'mb_nodejs_active_handles',
  'mb_nodejs_active_handles_total',
  'mb_nodejs_active_requests',
  'mb_nodejs_active_requests_total',
  'mb_nodejs_heap_size_total_bytes',
  'mb_nodejs_heap_size_used_bytes',
  'mb_nodejs_external_memory_bytes',
  'mb_nodejs_heap_space_size_total_bytes',
  'mb_nodejs_heap_space_size_used_bytes',
  'mb_nodejs_heap_space_size_available_bytes',
  'mb_nodejs_version_info',
  'mb_nodejs_gc_duration_seconds',
];

let server: StandinProcess;
const origin = http.createServer((_req, res) => res.end('from origin'));
let originUrl = '';
before(async () => {
  server = await startStandin();
  await new Promise<void>((resolve) => origin.listen(0, '127.0.0.1', resolve));
  originUrl = `http://127.0.0.1:${(origin.address() as { port: number }).port}`;
});
after(async () => {
  origin.close();
  await server.stop();
});

describe('GET /metrics', () => {
  it('counts requests, no-matches and times responses per imposter, labelled as mb labels them', async () => {
    const [ordersPort, otherPort] = [await freePort(), await freePort()];
    await post(`${server.url}/imposters`, {
      protocol: 'http',
      port: ordersPort,
      name: 'orders',
      stubs: [
        { predicates: [{ equals: { path: '/fast' } }], responses: [{ is: { body: 'fast' } }] },
        { predicates: [{ equals: { path: '/slow' } }], responses: [{ is: { body: 'slow' }, behaviors: [{ wait: 300 }] }] },
        { predicates: [{ equals: { path: '/proxied' } }], responses: [{ proxy: { to: originUrl, mode: 'proxyTransparent' } }] },
      ],
    });
    await post(`${server.url}/imposters`, { protocol: 'http', port: otherPort });
    for (let i = 0; i < 5; i++) await get(`http://127.0.0.1:${ordersPort}/fast`);
    await get(`http://127.0.0.1:${ordersPort}/slow`);
    assert.equal((await get(`http://127.0.0.1:${ordersPort}/proxied`)).body, 'from origin');
    await get(`http://127.0.0.1:${ordersPort}/nothing`);
    await get(`http://127.0.0.1:${ordersPort}/nothing`);
    await get(`http://127.0.0.1:${otherPort}/`);
    // Clearing the journal does not reset a Prometheus counter.
    await del(`${server.url}/imposters/${ordersPort}/savedRequests`);

    const answer = await get(`${server.url}/metrics`);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    const families = parsePrometheus(answer.body);

    const orders = { imposter: `[http:${ordersPort} orders] ` };
    const other = { imposter: `[http:${otherPort}] ` };
    assert.equal(families.get('mb_request_total')?.type, 'counter');
    assert.equal(valueOf(families, 'mb_request_total', 'mb_request_total', orders), 9);
    assert.equal(valueOf(families, 'mb_request_total', 'mb_request_total', other), 1);
    assert.equal(valueOf(families, 'mb_no_match_total', 'mb_no_match_total', orders), 2);
    assert.equal(valueOf(families, 'mb_no_match_total', 'mb_no_match_total', other), 1);
    // No sample until a connection was blocked, as prom-client (mountebank) writes counters.
    assert.equal(valueOf(families, 'mb_blocked_ip_total', 'mb_blocked_ip_total', orders), undefined);
    assert.equal(families.get('mb_blocked_ip_total')?.type, 'counter');

    const generation = 'mb_response_generation_duration_seconds';
    assert.equal(families.get(generation)?.type, 'histogram');
    assert.equal(valueOf(families, generation, `${generation}_count`, orders), 9);
    // The 300 ms wait counts: it is above the 0.2 s bound (no upper bound asserted: the machine may be busy).
    assert.ok(valueOf(families, generation, `${generation}_bucket`, { ...orders, le: '0.2' })! <= 8);
    assert.equal(valueOf(families, generation, `${generation}_bucket`, { ...orders, le: '+Inf' }), 9);
    assert.ok(valueOf(families, generation, `${generation}_sum`, orders)! >= 0.28);
    // mb's own bucket bounds are all there, so queries written against mb keep working.
    for (const le of ['0.01', '0.05', '0.1', '0.2', '0.5', '1', '3', '5', '10', '30', '+Inf']) {
      assert.notEqual(valueOf(families, generation, `${generation}_bucket`, { ...orders, le }), undefined, `le=${le}`);
    }
    const matching = 'mb_predicate_match_duration_seconds';
    assert.equal(valueOf(families, matching, `${matching}_count`, orders), 9);
  });

  it("includes every one of mb's process metrics", async () => {
    const families = parsePrometheus((await get(`${server.url}/metrics`)).body);
    const missing = MB_PROCESS_FAMILIES.filter((name) => !families.has(name));
    assert.deepEqual(missing, []);
    assert.equal(families.get('mb_process_cpu_seconds_total')?.type, 'counter');
    assert.ok(valueOf(families, 'mb_process_resident_memory_bytes', 'mb_process_resident_memory_bytes')! > 1e6);
    const startTime = valueOf(families, 'mb_process_start_time_seconds', 'mb_process_start_time_seconds')!;
    assert.ok(Math.abs(startTime - Date.now() / 1000) < 600, 'started within the last minutes');
    assert.equal(valueOf(families, 'mb_nodejs_version_info', 'mb_nodejs_version_info', { version: process.version }), 1);
  });

  it('a deleted imposter leaves the metrics', async () => {
    const port = await freePort();
    await post(`${server.url}/imposters`, { protocol: 'http', port });
    await get(`http://127.0.0.1:${port}/`);
    await del(`${server.url}/imposters/${port}`);
    const families = parsePrometheus((await get(`${server.url}/metrics`)).body);
    assert.equal(valueOf(families, 'mb_request_total', 'mb_request_total', { imposter: `[http:${port}] ` }), undefined);
  });
});
