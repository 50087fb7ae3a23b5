/**
 * The MetricDataQueries of a request, checked and put in evaluation order: ids unique and
 * well-formed, exactly one of MetricStat / Expression, statistics and periods valid, expressions
 * parsed, references known and acyclic.
 */
import { ServiceError } from '../../../protocol/errors.ts';
import { parseExpression, referencedIds, usesMetricsFunction } from '../metric-math/parse.ts';
import { MetricMathError } from '../metric-math/errors.ts';
import type { Expr } from '../metric-math/ast.ts';
import { parseStatistic, type Statistic } from '../statistics.ts';
import { checkPeriod } from '../time-range.ts';
import { badValue } from '../errors.ts';
import type { MetricQuery } from '../inputs.ts';

export const MAX_QUERIES = 500;
const ID = /^[a-z][a-zA-Z0-9_]*$/;

/** A query as GetMetricData and metric-math alarms give it (required members present). */
export type MetricDataQueryInput = MetricQuery;

export type PlannedQuery =
  | { kind: 'stat'; input: MetricDataQueryInput; id: string; stat: Statistic; period: number }
  | { kind: 'math'; input: MetricDataQueryInput; id: string; expr: Expr; deps: string[]; period?: number }
  | { kind: 'insights'; input: MetricDataQueryInput; id: string; query: string; period?: number };

export const validationError = (message: string) => new ServiceError('ValidationError', message);

export function planQueries(queries: readonly MetricDataQueryInput[]): PlannedQuery[] {
  if (queries.length === 0) throw validationError('The parameter MetricDataQueries must contain at least one query.');
  if (queries.length > MAX_QUERIES) {
    throw validationError(`The collection MetricDataQueries must not have a size greater than ${MAX_QUERIES}.`);
  }
  const seen = new Set<string>();
  const planned = queries.map((q, i): PlannedQuery => {
    const at = `MetricDataQueries.member.${i + 1}`;
    if (!ID.test(q.Id)) {
      throw validationError(`The value ${q.Id} for parameter ${at}.Id is invalid: it must start with a lowercase letter and contain only letters, numbers and underscores.`);
    }
    if (seen.has(q.Id)) throw validationError(`The values for parameter Id in MetricDataQueries are not unique: ${q.Id}.`);
    seen.add(q.Id);
    if ((q.MetricStat === undefined) === (q.Expression === undefined)) {
      throw validationError(`Exactly one of the parameters ${at}.MetricStat and ${at}.Expression must be specified.`);
    }
    if (q.Period !== undefined) checkPeriod(q.Period, `${at}.Period`);
    if (q.MetricStat !== undefined) {
      const m = q.MetricStat;
      if (!m.Metric.Namespace) throw new ServiceError('MissingParameter', `The parameter ${at}.MetricStat.Metric.Namespace is required.`);
      if (!m.Metric.MetricName) throw new ServiceError('MissingParameter', `The parameter ${at}.MetricStat.Metric.MetricName is required.`);
      checkPeriod(m.Period, `${at}.MetricStat.Period`);
      const stat = parseStatistic(m.Stat);
      if (stat === undefined) throw badValue(m.Stat, `${at}.MetricStat.Stat`);
      return { kind: 'stat', input: q, id: q.Id, stat, period: m.Period };
    }
    const text = q.Expression!;
    if (/^\s*SELECT\s/i.test(text)) return { kind: 'insights', input: q, id: q.Id, query: text, period: q.Period };
    let expr: Expr;
    try {
      expr = parseExpression(text);
    } catch (e) {
      if (e instanceof MetricMathError) throw validationError(`Error in expression ${q.Id}: ${e.message}`);
      throw e;
    }
    return { kind: 'math', input: q, id: q.Id, expr, deps: [], period: q.Period };
  });

  const byId = new Map(planned.map((p) => [p.id, p]));
  const statIds = planned.filter((p) => p.kind === 'stat').map((p) => p.id);
  for (const p of planned) {
    if (p.kind !== 'math') continue;
    const refs = new Set(referencedIds(p.expr));
    // METRICS() takes every metric query of the request.
    if (usesMetricsFunction(p.expr)) for (const id of statIds) refs.add(id);
    for (const r of refs) {
      if (r === p.id) throw validationError(`Error in expression ${p.id}: the expression refers to itself.`);
      if (!byId.has(r)) throw validationError(`Error in expression ${p.id}: Unrecognized metric or expression id ${r}.`);
    }
    p.deps = [...refs];
  }
  return evaluationOrder(planned, byId);
}

/** Depth-first topological order; a cycle is a validation error naming its ids. */
function evaluationOrder(planned: PlannedQuery[], byId: Map<string, PlannedQuery>): PlannedQuery[] {
  const order: PlannedQuery[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (p: PlannedQuery, path: string[]) => {
    const s = state.get(p.id);
    if (s === 'done') return;
    if (s === 'visiting') throw validationError(`Circular dependency between expressions: ${[...path, p.id].join(' -> ')}.`);
    state.set(p.id, 'visiting');
    if (p.kind === 'math') for (const d of p.deps) visit(byId.get(d)!, [...path, p.id]);
    state.set(p.id, 'done');
    order.push(p);
  };
  for (const p of planned) visit(p, []);
  return order;
}
