export type { MetricSchema, SearchProperty, SearchQuery, SearchTerm } from './ast.ts';
export { parseSearchQuery, MAX_SEARCH_QUERY_LENGTH } from './parse.ts';
export { matchesSearch, type SearchableMetric } from './match.ts';
export { partialMatcher, tokensOf } from './tokens.ts';
