/**
 * GetTimeSeriesServiceStatistics: the statistics of one service or edge per period — the numbers
 * behind the X-Ray console's service charts —, from the same per-period graphs as GetServiceGraph
 * (service-graph-api.ts; a trace counts in the period of its first segment):
 * - `EntitySelectorExpression` `service("name")`, `service(id(name: …, type: …))` or `id(…)`: the
 *   matching services' ServiceSummaryStatistics and ResponseTimeHistogram;
 * - `edge("a", "b")`: that edge's EdgeSummaryStatistics and histogram;
 * - none: the edges from clients, i.e. the requests entering the group ("edge statistics").
 * `Period` (s) is a multiple of 60, 60 by default. ForecastStatistics needs X-Ray Insights, which
 * Osprey does not have: refused.
 */
import type {
  EdgeStatistics, GetTimeSeriesServiceStatisticsRequest, GetTimeSeriesServiceStatisticsResult, HistogramEntry, Service, TimeSeriesServiceStatistics,
} from '@aws-sdk/client-xray';
import type { Ctx } from '../../protocol/service.ts';
import type { XrayDeps } from './deps.ts';
import { filterError, invalidRequest } from './errors.ts';
import { parseFilterExpression, type NodeSelector } from './filter-expression/index.ts';
import { serviceGraphs } from './service-graph-api.ts';
import { timeRange } from './time-range.ts';

type Selector = { kind: 'service'; node: NodeSelector } | { kind: 'edge'; source: NodeSelector; destination: NodeSelector } | { kind: 'entry' };

function selectorOf(expression: string | undefined): Selector {
  if (expression === undefined || expression.trim() === '') return { kind: 'entry' };
  let node;
  try {
    // A bare id(…) names a service, as in service(id(…)).
    node = parseFilterExpression(/^\s*id\s*\(/.test(expression) ? `service(${expression})` : expression);
  } catch (e) {
    filterError(e);
  }
  if (node.kind === 'service' && !node.filter) return { kind: 'service', node: node.node };
  if (node.kind === 'edge' && !node.filter) return { kind: 'edge', source: node.source, destination: node.destination };
  throw invalidRequest('EntitySelectorExpression must be one service(…), id(…) or edge(…) without a filter.');
}

const matches = (sel: NodeSelector, s: Service): boolean =>
  (sel.name === undefined || s.Name === sel.name) && (sel.type === undefined || s.Type === sel.type) && (sel.accountId === undefined || s.AccountId === sel.accountId);

/** Sums statistics (ServiceStatistics and EdgeStatistics share the shape) and histograms. */
class Sum {
  private ok = 0; private throttle = 0; private error = 0; private fault = 0; private total = 0; private time = 0;
  private readonly histogram = new Map<number, number>();
  any = false;

  add(s: EdgeStatistics | undefined, h: HistogramEntry[] | undefined): void {
    if (!s) return;
    this.any = true;
    this.ok += s.OkCount ?? 0;
    this.throttle += s.ErrorStatistics?.ThrottleCount ?? 0;
    this.error += s.ErrorStatistics?.OtherCount ?? 0;
    this.fault += s.FaultStatistics?.OtherCount ?? 0;
    this.total += s.TotalCount ?? 0;
    this.time += s.TotalResponseTime ?? 0;
    for (const e of h ?? []) this.histogram.set(e.Value!, (this.histogram.get(e.Value!) ?? 0) + e.Count!);
  }

  statistics(): EdgeStatistics {
    return {
      OkCount: this.ok, ErrorStatistics: { ThrottleCount: this.throttle, OtherCount: this.error, TotalCount: this.throttle + this.error },
      FaultStatistics: { OtherCount: this.fault, TotalCount: this.fault }, TotalCount: this.total, TotalResponseTime: Math.round(this.time * 1000) / 1000,
    };
  }

  entries(): HistogramEntry[] {
    return [...this.histogram].sort(([a], [b]) => a - b).map(([Value, Count]) => ({ Value, Count }));
  }
}

function pointOf(services: Service[], sel: Selector): Omit<TimeSeriesServiceStatistics, 'Timestamp'> | undefined {
  const sum = new Sum();
  if (sel.kind === 'service') {
    for (const s of services) if (s.Type !== 'client' && matches(sel.node, s)) sum.add(s.SummaryStatistics, s.ResponseTimeHistogram);
    return sum.any ? { ServiceSummaryStatistics: sum.statistics(), ResponseTimeHistogram: sum.entries() } : undefined;
  }
  for (const s of services) {
    const from = sel.kind === 'entry' ? s.Type === 'client' : s.Type !== 'client' && matches(sel.source, s);
    if (!from) continue;
    for (const e of s.Edges ?? []) {
      const to = services[e.ReferenceId!];
      if (to && (sel.kind === 'entry' || matches(sel.destination, to))) sum.add(e.SummaryStatistics, e.ResponseTimeHistogram);
    }
  }
  return sum.any ? { EdgeSummaryStatistics: sum.statistics(), ResponseTimeHistogram: sum.entries() } : undefined;
}

export async function getTimeSeriesServiceStatistics(deps: XrayDeps, ctx: Ctx, input: GetTimeSeriesServiceStatisticsRequest): Promise<GetTimeSeriesServiceStatisticsResult> {
  const { start, end } = timeRange(input.StartTime, input.EndTime);
  const period = input.Period ?? 60;
  if (!Number.isInteger(period) || period < 60 || period % 60 !== 0) throw invalidRequest(`Period must be a multiple of 60 seconds, got ${period}.`);
  if (input.ForecastStatistics) throw invalidRequest('ForecastStatistics needs X-Ray Insights, which Osprey does not provide.');
  if (input.NextToken !== undefined) throw invalidRequest('The NextToken is not valid.');
  const sel = selectorOf(input.EntitySelectorExpression);
  const graphs = await serviceGraphs(deps, ctx, { start, end }, input, period);
  const out: TimeSeriesServiceStatistics[] = [];
  for (const [bucket, services] of graphs) {
    const p = pointOf(services, sel);
    if (p) out.push({ Timestamp: new Date(bucket * 1000), ...p });
  }
  return { TimeSeriesServiceStatistics: out, ContainsOldGroupVersions: false };
}
