// mountebank's process metrics: prom-client's default metrics with the `mb_` prefix, same names,
// help texts and units, gathered from node's own APIs (and /proc on Linux) at scrape time.
import { readdirSync, readFileSync } from 'node:fs';
import { constants, monitorEventLoopDelay, PerformanceObserver, type IntervalHistogram, type PerformanceEntry } from 'node:perf_hooks';
import v8 from 'node:v8';
import type { Exposition } from './exposition.js';
import { Histogram } from './histogram.js';
import { isObjectLike } from '../model/plainObject.js';

const GC_BUCKETS = [0.001, 0.01, 0.1, 1, 2, 5];
const GC_KINDS: Record<number, string> = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};

export class ProcessMetrics {
  private readonly loopDelay: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private readonly gc = new Map<string, Histogram>();
  private readonly gcObserver: PerformanceObserver;

  constructor() {
    this.loopDelay.enable();
    this.gcObserver = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const kind = GC_KINDS[gcKind(entry)] ?? 'unknown';
        let histogram = this.gc.get(kind);
        if (!histogram) this.gc.set(kind, (histogram = new Histogram(GC_BUCKETS)));
        histogram.observe(entry.duration / 1000);
      }
    });
    this.gcObserver.observe({ entryTypes: ['gc'] });
  }

  close(): void {
    this.loopDelay.disable();
    this.gcObserver.disconnect();
  }

  /** Writes every process family; waits one turn of the event loop to measure its lag. */
  async write(out: Exposition): Promise<void> {
    const lag = await measureLag();
    const cpu = process.cpuUsage();
    const memory = process.memoryUsage();
    const status = procStatus();

    out.family('mb_process_cpu_user_seconds_total', 'counter', 'Total user CPU time spent in seconds.', [[undefined, cpu.user / 1e6]]);
    out.family('mb_process_cpu_system_seconds_total', 'counter', 'Total system CPU time spent in seconds.', [[undefined, cpu.system / 1e6]]);
    out.family('mb_process_cpu_seconds_total', 'counter', 'Total user and system CPU time spent in seconds.', [[undefined, (cpu.user + cpu.system) / 1e6]]);
    out.family('mb_process_start_time_seconds', 'gauge', 'Start time of the process since unix epoch in seconds.', [
      [undefined, Math.round(Date.now() / 1000 - process.uptime())],
    ]);
    out.family('mb_process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', [[undefined, status.VmRSS ?? memory.rss]]);
    if (status.VmSize !== undefined) {
      out.family('mb_process_virtual_memory_bytes', 'gauge', 'Virtual memory size in bytes.', [[undefined, status.VmSize]]);
    }
    if (status.VmData !== undefined) {
      out.family('mb_process_heap_bytes', 'gauge', 'Process heap size in bytes.', [[undefined, status.VmData]]);
    }
    const openFds = countOpenFds();
    if (openFds !== undefined) out.family('mb_process_open_fds', 'gauge', 'Number of open file descriptors.', [[undefined, openFds]]);
    const maxFds = maxOpenFiles();
    if (maxFds !== undefined) out.family('mb_process_max_fds', 'gauge', 'Maximum number of open file descriptors.', [[undefined, maxFds]]);

    const delay = this.loopDelay;
    const s = (ns: number): number => ns / 1e9;
    out.family('mb_nodejs_eventloop_lag_seconds', 'gauge', 'Lag of event loop in seconds.', [[undefined, lag]]);
    out.family('mb_nodejs_eventloop_lag_min_seconds', 'gauge', 'The minimum recorded event loop delay.', [[undefined, s(delay.min)]]);
    out.family('mb_nodejs_eventloop_lag_max_seconds', 'gauge', 'The maximum recorded event loop delay.', [[undefined, s(delay.max)]]);
    out.family('mb_nodejs_eventloop_lag_mean_seconds', 'gauge', 'The mean of the recorded event loop delays.', [[undefined, s(delay.mean)]]);
    out.family('mb_nodejs_eventloop_lag_stddev_seconds', 'gauge', 'The standard deviation of the recorded event loop delays.', [[undefined, s(delay.stddev)]]);
    for (const p of [50, 90, 99]) {
      out.family(`mb_nodejs_eventloop_lag_p${p}_seconds`, 'gauge', `The ${p}th percentile of the recorded event loop delays.`, [
        [undefined, s(delay.percentile(p))],
      ]);
    }
    // As prom-client: the delay statistics cover the time since the previous scrape.
    delay.reset();

    const resources = countBy(process.getActiveResourcesInfo(), (name) => name);
    out.family(
      'mb_nodejs_active_resources',
      'gauge',
      'Number of active resources that are currently keeping the event loop alive, grouped by async resource type.',
      resources.groups,
    );
    out.family('mb_nodejs_active_resources_total', 'gauge', 'Total number of active resources.', [[undefined, resources.total]]);
    const handles = countBy(internalList('_getActiveHandles'), (h) => h.constructor.name);
    out.family(
      'mb_nodejs_active_handles',
      'gauge',
      'Number of active libuv handles grouped by handle type. Every handle type is C++ class name.',
      handles.groups,
    );
    out.family('mb_nodejs_active_handles_total', 'gauge', 'Total number of active handles.', [[undefined, handles.total]]);
    const requests = countBy(internalList('_getActiveRequests'), (r) => r.constructor.name);
    out.family(
      'mb_nodejs_active_requests',
      'gauge',
      'Number of active libuv requests grouped by request type. Every request type is C++ class name.',
      requests.groups,
    );
    out.family('mb_nodejs_active_requests_total', 'gauge', 'Total number of active requests.', [[undefined, requests.total]]);

    out.family('mb_nodejs_heap_size_total_bytes', 'gauge', 'Process heap size from Node.js in bytes.', [[undefined, memory.heapTotal]]);
    out.family('mb_nodejs_heap_size_used_bytes', 'gauge', 'Process heap size used from Node.js in bytes.', [[undefined, memory.heapUsed]]);
    out.family('mb_nodejs_external_memory_bytes', 'gauge', 'Node.js external memory size in bytes.', [[undefined, memory.external]]);
    const spaces = v8.getHeapSpaceStatistics().map((space) => ({ ...space, name: space.space_name.replace(/_space$/, '') }));
    out.family(
      'mb_nodejs_heap_space_size_total_bytes',
      'gauge',
      'Process heap space size total from Node.js in bytes.',
      spaces.map((space) => [{ space: space.name }, space.space_size] as const),
    );
    out.family(
      'mb_nodejs_heap_space_size_used_bytes',
      'gauge',
      'Process heap space size used from Node.js in bytes.',
      spaces.map((space) => [{ space: space.name }, space.space_used_size] as const),
    );
    out.family(
      'mb_nodejs_heap_space_size_available_bytes',
      'gauge',
      'Process heap space size available from Node.js in bytes.',
      spaces.map((space) => [{ space: space.name }, space.space_available_size] as const),
    );

    const [major = '', minor = '', patch = ''] = process.version.slice(1).split('.');
    out.family('mb_nodejs_version_info', 'gauge', 'Node.js version info.', [[{ version: process.version, major, minor, patch }, 1]]);
    out.histogram(
      'mb_nodejs_gc_duration_seconds',
      'Garbage collection duration by kind, one of major, minor, incremental or weakcb.',
      [...this.gc].map(([kind, histogram]) => [{ kind }, histogram] as const),
    );
  }
}

