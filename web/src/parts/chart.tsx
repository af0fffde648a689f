// A line chart drawn as SVG: the last minutes of one series, its latest value and its maximum.

interface Props {
  title: string;
  unit: string;
  points: Array<{ t: number; v: number }>;
  /** How many seconds the x axis spans. */
  span: number;
}

const W = 320;
const H = 90;

export function Chart({ title, unit, points, span }: Props) {
  const now = points.length > 0 ? points[points.length - 1]!.t : Date.now();
  const max = Math.max(1e-9, ...points.map((p) => p.v));
  const x = (t: number) => W - ((now - t) / (span * 1000)) * W;
  const y = (v: number) => H - 4 - (v / max) * (H - 12);
  const path = points.map((p) => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
  const latest = points.length > 0 ? points[points.length - 1]!.v : undefined;
  const format = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
  return (
    <figure class="chart">
      <figcaption>
        {title}: <strong>{latest === undefined ? '–' : `${format(latest)} ${unit}`}</strong>
        <span class="muted">
          {' '}
          (max {format(max === 1e-9 ? 0 : max)}, last {Math.round(span / 60)} min)
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title} over the last ${Math.round(span / 60)} minutes`}>
        <line x1="0" y1={H - 4} x2={W} y2={H - 4} class="axis" />
        {points.length > 1 ? <polyline points={path} class="line" /> : null}
      </svg>
    </figure>
  );
}
