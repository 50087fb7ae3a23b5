/**
 * A widget's `metrics` rows → GetMetricData queries, plus how each series is drawn.
 *   ["AWS/EC2", "CPUUtilization", "InstanceId", "i-1", {options}]   a metric (dimensions in name/value pairs)
 *   [".", "NetworkIn", ".", "."]                                       "." repeats the item above
 *   ["...", "i-2"]                                                     "..." repeats the row above up to the items that follow
 *   [{ "expression": "m0 + m1", "label": "Sum", "id": "e1" }]          metric math
 */
import { invalidWidget } from './errors.ts';
import type { LabelledMetric } from './graph-text.ts';

export interface MetricStatQuery {
  Id: string;
  MetricStat: {
    Metric: { Namespace: string; MetricName: string; Dimensions: { Name: string; Value: string }[] };
    Period: number;
    Stat: string;
  };
  Label?: string;
  ReturnData: boolean;
}

export interface ExpressionQuery {
  Id: string;
  Expression: string;
  Label?: string;
  Period?: number;
  ReturnData: boolean;
}

export type MetricDataQuery = MetricStatQuery | ExpressionQuery;

/** What the chart needs per returned query. */
export interface SeriesSpec {
  id: string;
  /** The widget's label; undefined lets GetMetricData's label (or the metric name) stand. */
  label?: string;
  fallbackLabel: string;
  /** A metric row's identity, for labels that tell same-named metrics apart; absent for expressions. */
  metric?: LabelledMetric;
  color?: string;
  yAxis: 'left' | 'right';
  /** An ANOMALY_DETECTION_BAND row: its two results (upper, lower) are drawn as one shaded band. */
  band?: boolean;
}

export interface WidgetQueries {
  queries: MetricDataQuery[];
  /** Visible series only, in row order. */
  series: SeriesSpec[];
}