function measureLag(): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve) => setImmediate(() => resolve(Number(process.hrtime.bigint() - started) / 1e9)));
}

/** A gc entry's kind (its `detail.kind`); -1 when it has none. */
function gcKind(entry: PerformanceEntry): number {
  const detail = 'detail' in entry ? entry.detail : undefined;
  return isObjectLike(detail) && typeof detail.kind === 'number' ? detail.kind : -1;
}

/** process._getActiveHandles() or _getActiveRequests(), as prom-client reads them: undocumented, so [] where absent. */
function internalList(name: '_getActiveHandles' | '_getActiveRequests'): object[] {
  const fn: unknown = Reflect.get(process, name);
  const list: unknown = typeof fn === 'function' ? Reflect.apply(fn, process, []) : [];
  return Array.isArray(list) ? list.filter(isObjectLike) : [];
}

function countBy<T>(items: readonly T[], key: (item: T) => string) {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return { groups: [...counts].map(([type, n]) => [{ type }, n] as const), total: items.length };
}

/** VmRSS, VmSize and VmData from /proc/self/status, in bytes (Linux only; empty elsewhere). */
function procStatus(): Partial<Record<'VmRSS' | 'VmSize' | 'VmData', number>> {
  const out: Partial<Record<'VmRSS' | 'VmSize' | 'VmData', number>> = {};
  try {
    for (const line of readFileSync('/proc/self/status', 'utf8').split('\n')) {
      const match = /^(VmRSS|VmSize|VmData):\s+(\d+) kB/.exec(line);
      const name = match?.[1];
      if (name === 'VmRSS' || name === 'VmSize' || name === 'VmData') out[name] = Number(match?.[2]) * 1024;
    }
  } catch {
    // not Linux
  }
  return out;
}

function countOpenFds(): number | undefined {
  try {
    // The directory handle used to read it is one of the entries.
    return readdirSync('/proc/self/fd').length - 1;
  } catch {
    return undefined;
  }
}

function maxOpenFiles(): number | undefined {
  try {
    const match = /Max open files\s+(\d+)/.exec(readFileSync('/proc/self/limits', 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
