/**
 * The `metrics` array of a metric widget: each row is either
 *   [Namespace, MetricName, DimName, DimValue, ..., {rendering properties}]   ("." / "..." repeat the row above)
 * or
 *   [{ expression, id, label, ... }]                                            (metric math / search)
 * The messages for malformed rows are the ones CloudWatch answers with.
 */
import { bool, int, isObject, msg, obj, pointer, str, validate, type Schema, type ValidationMessage } from './schema.ts';

export const ROW_SHAPE_MESSAGE =
  'Field "metrics" has to be an array of array of strings, with an optional metricRenderer object as last element';
export const FIELD_TYPE_MESSAGE = "Invalid metric field type, only 'String' type is allowed";

/** A dashboard color: `#` and six hex digits. */
export const COLOR: Schema = { type: 'string', pattern: /^#([0-9a-fA-F]{6})$/ };
/** GetMetricData query ids: a lowercase letter first, then letters, digits and underscores. */
export const QUERY_ID: Schema = { type: 'string', pattern: /^[a-z][a-zA-Z0-9_]*$/ };

/** The trailing object of a row (the console calls it the metric renderer). */
const renderer = (required: readonly string[] = []): Schema => obj({
  accountId: str(),
  color: COLOR,
  expression: str(),
  id: QUERY_ID,
  label: str(),
  period: int(1),
  region: str(),
  stat: str(),
  visible: bool,
  yAxis: str(['left', 'right']),
}, required);

const EXPRESSION_OBJECT = renderer(['expression']);
const RENDERER = renderer();

export function validateMetricRow(row: unknown, path: string, out: ValidationMessage[]): void {
  if (!Array.isArray(row)) {
    out.push({ dataPath: path, message: msg.type('array') }, { dataPath: path, message: ROW_SHAPE_MESSAGE });
    return;
  }
  if (row.length === 0) {
    out.push({ dataPath: path, message: msg.minItems(1) });
    return;
  }
  const last = row.length - 1;
  if (row.length === 1 && isObject(row[0])) {
    validate(EXPRESSION_OBJECT, row[0], pointer(path, 0), out);
    return;
  }
  row.forEach((item, i) => {
    if (typeof item === 'string') return;
    if (i === last && isObject(item)) validate(RENDERER, item, pointer(path, i), out);
    else out.push({ dataPath: pointer(path, i), message: FIELD_TYPE_MESSAGE });
  });
  // A raw metric needs at least a namespace and a name, unless "..." copies them from the row above.
  const strings = row.filter((s): s is string => typeof s === 'string');
  if (strings.length < 2 && !strings.includes('...') && !(isObject(row[last]) && 'expression' in row[last])) {
    out.push({ dataPath: path, message: msg.minItems(2) });
  }
}

export const METRIC_ROWS: Schema = { type: 'array', maxItems: 500, items: { type: 'any', check: validateMetricRow } };
