/** CloudWatch metric math: parse an expression, then evaluate it over aligned series. Pure. */
export type { MathContext, MathSeries, MathValue, SearchRequest } from './types.ts';
export type { Expr } from './ast.ts';
export { MetricMathError } from './errors.ts';
export { parseExpression, referencedIds, usesMetricsFunction } from './parse.ts';
export { evaluate, requireTimeSeries } from './evaluate.ts';
export { parseSearchQuery, matchesSearch, type SearchQuery, type SearchableMetric } from './search/index.ts';
