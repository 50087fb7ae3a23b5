/**
 * Result labels: CloudWatch's defaults and dynamic labels (`${PROP('Dim.X')}`, `${AVG}`, `${LAST_TIME}`…),
 * from "Use dynamic labels" in the CloudWatch user guide. Times print in UTC unless
 * LabelOptions.Timezone gives an offset (`+0130`, `-0800`).
 */

/** What a series is, for PROP(); expression results have none of it. */
export interface SeriesProps {
  namespace?: string;
  metricName?: string;
  dimensions?: Readonly<Record<string, string>>;
  period?: number;
  stat?: string;
  region?: string;
}

export interface LabelInput {
  template: string;
  /** The label the series would have without a template (for ${LABEL}). */
  defaultLabel: string;
  props: SeriesProps;
  timestamps: number[];
  values: number[];
  timezone?: string;
}

const TOKEN = /\$\{(?:PROP\('([^']*)'\)|([A-Z_]+))\}/g;

export function renderLabel(l: LabelInput): string {
  return l.template.replace(TOKEN, (whole, prop: string | undefined, fn: string | undefined) => {
    if (prop !== undefined) return propValue(prop, l.props) ?? '';
    const v = statValue(fn!, l);
    return v ?? whole;
  });
}

function propValue(name: string, p: SeriesProps): string | undefined {
  if (name.startsWith('Dim.')) return p.dimensions?.[name.slice(4)];
  switch (name) {
    case 'MetricName': return p.metricName;
    case 'Namespace': return p.namespace;
    case 'Period': return p.period === undefined ? undefined : String(p.period);
    case 'Stat': return p.stat;
    case 'Region': return p.region;
    default: return undefined;
  }
}

function statValue(fn: string, l: LabelInput): string | undefined {
  const { values: v, timestamps: t } = l;
  if (fn === 'LABEL') return l.defaultLabel;
  if (fn === 'DATAPOINT_COUNT') return String(v.length);
  if (v.length === 0) return ['AVG', 'MAX', 'MIN', 'SUM', 'FIRST', 'LAST', 'FIRST_LAST_RANGE', 'MIN_MAX_RANGE',
    'FIRST_TIME', 'LAST_TIME', 'MIN_TIME', 'MAX_TIME', 'FIRST_LAST_TIME_RANGE', 'MIN_MAX_TIME_RANGE'].includes(fn) ? '' : undefined;
  // Points run oldest → newest here regardless of ScanBy.
  const min = Math.min(...v);
  const max = Math.max(...v);
  const time = (ms: number) => formatTime(ms, l.timezone);
  switch (fn) {
    case 'AVG': return num(v.reduce((a, b) => a + b, 0) / v.length);
    case 'SUM': return num(v.reduce((a, b) => a + b, 0));
    case 'MIN': return num(min);
    case 'MAX': return num(max);
    case 'FIRST': return num(v[0]!);
    case 'LAST': return num(v[v.length - 1]!);
    case 'FIRST_LAST_RANGE': return `${num(v[0]!)} - ${num(v[v.length - 1]!)}`;
    case 'MIN_MAX_RANGE': return `${num(min)} - ${num(max)}`;
    case 'FIRST_TIME': return time(t[0]!);
    case 'LAST_TIME': return time(t[t.length - 1]!);
    case 'MIN_TIME': return time(t[v.indexOf(min)]!);
    case 'MAX_TIME': return time(t[v.indexOf(max)]!);
    case 'FIRST_LAST_TIME_RANGE': return `${time(t[0]!)} - ${time(t[t.length - 1]!)}`;
    case 'MIN_MAX_TIME_RANGE': return `${time(t[v.indexOf(min)]!)} - ${time(t[v.indexOf(max)]!)}`;
    default: return undefined;
  }
}

/** Up to three decimals, no trailing zeros (the console's rendering of label statistics). */
const num = (x: number) => String(Math.round(x * 1000) / 1000);

/** `YYYY-MM-DD HH:MM:SS` in UTC or at a `±HHMM` offset. */
export function formatTime(ms: number, timezone?: string): string {
  let offsetMin = 0;
  const m = timezone === undefined ? null : /^([+-])(\d{2})(\d{2})$/.exec(timezone);
  if (m) offsetMin = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  return new Date(ms + offsetMin * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}