interface RowOptions {
  id?: string;
  label?: string;
  color?: string;
  stat?: string;
  period?: number;
  yAxis?: 'left' | 'right';
  visible?: boolean;
  expression?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function rowOptions(o: Record<string, unknown>, where: string): RowOptions {
  const bad = (field: string, want: string) => invalidWidget(`${where}: ${field} must be ${want}.`);
  const out: RowOptions = {};
  for (const k of ['id', 'label', 'color', 'stat', 'expression'] as const) {
    if (o[k] === undefined) continue;
    if (typeof o[k] !== 'string') throw bad(k, 'a string');
    out[k] = o[k];
  }
  if (out.id !== undefined && !/^[a-z][a-zA-Z0-9_]*$/.test(out.id)) throw bad('id', 'a lowercase letter followed by letters, digits or underscores');
  if (out.color !== undefined && !/^#[0-9a-fA-F]{6}$/.test(out.color)) throw bad('color', 'a hex color such as #1f77b4');
  if (o.period !== undefined) {
    if (typeof o.period !== 'number' || !Number.isInteger(o.period) || o.period < 1) throw bad('period', 'a positive integer number of seconds');
    out.period = o.period;
  }
  if (o.yAxis !== undefined) {
    if (o.yAxis !== 'left' && o.yAxis !== 'right') throw bad('yAxis', 'left or right');
    out.yAxis = o.yAxis;
  }
  if (o.visible !== undefined) {
    if (typeof o.visible !== 'boolean') throw bad('visible', 'true or false');
    out.visible = o.visible;
  }
  return out;
}

/** Resolves "." and "..." against the previous metric row's resolved items. */
export function expandShorthand(items: string[], previous: string[] | undefined, where: string): string[] {
  const out: string[] = [];
  items.forEach((item, i) => {
    if (item === '...') {
      const following = items.length - i - 1;
      const take = previous ? previous.slice(out.length, previous.length - following) : [];
      if (!previous || previous.length - following < out.length) throw invalidWidget(`${where}: "..." has no row above to repeat.`);
      out.push(...take);
    } else if (item === '.') {
      const above = previous?.[out.length];
      if (above === undefined) throw invalidWidget(`${where}: "." at position ${i} has nothing above it to repeat.`);
      out.push(above);
    } else {
      out.push(item);
    }
  });
  return out;
}

export function widgetQueries(rows: unknown, defaults: { stat: string; period: number; periodOverride?: number }): WidgetQueries {
  if (!Array.isArray(rows) || rows.length === 0) throw invalidWidget('The MetricWidget needs a metrics array with 1 to 100 metrics and expressions.');
  if (rows.length > 100) throw invalidWidget(`The MetricWidget has ${rows.length} metrics and expressions; at most 100 are allowed.`);

  // Explicit ids first, so generated ones never collide with them.
  const parsed = rows.map((row, r) => parseRow(row, `metrics[${r}]`));
  const taken = new Set<string>();
  for (const p of parsed) {
    if (p.options.id === undefined) continue;
    if (taken.has(p.options.id)) throw invalidWidget(`The metric id ${p.options.id} is used more than once.`);
    taken.add(p.options.id);
  }
  const nextId = (prefix: string) => {
    let n = 0;
    while (taken.has(`${prefix}${n}`)) n++;
    taken.add(`${prefix}${n}`);
    return `${prefix}${n}`;
  };

  const queries: MetricDataQuery[] = [];
  const series: SeriesSpec[] = [];
  let previous: string[] | undefined;
  parsed.forEach((p, r) => {
    const where = `metrics[${r}]`;
    const visible = p.options.visible !== false;
    const o = p.options;
    if (p.kind === 'expression') {
      const id = o.id ?? nextId('e');
      const period = defaults.periodOverride ?? o.period;
      queries.push({ Id: id, Expression: p.expression, ...(o.label !== undefined && { Label: o.label }), ...(period !== undefined && { Period: period }), ReturnData: visible });
      const band = /^\s*ANOMALY_DETECTION_BAND\s*\(/.test(p.expression);
      if (visible) series.push({ id, label: o.label, fallbackLabel: o.label ?? id, color: o.color, yAxis: o.yAxis ?? 'left', ...(band && { band }) });
      return;
    }
    const items = expandShorthand(p.items, previous, where);
    previous = items;
    if (items.length < 2) throw invalidWidget(`${where}: a metric needs at least a namespace and a metric name.`);
    if (items.length % 2 !== 0) throw invalidWidget(`${where}: dimensions come in name/value pairs; ${items[items.length - 1]} has no value.`);
    const [namespace, metricName, ...dims] = items;
    const dimensions = [];
    for (let i = 0; i < dims.length; i += 2) dimensions.push({ Name: dims[i], Value: dims[i + 1] });
    const id = o.id ?? nextId('m');
    const stat = o.stat ?? defaults.stat;
    queries.push({
      Id: id,
      MetricStat: {
        Metric: { Namespace: namespace, MetricName: metricName, Dimensions: dimensions },
        Period: defaults.periodOverride ?? o.period ?? defaults.period,
        Stat: stat,
      },
      ...(o.label !== undefined && { Label: o.label }),
      ReturnData: visible,
    });
    if (visible) {
      series.push({ id, label: o.label, fallbackLabel: metricName, metric: { namespace, metricName, dimensions, stat }, color: o.color, yAxis: o.yAxis ?? 'left' });
    }
  });
  return { queries, series };
}

type ParsedRow = { kind: 'metric'; items: string[]; options: RowOptions } | { kind: 'expression'; expression: string; options: RowOptions };

function parseRow(row: unknown, where: string): ParsedRow {
  if (!Array.isArray(row) || row.length === 0) {
    throw invalidWidget(`${where} must be an array of strings, with an optional options object as last element.`);
  }
  const last = row[row.length - 1];
  const options = isObject(last) ? rowOptions(last, where) : {};
  const items = isObject(last) ? row.slice(0, -1) : row;
  if (items.length === 0) {
    if (options.expression === undefined) throw invalidWidget(`${where}: an expression row needs an expression.`);
    return { kind: 'expression', expression: options.expression, options };
  }
  if (!items.every((i): i is string => typeof i === 'string')) {
    throw invalidWidget(`${where}: every item but the last must be a string.`);
  }
  return { kind: 'metric', items, options };
}
