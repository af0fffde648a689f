// Home: what runs here (version, uptime, the flags in force), how many imposters, and the
// request rate and latency of the last minutes.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api.js';
import { Chart } from '../parts/chart.js';
import { ErrorList } from '../parts/errors.js';
import { usePoll } from '../parts/usePoll.js';
import { rates, refreshed, SPAN_SECONDS, type TrafficSecond } from '../metrics.js';

interface Config {
  version: string;
  options: Record<string, unknown>;
  process: { nodeVersion: string; uptime: number; rss: number; cwd: string };
}

/** The flags worth a line when they are set, with mountebank's names. */
const FLAGS: Array<[string, string]> = [
  ['port', '--port'],
  ['host', '--host'],
  ['allowInjection', '--allowInjection'],
  ['localOnly', '--localOnly'],
  ['ipWhitelist', '--ipWhitelist'],
  ['apikey', '--apikey'],
  ['origin', '--origin'],
  ['datadir', '--datadir'],
  ['configfile', '--configfile'],
  ['watch', '--watch'],
  ['mock', '--mock'],
  ['debug', '--debug'],
  ['strict', '--strict'],
  ['loglevel', '--loglevel'],
  ['journalCap', '--journalCap'],
  ['protofile', '--protofile'],
];

function flagValue(name: string, value: unknown): string | undefined {
  if (value === undefined || value === false || value === null) return undefined;
  if (name === 'apikey') return 'set';
  if (name === 'ipWhitelist' && Array.isArray(value)) return value.join('|') === '*' ? undefined : value.join('|');
  if (value === true) return 'on';
  return String(value);
}

export function uptime(seconds: number): string {
  const s = Math.floor(seconds);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : '', `${s % 60}s`].filter(Boolean).join(' ');
}

export function HomePage() {
  const config = usePoll(() => get<Config>('/config'), 5000);
  const imposters = usePoll(() => get<{ imposters: unknown[] }>('/imposters'), 5000);
  const [seconds, setSeconds] = useState<TrafficSecond[]>([]);
  useEffect(() => {
    let alive = true;
    let kept: TrafficSecond[] = [];
    const tick = async () => {
      if (document.hidden) return;
      try {
        kept = await refreshed(kept);
        if (alive) setSeconds(kept);
      } catch {
        // the error shows in the other panels
      }
    };
    void tick();
    const timer = setInterval(tick, 2000);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, []);
  const series = rates(seconds);
  const c = config.value;
  const latestRate = series.rate.length > 0 ? series.rate[series.rate.length - 1]!.v : undefined;
  return (
    <>
      <h1>standin</h1>
      <ErrorList error={config.error ?? imposters.error} />
      <section class="cards">
        <div class="card stat">
          <span class="label">Version</span>
          <strong data-testid="version">{c?.version ?? '…'}</strong>
        </div>
        <div class="card stat">
          <span class="label">Up for</span>
          <strong>{c ? uptime(c.process.uptime) : '…'}</strong>
        </div>
        <div class="card stat">
          <span class="label">Imposters</span>
          <strong data-testid="imposter-count">
            <a href="/imposters">{imposters.value ? imposters.value.imposters.length : '…'}</a>
          </strong>
        </div>
        <div class="card stat">
          <span class="label">Requests/s</span>
          <strong data-testid="request-rate">{latestRate === undefined ? '…' : latestRate.toFixed(1)}</strong>
        </div>
      </section>
      <section>
        <h2>Traffic</h2>
        <div class="charts">
          <Chart title="Requests per second" unit="req/s" points={series.rate} span={SPAN_SECONDS} />
          <Chart title="Mean latency" unit="ms" points={series.latency} span={SPAN_SECONDS} />
          <Chart title="Requests no stub matched" unit="/s" points={series.misses} span={SPAN_SECONDS} />
        </div>
        <p class="muted">
          Per second over the last {SPAN_SECONDS / 60} minutes, kept by standin (<code>GET /metrics/history</code>), so the charts start before the page was
          opened; latency is matching plus building the response.
        </p>
      </section>
      <section>
        <h2>Flags in force</h2>
        {c ? (
          <table class="flags">
            <tbody>
              {FLAGS.map(([name, flag]) => [flag, flagValue(name, c.options[name])] as const)
                .filter(([, value]) => value !== undefined)
                .map(([flag, value]) => (
                  <tr key={flag}>
                    <th scope="row">
                      <code>{flag}</code>
                    </th>
                    <td>{value}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        ) : null}
        {c ? (
          <p class="muted">
            Node {c.process.nodeVersion}, working directory <code>{c.process.cwd}</code>. All options: <code>GET /config</code>.
          </p>
        ) : null}
      </section>
    </>
  );
}
