// The Prometheus text exposition format (version 0.0.4), laid out as prom-client writes it, which
// is what mountebank serves: HELP, TYPE, the samples, a blank line between families.
import type { Histogram } from './histogram.js';

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type Labels = Readonly<Record<string, string>>;
export type MetricType = 'counter' | 'gauge' | 'histogram';

const escapeLabel = (value: string): string => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (value: string): string => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function formatValue(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function formatLabels(labels: Labels | undefined): string {
  if (!labels) return '';
  const keys = Object.keys(labels);
  if (keys.length === 0) return '';
  return `{${keys.map((key) => `${key}="${escapeLabel(labels[key]!)}"`).join(',')}}`;
}

export class Exposition {
  private readonly parts: string[] = [];

  /** A counter or gauge family; `samples` may be empty (the family is then announced alone, as prom-client does). */
  family(name: string, type: Exclude<MetricType, 'histogram'>, help: string, samples: ReadonlyArray<readonly [Labels | undefined, number]>): void {
    let text = `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} ${type}\n`;
    for (const [labels, value] of samples) text += `${name}${formatLabels(labels)} ${formatValue(value)}\n`;
    this.parts.push(text);
  }

  histogram(name: string, help: string, series: ReadonlyArray<readonly [Labels, Histogram]>): void {
    let text = `# HELP ${name} ${escapeHelp(help)}\n# TYPE ${name} histogram\n`;
    for (const [labels, histogram] of series) {
      let cumulative = 0;
      for (let i = 0; i <= histogram.bounds.length; i++) {
        cumulative += histogram.counts[i]!;
        const le = i === histogram.bounds.length ? '+Inf' : String(histogram.bounds[i]);
        text += `${name}_bucket${formatLabels({ le, ...labels })} ${cumulative}\n`;
      }
      text += `${name}_sum${formatLabels(labels)} ${formatValue(histogram.sum)}\n`;
      text += `${name}_count${formatLabels(labels)} ${histogram.count}\n`;
    }
    this.parts.push(text);
  }

  text(): string {
    return `${this.parts.join('\n')}\n`;
  }
}
