/**
 * The X-Ray module (issue 18, part 1): segment documents in (PutTraceSegments), whole traces,
 * trace summaries with filter expressions, the service graph and trace graph out; groups; sampling
 * rules, the targets SDKs poll and their statistics; tags, encryption config, resource policies,
 * telemetry records, trace retrieval, the segment destination and indexing rules. Insights (which
 * need anomaly detection on groups) answer 501 NotImplemented.
 */
import type { ServiceHandlers } from '../../protocol/operations.ts';
import type { Env, ServiceModule } from '../../server/module.ts';
import { graphSettleJob } from './graph-settle-job.ts';
import type { XrayDeps } from './deps.ts';
import { createGroup, deleteGroup, getGroup, getGroups, updateGroup } from './groups.ts';
import { putTraceSegments } from './put-trace-segments.ts';
import { batchGetTraces, getTraceGraph } from './read-traces.ts';
import { XrayStore } from './repo.ts';
import { ReservoirAllocator } from './sampling/reservoir.ts';
import { createSamplingRule, deleteSamplingRule, getSamplingRules, updateSamplingRule } from './sampling/rules-api.ts';
import { getSamplingTargets } from './sampling/targets-api.ts';
import { XRAY_MIGRATIONS } from './schema.ts';
import { xrayDaemonListener } from './daemon/listener.ts';
import { otlpTracesRoute } from './otlp/traces-route.ts';
import { listTagsForResource, tagResource, untagResource } from './tags.ts';
import { getEncryptionConfig, putEncryptionConfig } from './encryption-config.ts';
import { getTimeSeriesServiceStatistics } from './time-series-statistics.ts';
import { getServiceGraph } from './service-graph-api.ts';
import { getTraceSummaries } from './trace-summaries.ts';
import { XraySettingsStore } from './settings-repo.ts';
import { deleteResourcePolicy, listResourcePolicies, putResourcePolicy } from './resource-policies.ts';
import { putTelemetryRecords } from './telemetry-records.ts';
import { getSamplingStatisticSummaries } from './sampling/statistics.ts';
import { cancelTraceRetrieval, getRetrievedTracesGraph, listRetrievedTraces, startTraceRetrieval } from './trace-retrieval.ts';
import { getIndexingRules, getTraceSegmentDestination, updateIndexingRule, updateTraceSegmentDestination } from './segment-destination.ts';

export async function createXray(env: Env): Promise<ServiceModule<'xray'>> {
  await env.migrate('xray', XRAY_MIGRATIONS);
  const segments = env.telemetry.traceSegments;
  const deps: XrayDeps = { segments, repo: new XrayStore(env.db, env.changes), settings: new XraySettingsStore(env.db), retentionDays: env.config.xrayRetentionDays, reservoirs: new ReservoirAllocator(), keys: env.keys, metricPoints: env.telemetry.metricPoints, clock: env.clock, log: env.log };
  const handlers: ServiceHandlers<'xray'> = {
    PutTraceSegments: (ctx, input) => putTraceSegments(deps, ctx, input),
    BatchGetTraces: (ctx, input) => batchGetTraces(deps, ctx, input),
    GetTraceSummaries: (ctx, input) => getTraceSummaries(deps, ctx, input),
    GetServiceGraph: (ctx, input) => getServiceGraph(deps, ctx, input),
    GetTimeSeriesServiceStatistics: (ctx, input) => getTimeSeriesServiceStatistics(deps, ctx, input),
    GetTraceGraph: (ctx, input) => getTraceGraph(deps, ctx, input),
    CreateGroup: (ctx, input) => createGroup(deps, ctx, input),
    GetGroup: (ctx, input) => getGroup(deps, ctx, input),
    GetGroups: (ctx) => getGroups(deps, ctx),
    UpdateGroup: (ctx, input) => updateGroup(deps, ctx, input),
    DeleteGroup: (ctx, input) => deleteGroup(deps, ctx, input),
    CreateSamplingRule: (ctx, input) => createSamplingRule(deps, ctx, input),
    UpdateSamplingRule: (ctx, input) => updateSamplingRule(deps, ctx, input),
    DeleteSamplingRule: (ctx, input) => deleteSamplingRule(deps, ctx, input),
    GetSamplingRules: (ctx) => getSamplingRules(deps, ctx),
    GetSamplingTargets: (ctx, input) => getSamplingTargets(deps, ctx, input),
    TagResource: (ctx, input) => tagResource(deps, ctx, input),
    UntagResource: (ctx, input) => untagResource(deps, ctx, input),
    ListTagsForResource: (ctx, input) => listTagsForResource(deps, ctx, input),
    PutEncryptionConfig: (ctx, input) => putEncryptionConfig(deps, ctx, input),
    GetEncryptionConfig: (ctx) => getEncryptionConfig(deps, ctx),
    PutResourcePolicy: (ctx, input) => putResourcePolicy(deps, ctx, input),
    ListResourcePolicies: (ctx, input) => listResourcePolicies(deps, ctx, input),
    DeleteResourcePolicy: (ctx, input) => deleteResourcePolicy(deps, ctx, input),
    PutTelemetryRecords: (ctx, input) => putTelemetryRecords(deps, ctx, input),
    GetSamplingStatisticSummaries: (ctx, input) => getSamplingStatisticSummaries(deps, ctx, input),
    StartTraceRetrieval: (ctx, input) => startTraceRetrieval(deps, ctx, input),
    CancelTraceRetrieval: (ctx, input) => cancelTraceRetrieval(deps, ctx, input),
    ListRetrievedTraces: (ctx, input) => listRetrievedTraces(deps, ctx, input),
    GetRetrievedTracesGraph: (ctx, input) => getRetrievedTracesGraph(deps, ctx, input),
    GetTraceSegmentDestination: () => getTraceSegmentDestination(),
    UpdateTraceSegmentDestination: (ctx, input) => updateTraceSegmentDestination(deps, ctx, input),
    GetIndexingRules: (ctx, input) => getIndexingRules(deps, ctx, input),
    UpdateIndexingRule: (ctx, input) => updateIndexingRule(deps, ctx, input),
  };
  return {
    name: 'xray', handlers, listeners: [xrayDaemonListener(env)], routes: [otlpTracesRoute(deps, env)],
    // The configured retention becomes the table's TTL before requests are served.
    jobs: [
      { name: 'trace-retention', start: () => segments.setRetention(env.config.xrayRetentionDays), stop: async () => {} },
      graphSettleJob(env, segments),
    ],
  };
}
