/**
 * The label of a result series.
 *
 * - With GROUP BY, a series is "labelled after the value of the instance ID" (SQL inference: fields
 *   projection), i.e. after its group values. With several keys the values are joined by one space,
 *   in GROUP BY order. AWS does not document the separator; its labels do contain each value as is
 *   (Grafana finds the values in them by substring, grafana/grafana#85766). The space is our choice.
 * - A missing key is the null group: "If some of the matching metrics don't include a specific label
 *   key specified in the GROUP BY clause, a null group named Other is returned." It stays a group of
 *   its own: a series whose value really is "Other" is another series with the same label (what AWS
 *   does there is not documented).
 * - Without GROUP BY the query returns "a single aggregated time series". Its default label is not
 *   documented; the metric name is used. GetMetricData replaces it with the query's own Label.
 */
import type { MiQuery } from './ast.ts';

export const OTHER = 'Other';

export function seriesLabel(q: MiQuery, labels: readonly (string | null)[]): string {
  if (q.groupBy.length === 0) return q.metricName.value;
  return labels.map((v) => v ?? OTHER).join(' ');
}
