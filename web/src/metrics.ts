// Metric queries as the console edits them, and their translation to GetMetricData and back from
// CloudWatch dashboard widget JSON.
import { GetMetricDataCommand, type MetricDataQuery, type Dimension } from '@aws-sdk/client-cloudwatch';
import type { Clients } from './aws.ts';
import type { Series } from './chart.tsx';

export type MetricSpec =
  | { id: string; namespace: string; metricName: string; dimensions: Dimension[]; stat: string; label?: string; visible?: boolean }
  | { id: string; expression: string; label?: string; visible?: boolean };

export function toQueries(specs: MetricSpec[], period: number): MetricDataQuery[] {
  return specs.map((s) =>
    'expression' in s
      ? { Id: s.id, Expression: s.expression, Label: s.label || undefined, Period: period, ReturnData: s.visible !== false }
      : {
          Id: s.id,
          Label: s.label || undefined,
          ReturnData: s.visible !== false,
          MetricStat: { Metric: { Namespace: s.namespace, MetricName: s.metricName, Dimensions: s.dimensions }, Stat: s.stat, Period: period },
        },
  );
}

export async function fetchSeries(c: Clients, specs: MetricSpec[], start: Date, end: Date, period: number): Promise<Series[]> {
  if (specs.length === 0) return [];
  const byId = new Map<string, Series>();
  let NextToken: string | undefined;
  do {
    const r = await c.cw.send(new GetMetricDataCommand({ MetricDataQueries: toQueries(specs, period), StartTime: start, EndTime: end, NextToken, ScanBy: 'TimestampAscending' }));
    for (const m of r.MetricDataResults ?? []) {
      const s = byId.get(m.Id!) ?? { name: m.Label ?? m.Id!, points: [] };
      byId.set(m.Id!, s);
      (m.Timestamps ?? []).forEach((t, i) => s.points.push([t.getTime(), m.Values![i]]));
    }
    NextToken = r.NextToken;
  } while (NextToken);
  for (const s of byId.values()) s.points.sort((a, b) => a[0] - b[0]);
  return [...byId.values()];
}

export const specLabel = (s: MetricSpec) =>
  s.label || ('expression' in s ? s.expression : `${s.metricName} ${s.dimensions.map((d) => `${d.Name}=${d.Value}`).join(' ')} (${s.stat})`);

/** Dashboard `metrics` rows ([ns, name, k, v, …, {opts}] with "." repeating the row above) → specs. */
export function widgetSpecs(props: { metrics?: unknown[][]; stat?: string }): MetricSpec[] {
  const out: MetricSpec[] = [];
  let prev: unknown[] = [];
  (props.metrics ?? []).forEach((row, i) => {
    const last = row[row.length - 1];
    const opts = (last && typeof last === 'object' ? last : {}) as { expression?: string; id?: string; label?: string; stat?: string; visible?: boolean };
    const parts = row.filter((x) => typeof x === 'string') as string[];
    const id = opts.id ?? `m${i}`;
    if (opts.expression) {
      out.push({ id, expression: opts.expression, label: opts.label, visible: opts.visible });
      return;
    }
    const full = parts.map((p, j) => (p === '.' ? String(prev[j] ?? '') : p));
    prev = full;
    const dims: Dimension[] = [];
    for (let j = 2; j + 1 < full.length; j += 2) dims.push({ Name: full[j], Value: full[j + 1] });
    out.push({ id, namespace: full[0], metricName: full[1], dimensions: dims, stat: opts.stat ?? props.stat ?? 'Average', label: opts.label, visible: opts.visible });
  });
  return out;
}

/** The inverse, for "add to dashboard". */
export function specsToRows(specs: MetricSpec[]): unknown[][] {
  return specs.map((s) =>
    'expression' in s
      ? [{ expression: s.expression, id: s.id, ...(s.label ? { label: s.label } : {}) }]
      : [s.namespace, s.metricName, ...s.dimensions.flatMap((d) => [d.Name!, d.Value!]), { id: s.id, stat: s.stat, ...(s.label ? { label: s.label } : {}) }],
  );
}
