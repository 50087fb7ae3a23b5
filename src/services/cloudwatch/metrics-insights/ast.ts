/**
 * Typed AST of a CloudWatch Metrics Insights query: `parse.ts` builds it, `compile.ts` turns it into
 * ClickHouse SQL, `label.ts` names the result series.
 *
 *   SELECT FUNCTION(metricName)
 *   FROM namespace | SCHEMA(namespace [, labelKey ...])
 *   [ WHERE labelKey = | != 'labelValue' [AND ...] ]
 *   [ GROUP BY labelKey [, ...] ]
 *   [ ORDER BY FUNCTION() [ DESC | ASC ] ]
 *   [ LIMIT number ]
 *
 * Every node keeps its `[start, end)` offsets in the query text so that semantic errors can point
 * at what the user wrote.
 */

export interface Span {
  start: number;
  end: number;
}

/** "The valid values for FUNCTION are AVG, COUNT, MAX, MIN, and SUM." (SELECT and ORDER BY alike) */
export type MiFunction = 'AVG' | 'COUNT' | 'MAX' | 'MIN' | 'SUM';

/** A namespace, metric name or label key: a bare word or a "double-quoted" name, unescaped. */
export interface Name extends Span {
  value: string;
  quoted: boolean;
}

export type FromClause =
  /** `FROM "AWS/EC2"`: every series of the metric in the namespace, whatever its dimensions. */
  | ({ kind: 'namespace'; namespace: Name } & Span)
  /**
   * `FROM SCHEMA("AWS/EC2", InstanceId)`: only series whose dimension names are exactly `keys`
   * (no dimensions at all when `keys` is empty). Duplicate keys are kept as written; compile treats
   * them as the set they name ("The order of these label keys does not matter").
   */
  | ({ kind: 'schema'; namespace: Name; keys: Name[] } & Span);

/** `labelKey = 'value'` / `labelKey != 'value'`. The WHERE clause is the AND of its conditions. */
export interface Condition extends Span {
  key: Name;
  op: '=' | '!=';
  value: string;
}

export interface OrderBy extends Span {
  fn: MiFunction;
  /** "If you omit this, the default is ascending ASC." */
  direction: 'ASC' | 'DESC';
}

export interface MiQuery {
  text: string;
  fn: MiFunction;
  metricName: Name;
  from: FromClause;
  /** ANDed; empty when there is no WHERE clause. */
  where: Condition[];
  /** Empty when there is no GROUP BY clause: the query returns one aggregated series. */
  groupBy: Name[];
  orderBy?: OrderBy;
  limit?: { value: number } & Span;
}
