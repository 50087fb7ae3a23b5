/**
 * The data the upgrade fixture holds and the reads whose answers must not change across releases
 * (scripts/make-upgrade-fixture.ts writes both with an old release; test/upgrade-data-dir.test.ts
 * re-reads with this one). Every read uses absolute times and data that no retention expires
 * (no log retention policy; metrics read at 5 min and 1 h periods, kept 63 and 455 days), so the
 * answers hold whenever the test runs.
 */
import { CloudWatchClient, DescribeAlarmsCommand, GetDashboardCommand, GetMetricDataCommand, GetMetricStatisticsCommand, PutDashboardCommand, PutMetricAlarmCommand, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DescribeLogGroupsCommand, FilterLogEventsCommand, GetLogEventsCommand,
  GetQueryResultsCommand, PutLogEventsCommand, PutMetricFilterCommand, StartQueryCommand, DescribeMetricFiltersCommand,
} from '@aws-sdk/client-cloudwatch-logs';

export interface FixtureClients { logs: CloudWatchLogsClient; cw: CloudWatchClient }

const GROUP = '/upgrade/app';
const STREAM = 'web-1';

/** Writes the fixture's data; `base` (epoch ms, a whole hour) anchors every timestamp. */
export async function writeFixtureData(c: FixtureClients, base: number): Promise<void> {
  await c.logs.send(new CreateLogGroupCommand({ logGroupName: GROUP }));
  await c.logs.send(new CreateLogStreamCommand({ logGroupName: GROUP, logStreamName: STREAM }));
  await c.logs.send(new PutMetricFilterCommand({
    logGroupName: GROUP, filterName: 'errors', filterPattern: '"ERROR"',
    metricTransformations: [{ metricName: 'Errors', metricNamespace: 'Upgrade/Logs', metricValue: '1' }],
  }));
  const events = Array.from({ length: 300 }, (_, i) => ({
    timestamp: base + i * 10_000, message: `${i % 7 === 0 ? 'ERROR' : 'INFO'} request ${i} took ${(i * 37) % 500} ms user=u${i % 5}`,
  }));
  await c.logs.send(new PutLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, logEvents: events }));
  for (let h = 0; h < 3; h++) {
    await c.cw.send(new PutMetricDataCommand({
      Namespace: 'Upgrade/App',
      MetricData: [
        ...Array.from({ length: 12 }, (_, m) => ({
          MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: 'h1' }], Timestamp: new Date(base + h * 3_600_000 + m * 300_000), Value: 10 + h * 5 + m, Unit: 'Milliseconds' as const,
        })),
        { MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: 'h2' }], Timestamp: new Date(base + h * 3_600_000), Values: [1, 2, 3, 50], Counts: [10, 5, 1, 1], Unit: 'Milliseconds' as const },
        { MetricName: 'Requests', Timestamp: new Date(base + h * 3_600_000 + 60_000), StatisticValues: { SampleCount: 20, Sum: 400, Minimum: 5, Maximum: 40 }, StorageResolution: 1 },
      ],
    }));
  }
  await c.cw.send(new PutMetricAlarmCommand({
    AlarmName: 'slow', Namespace: 'Upgrade/App', MetricName: 'Latency', Dimensions: [{ Name: 'Host', Value: 'h1' }], Statistic: 'Average', Period: 300,
    EvaluationPeriods: 2, Threshold: 100, ComparisonOperator: 'GreaterThanThreshold', TreatMissingData: 'notBreaching',
  }));
  await c.cw.send(new PutDashboardCommand({ DashboardName: 'upgrade', DashboardBody: JSON.stringify({ widgets: [{ type: 'text', x: 0, y: 0, width: 6, height: 3, properties: { markdown: '# upgrade' } }] }) }));
}

async function insights(c: FixtureClients, base: number): Promise<unknown> {
  const { queryId } = await c.logs.send(new StartQueryCommand({
    logGroupName: GROUP, startTime: base / 1000, endTime: base / 1000 + 3 * 3600,
    queryString: 'filter @message like /ERROR/ | stats count(*) as n by bin(10m) | sort bin(10m) asc',
  }));
  for (;;) {
    const r = await c.logs.send(new GetQueryResultsCommand({ queryId }));
    if (r.status !== 'Running' && r.status !== 'Scheduled') return { status: r.status, results: r.results };
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** The reads compared across releases, as plain JSON. */
export async function readFixtureAnswers(c: FixtureClients, base: number): Promise<Record<string, unknown>> {
  const start = new Date(base);
  const end = new Date(base + 3 * 3_600_000);
  const series = (id: string, MetricName: string, Stat: string, Period: number, dims: { Name: string; Value: string }[] = []) =>
    ({ Id: id, MetricStat: { Metric: { Namespace: 'Upgrade/App', MetricName, Dimensions: dims }, Period, Stat } });
  const h1 = [{ Name: 'Host', Value: 'h1' }];
  const h2 = [{ Name: 'Host', Value: 'h2' }];
  const gmd = await c.cw.send(new GetMetricDataCommand({
    StartTime: start, EndTime: end, ScanBy: 'TimestampAscending',
    MetricDataQueries: [
      series('avg1h', 'Latency', 'Average', 3600, h1), series('max5m', 'Latency', 'Maximum', 300, h1), series('p90', 'Latency', 'p90', 3600, h2),
      series('cnt', 'Latency', 'SampleCount', 3600, h2), series('req', 'Requests', 'Sum', 3600), { Id: 'math', Expression: 'avg1h * 2' },
    ],
  }));
  const stats = await c.cw.send(new GetMetricStatisticsCommand({
    Namespace: 'Upgrade/App', MetricName: 'Requests', StartTime: start, EndTime: end, Period: 3600, Statistics: ['Sum', 'SampleCount', 'Minimum', 'Maximum'],
  }));
  const events = await c.logs.send(new GetLogEventsCommand({ logGroupName: GROUP, logStreamName: STREAM, startFromHead: true, limit: 50 }));
  const filtered = await c.logs.send(new FilterLogEventsCommand({ logGroupName: GROUP, filterPattern: '"ERROR"', startTime: base, endTime: end.getTime() }));
  const groups = await c.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/upgrade' }));
  const filters = await c.logs.send(new DescribeMetricFiltersCommand({ logGroupName: GROUP }));
  const alarms = await c.cw.send(new DescribeAlarmsCommand({ AlarmNames: ['slow'] }));
  const dashboard = await c.cw.send(new GetDashboardCommand({ DashboardName: 'upgrade' }));
  return JSON.parse(JSON.stringify({
    getMetricData: gmd.MetricDataResults?.map((r) => ({ id: r.Id, timestamps: r.Timestamps, values: r.Values, status: r.StatusCode })),
    getMetricStatistics: stats.Datapoints?.sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime()),
    getLogEvents: events.events?.map((e) => [e.timestamp, e.message]),
    filterLogEvents: filtered.events?.map((e) => [e.timestamp, e.message]),
    logGroups: groups.logGroups?.map((g) => ({ name: g.logGroupName, metricFilterCount: g.metricFilterCount, retention: g.retentionInDays ?? null })),
    metricFilters: filters.metricFilters?.map((f) => ({ name: f.filterName, pattern: f.filterPattern, t: f.metricTransformations })),
    alarms: alarms.MetricAlarms?.map((a) => ({ name: a.AlarmName, threshold: a.Threshold, period: a.Period, stat: a.Statistic, dims: a.Dimensions })),
    dashboard: dashboard.DashboardBody,
    insights: await insights(c, base),
  }));
}
