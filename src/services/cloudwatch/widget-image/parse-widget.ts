/**
 * The MetricWidget JSON string ("GetMetricWidgetImage: Metric Widget Structure and Syntax") → a
 * checked, defaulted WidgetSpec. Metrics rows are kept raw here; metrics.ts turns them into queries.
 */
import { invalidWidget } from './errors.ts';

export type View = 'timeSeries' | 'bar' | 'pie' | 'singleValue';
/** The views this renderer draws; the reference's others (gauge, table) are refused explicitly. */
export const VIEWS: readonly View[] = ['timeSeries', 'bar', 'pie', 'singleValue'];

export interface AxisSpec {
  min?: number;
  max?: number;
  label?: string;
}

export interface HorizontalAnnotation {
  value: number;
  /** Set for a band: the second edge. */
  to?: number;
  label?: string;
  color?: string;
  fill?: 'above' | 'below';
  yAxis: 'left' | 'right';
}

export interface VerticalAnnotation {
  /** Epoch ms. */
  value: number;
  to?: number;
  label?: string;
  color?: string;
  fill?: 'before' | 'after';
}

export interface WidgetSpec {
  metrics: unknown;
  title?: string;
  /** Pixels. */
  width: number;
  height: number;
  view: View;
  stacked: boolean;
  legend: 'right' | 'bottom' | 'hidden';
  stat: string;
  period: number;
  setPeriodToTimeRange: boolean;
  start?: string;
  end?: string;
  timezone?: string;
  yAxis: { left: AxisSpec; right: AxisSpec };
  horizontal: HorizontalAnnotation[];
  verticalRaw: unknown[];
}

/** Defaults from the reference: 600×400 px (its sample PNG is 600×400 too), Average over 300 s. */
export const DEFAULT_WIDTH = 600;
export const DEFAULT_HEIGHT = 400;
export const MAX_SIDE = 2000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

type Field = Record<string, unknown>;

function optional<T>(o: Field, key: string, check: (v: unknown) => v is T, want: string, where = ''): T | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (!check(v)) throw invalidWidget(`The value for ${where}${key} in the MetricWidget must be ${want}.`);
  return v;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isSide = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= MAX_SIDE;
const isPeriod = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;
const oneOf = <T extends string>(values: readonly T[]) => (v: unknown): v is T => typeof v === 'string' && (values as readonly string[]).includes(v);
const isColor = (v: unknown): v is string => typeof v === 'string' && /^#[0-9a-fA-F]{6}$/.test(v);

export function parseWidget(json: string): WidgetSpec {
  let doc: unknown;
  try {
    doc = JSON.parse(json);
  } catch {
    throw invalidWidget('The parameter MetricWidget must be a valid JSON object.');
  }
  if (!isObject(doc)) throw invalidWidget('The parameter MetricWidget must be a valid JSON object.');

  const view = doc.view ?? 'timeSeries';
  if (!oneOf(VIEWS)(view)) {
    throw invalidWidget(`The view ${JSON.stringify(view)} is not supported for metric widget images; use one of ${VIEWS.join(', ')}.`);
  }
  const legend = doc.legend === undefined ? {} : doc.legend;
  if (!isObject(legend)) throw invalidWidget('The value for legend in the MetricWidget must be an object.');
  const yAxis = doc.yAxis === undefined ? {} : doc.yAxis;
  if (!isObject(yAxis)) throw invalidWidget('The value for yAxis in the MetricWidget must be an object.');
  const annotations = doc.annotations === undefined ? {} : doc.annotations;
  if (!isObject(annotations)) throw invalidWidget('The value for annotations in the MetricWidget must be an object.');

  return {
    metrics: doc.metrics,
    title: optional(doc, 'title', isString, 'a string'),
    width: optional(doc, 'width', isSide, `an integer from 1 to ${MAX_SIDE}`) ?? DEFAULT_WIDTH,
    height: optional(doc, 'height', isSide, `an integer from 1 to ${MAX_SIDE}`) ?? DEFAULT_HEIGHT,
    view,
    stacked: optional(doc, 'stacked', isBool, 'true or false') ?? false,
    legend: optional(legend, 'position', oneOf(['right', 'bottom', 'hidden'] as const), 'right, bottom or hidden', 'legend.') ?? 'bottom',
    stat: optional(doc, 'stat', isString, 'a statistic such as Average or p99') ?? 'Average',
    period: optional(doc, 'period', isPeriod, 'a positive integer number of seconds') ?? 300,
    setPeriodToTimeRange: optional(doc, 'setPeriodToTimeRange', isBool, 'true or false') ?? false,
    start: optional(doc, 'start', isString, 'a string'),
    end: optional(doc, 'end', isString, 'a string'),
    timezone: optional(doc, 'timezone', isString, 'a string such as +0130'),
    yAxis: { left: axis(yAxis, 'left'), right: axis(yAxis, 'right') },
    horizontal: list(annotations, 'horizontal').flatMap((a, i) => horizontal(a, i)),
    verticalRaw: list(annotations, 'vertical'),
  };
}

