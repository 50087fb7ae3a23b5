/** Parsed form of a SEARCH query string ("CloudWatch search expression syntax"). */

/** `{Namespace, DimensionName1, …}`: only metrics in that namespace with exactly those dimension names. */
export interface MetricSchema {
  namespace: string;
  dimensionNames: string[];
}

/**
 * Which property a term is matched against: a designator (`MetricName=`, `Namespace=`, a dimension
 * name, or `:aws.AccountId=`) or, without one, any of namespace, metric name, dimension names and
 * dimension values.
 */
export type SearchProperty =
  | { kind: 'any' }
  | { kind: 'metricName' }
  | { kind: 'namespace' }
  | { kind: 'accountId' }
  | { kind: 'dimension'; name: string };

export type SearchTerm =
  /** `"text"` (exact: the whole string, case-sensitive) or a bare word (partial: token match). */
  | { kind: 'match'; property: SearchProperty; value: string; exact: boolean }
  | { kind: 'and'; terms: SearchTerm[] }
  | { kind: 'or'; terms: SearchTerm[] }
  | { kind: 'not'; term: SearchTerm };

export interface SearchQuery {
  /** The query text as written, trimmed. */
  text: string;
  schema?: MetricSchema;
  term?: SearchTerm;
}
