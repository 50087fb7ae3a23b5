/**
 * Values that metric math works on. The doc's type abbreviations map as
 * S → scalar, TS → series, TS[] → array.
 */
import type { SearchQuery } from './search/ast.ts';

export type { SearchQuery };

/** One time series aligned to `MathContext.timestamps`; `null` = no datapoint at that timestamp. */
export interface MathSeries {
  /** Id of the query the series came from, when it came from one (METRICS(), an id reference). */
  id?: string;
  label: string;
  values: (number | null)[];
}

export type MathValue =
  | { kind: 'scalar'; value: number }
  | { kind: 'series'; series: MathSeries }
  | { kind: 'array'; series: MathSeries[] };

export interface SearchRequest {
  query: SearchQuery;
  statistic: string;
  /** Seconds; the third SEARCH argument, or the context period when it is omitted. */
  period: number;
}

export interface MathContext {
  /** ms since epoch, ascending, one per period (the evaluation grid). */
  timestamps: number[];
  /** Seconds: the period of the expression being evaluated. */
  period: number;
  /**
   * Results of the other queries of the request by Id, in request order. METRICS() uses this
   * order; METRICS('x') keeps the ids containing x.
   */
  metrics: ReadonlyMap<string, MathValue>;
  /**
   * Ids in `metrics` that are results of other math expressions (SEARCH included). METRICS()
   * leaves them out ("Math expressions aren't included") and PERIOD() rejects them ("Valid input
   * is metrics, not the results of other expressions"). Absent = every id is a metric.
   */
  expressionIds?: ReadonlySet<string>;
  /** Period in seconds of each metric query, for PERIOD(id). Absent entries fall back to `period`. */
  metricPeriods?: ReadonlyMap<string, number>;
  /** Resolves SEARCH(); returns series already aligned to `timestamps`. Absent → SEARCH is an error. */
  search?: (req: SearchRequest) => Promise<MathSeries[]>;
  /**
   * Resolves ANOMALY_DETECTION_BAND(id, stddevs): the upper and the lower bound of the band of the
   * query with that Id, aligned to `timestamps` (all null while its model is training). Absent →
   * the function is an error.
   */
  band?: (id: string, stddevs: number) => Promise<[MathSeries, MathSeries]>;
  /** Resolves INSIGHT_RULE_METRIC(rule, metric): values on `timestamps`. Absent → an error. */
  insightRule?: (rule: string, metric: string) => Promise<(number | null)[]>;
}
