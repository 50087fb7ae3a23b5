/**
 * One schema per widget type, after the "Dashboard Body Structure and Syntax" reference. Only what
 * the reference marks as required or constrains is checked; everything else passes through.
 */
import { COLOR, METRIC_ROWS } from './metric-rows.ts';
import { arrayOf, bool, int, isObject, msg, num, obj, pointer, str, validate, type Schema, type ValidationMessage } from './schema.ts';

export const WIDGET_TYPES = ['metric', 'text', 'log', 'alarm', 'explorer', 'custom', 'chart'] as const;

const LEGEND = obj({ position: str(['right', 'bottom', 'hidden']) });
const AXIS = obj({ min: num, max: num, label: str(), showUnits: bool });

const HORIZONTAL = obj({ value: num, label: str(), color: COLOR, fill: str(['above', 'below']), visible: bool, yAxis: str(['left', 'right']) }, ['value']);
const VERTICAL = obj({ value: str(), label: str(), color: COLOR, fill: str(['before', 'after']), visible: bool }, ['value']);
/** An annotation, or a band: a pair of them. */
const band = (one: Schema): Schema => {
  const pair = arrayOf(one, 2, 2);
  return { type: 'any', check: (v, path, out) => validate(Array.isArray(v) ? pair : one, v, path, out) };
};

const ALARM_ARN: Schema = { type: 'string', pattern: /^arn:aws[a-z-]*:cloudwatch:[a-z0-9-]+:\d{12}:alarm:.+$/ };

const ANNOTATIONS = obj({
  horizontal: arrayOf(band(HORIZONTAL)),
  vertical: arrayOf(band(VERTICAL)),
  alarms: arrayOf(ALARM_ARN),
});

export const NO_DATA_SOURCE = 'The metric widget should have specified a region and a data source or an alarm annotation';

/**
 * A metric widget needs a data source (metrics) or an alarm annotation, and a region. The three
 * messages for "neither" are the ones CloudWatch returns for that case, in its order.
 */
function metricDataSource(props: unknown, path: string, out: ValidationMessage[]): void {
  const p = props as Record<string, unknown>;
  const annotations = p.annotations;
  const alarmAnnotation = isObject(annotations) && Array.isArray(annotations.alarms) && annotations.alarms.length > 0;
  if (!('metrics' in p) && !alarmAnnotation) {
    if (!('annotations' in p)) {
      out.push(
        { dataPath: path, message: msg.required('metrics') },
        { dataPath: path, message: NO_DATA_SOURCE },
        { dataPath: path, message: msg.required('annotations') },
      );
    } else {
      out.push({ dataPath: path, message: NO_DATA_SOURCE });
    }
  }
  if (!('region' in p)) out.push({ dataPath: path, message: msg.required('region') });
}

const METRIC = obj({
  metrics: METRIC_ROWS,
  annotations: ANNOTATIONS,
  accountId: str(),
  region: str(),
  view: str(['timeSeries', 'singleValue', 'gauge', 'bar', 'pie', 'table']),
  stacked: bool,
  liveData: bool,
  sparkline: bool,
  trend: bool,
  setPeriodToTimeRange: bool,
  singleValueFullPrecision: bool,
  stat: str(),
  period: int(1),
  title: str(),
  timezone: str(),
  start: str(),
  end: str(),
  legend: LEGEND,
  yAxis: obj({ left: AXIS, right: AXIS }),
}, [], metricDataSource);

const TEXT = obj({ markdown: str(), background: str(['solid', 'transparent']) }, ['markdown']);

const LOG = obj({
  query: str(),
  region: str(),
  accountId: str(),
  title: str(),
  view: str(['table', 'timeSeries', 'bar', 'pie']),
  stacked: bool,
}, ['query', 'region']);

const ALARM = obj({
  alarms: arrayOf(ALARM_ARN, 1, 100),
  sortBy: str(['default', 'stateUpdatedTimestamp', 'timestamp']),
  states: arrayOf(str(['ALARM', 'INSUFFICIENT_DATA', 'OK'])),
  title: str(),
}, ['alarms']);

const EXPLORER = obj({
  metrics: arrayOf(obj({ metricName: str(), resourceType: str(), stat: str() }, ['metricName', 'resourceType', 'stat']), 1),
  labels: arrayOf(obj({ key: str(), value: str() }, ['key'])),
  aggregateBy: obj({ key: str(), func: str(['AVG', 'MIN', 'MAX', 'SUM']) }, ['key', 'func']),
  splitBy: str(),
  period: int(1),
  region: str(),
  title: str(),
  widgetOptions: obj({
    legend: LEGEND,
    rowsPerPage: int(1),
    stacked: bool,
    view: str(['timeSeries', 'bar', 'pie']),
    widgetsPerRow: int(1),
  }),
}, ['metrics']);

/** Custom widgets call a Lambda function; its ARN is the one required property. */
const CUSTOM = obj({ endpoint: str(), title: str(), updateOn: obj({ refresh: bool, resize: bool, timeRange: bool }) }, ['endpoint']);

/** The newer query-language chart widget (PromQL); its shape is not documented beyond being an object. */
const CHART = obj({});

export const PROPERTIES_BY_TYPE: Record<(typeof WIDGET_TYPES)[number], Schema> = {
  metric: METRIC, text: TEXT, log: LOG, alarm: ALARM, explorer: EXPLORER, custom: CUSTOM, chart: CHART,
};

/** x and y place a widget on a 24-column grid: 0–23 across, any row down; one needs the other. */
function gridDependencies(w: unknown, path: string, out: ValidationMessage[]): void {
  const o = w as Record<string, unknown>;
  if ('y' in o && !('x' in o)) out.push({ dataPath: path, message: msg.dependency('x', 'y') });
  if ('x' in o && !('y' in o)) out.push({ dataPath: path, message: msg.dependency('y', 'x') });
  const type = o.type;
  if (typeof type === 'string' && type in PROPERTIES_BY_TYPE && isObject(o.properties)) {
    validate(PROPERTIES_BY_TYPE[type as keyof typeof PROPERTIES_BY_TYPE], o.properties, pointer(path, 'properties'), out);
  }
}

export const WIDGET = obj({
  type: str(WIDGET_TYPES),
  x: int(0, 23),
  y: int(0),
  width: int(1, 24),
  height: int(1, 1000),
  properties: obj({}),
}, ['type', 'properties'], gridDependencies);
