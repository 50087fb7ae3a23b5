/**
 * What a graph prints besides its lines: default series labels, compact numbers and the palette.
 * Pure and dependency-free because two renderers share it: the GetMetricWidgetImage renderer here
 * and the web console (web/src imports this file), so an image and the console label a series alike.
 */

/** CloudWatch's graph palette (d3 category10), assigned in row order to series without a color. */
export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** Compact numbers for labels and axes: 1234567 → "1.23M", 12.5 → "12.5", 0.000123 → "0.000123". */
export function formatValue(v: number): string {
  const abs = Math.abs(v);
  for (const [scale, suffix] of [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']] as const) {
    if (abs >= scale) return `${Number((v / scale).toPrecision(3))}${suffix}`;
  }
  return String(Number(v.toPrecision(abs >= 1 ? 6 : 3)));
}

export interface LabelledMetric {
  namespace: string;
  metricName: string;
  dimensions: { Name?: string; Value?: string }[];
  stat: string;
}

/**
 * Default labels for metrics graphed without one. A metric alone under its name is labelled with
 * the name; metrics sharing a name get the name followed by what tells them apart — the values of
 * the dimensions that differ between them ("CPUUtilization i-1"), else the statistic, else the
 * namespace — as CloudWatch's console does. `undefined` entries (expressions, rows with their own
 * label) are skipped and stay undefined.
 */
export function defaultMetricLabels(metrics: (LabelledMetric | undefined)[]): (string | undefined)[] {
  const groups = new Map<string, number[]>();
  metrics.forEach((m, i) => {
    if (m !== undefined) groups.set(m.metricName, [...(groups.get(m.metricName) ?? []), i]);
  });
  const out: (string | undefined)[] = metrics.map(() => undefined);
  for (const [name, members] of groups) {
    const group = members.map((i) => metrics[i]!);
    const parts = distinguishing(group);
    members.forEach((i, k) => (out[i] = [name, ...parts[k]!].filter(Boolean).join(' ')));
  }
  return out;
}

/** Per metric of a same-named group, the words that tell it from the others (none for a group of one). */
function distinguishing(group: LabelledMetric[]): string[][] {
  if (group.length < 2) return group.map(() => []);
  const dimOf = (m: LabelledMetric, name: string) => m.dimensions.find((d) => d.Name === name)?.Value;
  // Dimension names in order of first appearance, kept only when their values are not all alike.
  const names = [...new Set(group.flatMap((m) => m.dimensions.map((d) => d.Name ?? '')))];
  const differing = names.filter((n) => new Set(group.map((m) => dimOf(m, n))).size > 1);
  if (differing.length > 0) return group.map((m) => differing.flatMap((n) => dimOf(m, n) ?? []));
  if (new Set(group.map((m) => m.stat)).size > 1) return group.map((m) => [m.stat]);
  if (new Set(group.map((m) => m.namespace)).size > 1) return group.map((m) => [m.namespace]);
  return group.map(() => []);
}

/**
 * Legends key entries by name, so two series with one name would share an entry (and, in ECharts,
 * a color). Later duplicates get " (2)", " (3)"… so every series keeps its own entry.
 */
export function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  const taken = new Set(names);
  return names.map((n) => {
    const count = (seen.get(n) ?? 0) + 1;
    seen.set(n, count);
    if (count === 1) return n;
    let k = count;
    while (taken.has(`${n} (${k})`)) k++;
    const name = `${n} (${k})`;
    taken.add(name);
    return name;
  });
}
