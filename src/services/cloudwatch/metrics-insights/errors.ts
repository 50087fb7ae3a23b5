/**
 * The one error a Metrics Insights query can fail with.
 *
 * How AWS reports a bad query is not documented. What users have recorded is an HTTP 400
 * `ValidationError` from GetMetricData, not a per-result `Messages` entry: "ValidationError: SELECT is
 * not available in this region … status code: 400" (grafana/grafana#57562) and "Invalid syntax.
 * Reserved keyword 'Count' must be surrounded by double quotes" (grafana/grafana#93494). So this is a
 * ServiceError with that code. Messages start with AWS's "Invalid syntax." where the text does not
 * parse, and always end with the position, since AWS's exact texts beyond those two are unknown.
 */
import { ServiceError } from '../../../protocol/errors.ts';
import { lineColumn } from '../../../lib/line-column.ts';

export class MetricsInsightsError extends ServiceError {
  /** What was wrong, without the position. */
  readonly detail: string;
  /** `[start, end)` offsets of the offending text. */
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;

  constructor(text: string, detail: string, start: number, end = start + 1) {
    const { line, column } = lineColumn(text, start, 1);
    super('ValidationError', `${detail} (line ${line}, column ${column})`);
    this.detail = detail;
    this.start = start;
    this.end = Math.max(start, end);
    this.line = line;
    this.column = column;
  }

  /**
   * The same error as GetMetricData words errors of one of its queries (the form users recorded for
   * expressions: "Error in expression 'queryA': Invalid syntax", grafana/grafana#36139).
   */
  forQuery(id: string): ServiceError {
    return new ServiceError('ValidationError', `Error in expression '${id}': ${this.message}`);
  }
}

export const syntaxError = (text: string, detail: string, start: number, end?: number): MetricsInsightsError =>
  new MetricsInsightsError(text, `Invalid syntax. ${detail}`, start, end);
