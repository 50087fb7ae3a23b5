// Metric queries as the console edits them, and their translation to GetMetricData and back from
// CloudWatch dashboard widget JSON.
import { GetMetricDataCommand, type MetricDataQuery, type Dimension } from '@aws-sdk/client-cloudwatch';
import type { Clients } from './aws.ts';
import type { Series } from './chart.tsx';
// Shared with the GetMetricWidgetImage renderer so the console and images label series alike.
import { defaultMetricLabels, PALETTE, uniqueNames } from '../../src/services/cloudwatch/widget-image/graph-text.ts';

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

export interface GraphData {
  series: Series[];
  /** Rows GetMetricData refused (a bad expression, or one that uses it), by id, with its message. */
  errors: Map<string, string>;
}

/**
 * Every returned series, labelled for the legend. One bad expression makes GetMetricData refuse the
 * whole request; rather than blank the graph, the expressions are then tried one at a time on top
 * of the metrics, and only those that fail are left out, each with its error.
 */
export async function fetchGraph(c: Clients, specs: MetricSpec[], start: Date, end: Date, period: number): Promise<GraphData> {
  const errors = new Map<string, string>();
  if (specs.length === 0) return { series: [], errors };
  const run = (list: MetricSpec[]) => readResults(c, list, start, end, period);
  let results: Result[];
  try {
    results = await run(specs);
  } catch (e) {
    const expressions = specs.filter((s) => 'expression' in s);
    if (expressions.length === 0) throw e;
    const good = specs.filter((s) => !('expression' in s));
    // Fails as a whole if a metric itself is the problem: that is the graph's error, not a row's.
    results = good.length > 0 ? await run(good) : [];
    for (const x of expressions) {
      try {
        results = await run([...good, x]);
        good.push(x);
      } catch (err) {
        errors.set(x.id, (err as Error).message ?? String(err));
      }
    }
  }
  return { series: label(specs, results), errors };
}

interface Result { id: string; label: string | undefined; points: [number, number][] }

/** GetMetricData through all its pages; an expression may return several results under one id. */
async function readResults(c: Clients, specs: MetricSpec[], start: Date, end: Date, period: number): Promise<Result[]> {
  const byKey = new Map<string, Result>();
  let NextToken: string | undefined;
  do {
    const r = await c.cw.send(new GetMetricDataCommand({ MetricDataQueries: toQueries(specs, period), StartTime: start, EndTime: end, NextToken, ScanBy: 'TimestampAscending' }));
    // Each page lists the same results in the same order, so (id, position among that id's) is a key.
    const seen = new Map<string, number>();
    for (const m of r.MetricDataResults ?? []) {
      const n = seen.get(m.Id!) ?? 0;
      seen.set(m.Id!, n + 1);
      const key = `${m.Id}#${n}`;
      const s = byKey.get(key) ?? { id: m.Id!, label: m.Label, points: [] };
      byKey.set(key, s);
      (m.Timestamps ?? []).forEach((t, i) => s.points.push([t.getTime(), m.Values![i]]));
    }
    NextToken = r.NextToken;
  } while (NextToken);
  for (const s of byKey.values()) s.points.sort((a, b) => a[0] - b[0]);
  return [...byKey.values()];
}

/** The legend name of each unlabelled metric row; undefined for expressions and labelled rows. */
export const defaultLabels = (specs: MetricSpec[]) => defaultMetricLabels(specs.map((s) =>
  'expression' in s || s.label ? undefined : { namespace: s.namespace, metricName: s.metricName, dimensions: s.dimensions, stat: s.stat }));

/** An ANOMALY_DETECTION_BAND row: drawn as one shaded band, not two lines. */
export const isBand = (s: MetricSpec) => 'expression' in s && /^\s*ANOMALY_DETECTION_BAND\s*\(/.test(s.expression);

/** Series in row order, named by the row's label, else a default that tells same-named metrics apart. */
function label(specs: MetricSpec[], results: Result[]): Series[] {
  const defaults = defaultLabels(specs);
  const rows = specs.flatMap((s, i): { r: Result; band?: [number, number][]; name: string }[] => {
    const mine = results.filter((r) => r.id === s.id);
    // The band comes back as the upper, then the lower bound under the expression's id.
    if (isBand(s) && mine.length === 2) return [{ r: mine[0]!, band: mine[1]!.points, name: s.label || `${s.id} expected band` }];
    return mine.map((r) => ({ r, band: undefined, name: defaults[i] ?? r.label ?? s.id }));
  });
  const names = uniqueNames(rows.map((row) => row.name));
  return rows.map(({ r, band }, i) => ({ name: names[i]!, points: r.points, color: PALETTE[i % PALETTE.length], ...(band ? { band } : {}) }));
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
