// A strict reader of the Prometheus text format for tests: every sample must belong to a family
// announced by # HELP and # TYPE, values must be numbers, histograms must be cumulative.

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: string;
  help: string;
  /** Samples by series name (`x`, or `x_bucket`, `x_sum`, `x_count` for a histogram). */
  samples: Map<string, Sample[]>;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(,|$)/y;

export function parsePrometheus(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  let current: Family | undefined;
  for (const [index, line] of text.split('\n').entries()) {
    const where = `line ${index + 1}: ${line}`;
    if (line === '') continue;
    if (line.startsWith('# HELP ')) {
      const [name, ...help] = line.slice(7).split(' ');
      if (!NAME.test(name!)) throw new Error(`bad metric name, ${where}`);
      if (families.has(name!)) throw new Error(`family announced twice, ${where}`);
      current = { name: name!, type: '', help: help.join(' '), samples: new Map() };
      families.set(name!, current);
      continue;
    }
    if (line.startsWith('# TYPE ')) {
      const [name, type] = line.slice(7).split(' ');
      if (!current || current.name !== name) throw new Error(`TYPE without its HELP, ${where}`);
      if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(type!)) throw new Error(`bad type, ${where}`);
      current.type = type!;
      continue;
    }
    if (line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a sample, ${where}`);
    const [, series, , labelText, valueText] = match;
    if (!current || !current.type) throw new Error(`sample outside a family, ${where}`);
    const suffixes = current.type === 'histogram' ? ['_bucket', '_sum', '_count'] : [''];
    if (!suffixes.some((suffix) => series === `${current!.name}${suffix}`)) throw new Error(`sample of another family, ${where}`);
    const value = valueText === '+Inf' ? Infinity : valueText === '-Inf' ? -Infinity : Number(valueText);
    if (Number.isNaN(value) && valueText !== 'NaN') throw new Error(`bad value, ${where}`);
    const labels: Record<string, string> = {};
    if (labelText) {
      LABEL.lastIndex = 0;
      while (LABEL.lastIndex < labelText.length) {
        const label = LABEL.exec(labelText);
        if (!label) throw new Error(`bad labels, ${where}`);
        labels[label[1]!] = label[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      }
    }
    const list = current.samples.get(series!) ?? [];
    list.push({ labels, value });
    current.samples.set(series!, list);
  }
  for (const family of families.values()) if (family.type === 'histogram') checkHistogram(family);
  return families;
}

function checkHistogram(family: Family): void {
  const buckets = family.samples.get(`${family.name}_bucket`) ?? [];
  const counts = family.samples.get(`${family.name}_count`) ?? [];
  for (const count of counts) {
    const key = JSON.stringify(count.labels);
    const own = buckets.filter(({ labels: { le, ...rest } }) => JSON.stringify(rest) === key && le !== undefined);
    for (let i = 1; i < own.length; i++) {
      if (own[i]!.value < own[i - 1]!.value) throw new Error(`${family.name}: buckets not cumulative for ${key}`);
      if (Number(own[i]!.labels.le === '+Inf' ? Infinity : own[i]!.labels.le) <= Number(own[i - 1]!.labels.le)) {
        throw new Error(`${family.name}: bucket bounds not increasing for ${key}`);
      }
    }
    const inf = own.find((b) => b.labels.le === '+Inf');
    if (!inf || inf.value !== count.value) throw new Error(`${family.name}: +Inf bucket differs from _count for ${key}`);
  }
}

/** The value of the one sample of `series` whose labels include `labels`. */
export function valueOf(families: Map<string, Family>, family: string, series: string, labels: Record<string, string> = {}): number | undefined {
  const samples = families.get(family)?.samples.get(series) ?? [];
  const found = samples.filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${series}: ${found.length} samples match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}
