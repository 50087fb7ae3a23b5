/**
 * Does a metric match a parsed SEARCH query?
 *
 * - Schema `{Namespace, Dim1, Dim2}`: the namespace is equal and the metric's dimension names are
 *   exactly Dim1 and Dim2 (the doc: {AWS/EC2,InstanceType} gives one line per instance type, and
 *   {AWS/EC2} "a single line showing the aggregation" = the metric with no dimensions).
 * - A term without designator matches when the namespace, the metric name, a dimension name or a
 *   dimension value matches it; `MetricName=`, `Namespace=` and `DimensionName=` narrow that to one
 *   property (a dimension designator also requires the dimension to exist).
 * - `"exact"` compares the whole string, case-sensitively; a bare word is a partial (token) match,
 *   see tokens.ts.
 * - `:aws.AccountId=` (cross-account observability) compares with the metric's account; 'LOCAL'
 *   means the monitoring account itself, i.e. a metric with no other account.
 */
import type { SearchProperty, SearchQuery, SearchTerm } from './ast.ts';
import { partialMatcher, type PartialMatcher } from './tokens.ts';

export interface SearchableMetric {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  /** Account that owns the metric when it is not the account running the search. */
  accountId?: string;
}

export function matchesSearch(q: SearchQuery, m: SearchableMetric): boolean {
  if (q.schema) {
    if (m.namespace !== q.schema.namespace) return false;
    const names = Object.keys(m.dimensions);
    const wanted = new Set(q.schema.dimensionNames);
    if (names.length !== wanted.size || !names.every((n) => wanted.has(n))) return false;
  }
  return q.term === undefined || matchesTerm(q.term, m);
}

function matchesTerm(term: SearchTerm, m: SearchableMetric): boolean {
  switch (term.kind) {
    case 'and':
      return term.terms.every((t) => matchesTerm(t, m));
    case 'or':
      return term.terms.some((t) => matchesTerm(t, m));
    case 'not':
      return !matchesTerm(term.term, m);
    case 'match': {
      const test = term.exact ? (s: string) => s === term.value : partialFor(term).matches;
      return candidates(term.property, m, term.value).some(test);
    }
  }
}

const partials = new WeakMap<SearchTerm, PartialMatcher>();
const partialFor = (term: SearchTerm & { kind: 'match' }): PartialMatcher => {
  let p = partials.get(term);
  if (p === undefined) partials.set(term, (p = partialMatcher(term.value)));
  return p;
};

/** The strings of `m` a term with this property is compared with. */
function candidates(property: SearchProperty, m: SearchableMetric, value: string): string[] {
  switch (property.kind) {
    case 'any':
      return [m.namespace, m.metricName, ...Object.entries(m.dimensions).flat()];
    case 'metricName':
      return [m.metricName];
    case 'namespace':
      return [m.namespace];
    case 'dimension': {
      const v = m.dimensions[property.name];
      return v === undefined ? [] : [v];
    }
    case 'accountId':
      if (value === 'LOCAL') return m.accountId === undefined ? ['LOCAL'] : [];
      return m.accountId === undefined ? [] : [m.accountId];
  }
}
