/**
 * CloudWatch Logs filter patterns: one engine for FilterLogEvents, metric filters, subscription
 * filters and Live Tail.
 *
 *   const p = parseFilterPattern(text);          // throws InvalidParameterException
 *   const c = compileFilterPattern(p);           // once per filter, then per event:
 *   c.matches(message); c.extract(message);      // → metricValue / dimensionValue
 *   toClickHouse(p);                             // WHERE fragment for the store (FilterLogEvents)
 */
export type * from './ast.ts';
export { parseFilterPattern, invalidPattern, MAX_PATTERN_LENGTH, MAX_REGEX_PER_PATTERN } from './parse.ts';
export {
  compileFilterPattern, metricValue, dimensionValue, aggregateMinutes,
  type CompiledPattern, type Extraction, type MetricSpec,
} from './match.ts';
export { toClickHouse, type ClickHouseFilter } from './sql.ts';