function axis(yAxis: Field, side: 'left' | 'right'): AxisSpec {
  const a = yAxis[side];
  if (a === undefined) return {};
  if (!isObject(a)) throw invalidWidget(`The value for yAxis.${side} in the MetricWidget must be an object.`);
  const where = `yAxis.${side}.`;
  return {
    min: optional(a, 'min', isNumber, 'a number', where),
    max: optional(a, 'max', isNumber, 'a number', where),
    label: optional(a, 'label', isString, 'a string', where),
  };
}

function list(annotations: Field, key: string): unknown[] {
  const v = annotations[key];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw invalidWidget(`The value for annotations.${key} in the MetricWidget must be an array.`);
  return v;
}

/** One annotation, or a band given as a pair of them (the first carries label, color and axis). */
export function annotationEdges(a: unknown, where: string): [Field, Field | undefined] {
  if (Array.isArray(a)) {
    if (a.length !== 2 || !isObject(a[0]) || !isObject(a[1])) throw invalidWidget(`The band ${where} in the MetricWidget must be a pair of annotation objects.`);
    return [a[0], a[1]];
  }
  if (!isObject(a)) throw invalidWidget(`The annotation ${where} in the MetricWidget must be an object.`);
  return [a, undefined];
}

function horizontal(a: unknown, i: number): HorizontalAnnotation[] {
  const where = `annotations.horizontal[${i}].`;
  const [first, second] = annotationEdges(a, `annotations.horizontal[${i}]`);
  if (first.visible === false) return [];
  const value = optional(first, 'value', isNumber, 'a number', where);
  if (value === undefined) throw invalidWidget(`The annotation ${where.slice(0, -1)} in the MetricWidget needs a value.`);
  const to = second && optional(second, 'value', isNumber, 'a number', where);
  if (second && to === undefined) throw invalidWidget(`The band ${where.slice(0, -1)} in the MetricWidget needs two values.`);
  return [{
    value,
    to,
    label: optional(first, 'label', isString, 'a string', where),
    color: optional(first, 'color', isColor, 'a hex color such as #d62728', where),
    fill: optional(first, 'fill', oneOf(['above', 'below'] as const), 'above or below', where),
    yAxis: optional(first, 'yAxis', oneOf(['left', 'right'] as const), 'left or right', where) ?? 'left',
  }];
}

/** Vertical annotations hold times, so they are read once the time range is known (relative values allowed). */
export function verticalAnnotations(raw: unknown[], toTime: (value: string, where: string) => number): VerticalAnnotation[] {
  return raw.flatMap((a, i) => {
    const where = `annotations.vertical[${i}].`;
    const [first, second] = annotationEdges(a, `annotations.vertical[${i}]`);
    if (first.visible === false) return [];
    const value = optional(first, 'value', isString, 'an ISO 8601 time', where);
    if (value === undefined) throw invalidWidget(`The annotation ${where.slice(0, -1)} in the MetricWidget needs a value.`);
    const to = second && optional(second, 'value', isString, 'an ISO 8601 time', where);
    if (second && to === undefined) throw invalidWidget(`The band ${where.slice(0, -1)} in the MetricWidget needs two values.`);
    return [{
      value: toTime(value, `${where}value`),
      to: to === undefined ? undefined : toTime(to, `${where}value`),
      label: optional(first, 'label', isString, 'a string', where),
      color: optional(first, 'color', isColor, 'a hex color such as #d62728', where),
      fill: optional(first, 'fill', oneOf(['before', 'after'] as const), 'before or after', where),
    }];
  });
}
