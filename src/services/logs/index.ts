import type { LogsDeps } from './deps.ts';
import { createLogGroup, deleteLogGroup, describeLogGroups } from './groups.ts';
import { createLogStream, deleteLogStream, describeLogStreams } from './streams.ts';
import { putLogEvents } from './put-log-events.ts';
import { getLogEvents } from './get-log-events.ts';
import { metricFilterHandlers } from './metric-filters/index.ts';
import { subscriptionHandlers } from './subscriptions/index.ts';
import { exportTaskHandlers, type ExportTaskDeps } from './export/index.ts';
import { filterLogEvents } from './filter-log-events.ts';
import { startLiveTail } from './live-tail.ts';
import type { InsightsQueries } from './insights-api/queries.ts';
import { putQueryDefinition, describeQueryDefinitions, deleteQueryDefinition } from './insights-api/definitions.ts';
import type { QueryDefinitionRepo } from '../../store/meta/query-definitions.ts';
import { putRetentionPolicy, deleteRetentionPolicy } from './retention.ts';
import { associateKmsKey, disassociateKmsKey } from './kms.ts';
import { authorizeServiceWrite, resourcePolicyHandlers } from './resource-policies/index.ts';
import { tagResource, untagResource, listTagsForResource, tagLogGroup, untagLogGroup, listTagsLogGroup } from './tags.ts';
import type { ServiceHandlers } from '../../protocol/operations.ts';

/** CloudWatch Logs (awsJson1_1, target prefix Logs_20140328). */
/** Logs Insights pieces, wired when the server has them. */
export interface InsightsWiring {
  queries: InsightsQueries;
  definitions: QueryDefinitionRepo;
}

export function logsHandlers(deps: LogsDeps, exportTasks?: ExportTaskDeps, insights?: InsightsWiring): ServiceHandlers<'logs'> {
  return {
    CreateLogGroup: (ctx, input) => createLogGroup(deps, ctx, input),
    DeleteLogGroup: (ctx, input) => deleteLogGroup(deps, ctx, input),
    DescribeLogGroups: (ctx, input) => describeLogGroups(deps, ctx, input),
    CreateLogStream: async (ctx, input) => {
      await authorizeServiceWrite(deps.resourcePolicies, ctx, input.logGroupName, 'logs:CreateLogStream', input.logStreamName);
      return createLogStream(deps, ctx, input);
    },
    DeleteLogStream: (ctx, input) => deleteLogStream(deps, ctx, input),
    DescribeLogStreams: (ctx, input) => describeLogStreams(deps, ctx, input),
    PutLogEvents: async (ctx, input) => {
      await authorizeServiceWrite(deps.resourcePolicies, ctx, input.logGroupName, 'logs:PutLogEvents', input.logStreamName);
      return putLogEvents(deps, ctx, input);
    },
    GetLogEvents: (ctx, input) => getLogEvents(deps, ctx, input),
    ...metricFilterHandlers(deps),
    ...(deps.subscriptions ? subscriptionHandlers(deps.subscriptions) : {}),
    FilterLogEvents: (ctx, input) => filterLogEvents(deps, ctx, input),
    StartLiveTail: (ctx, input) => startLiveTail(deps, ctx, input),
    PutRetentionPolicy: (ctx, input) => putRetentionPolicy(deps, ctx, input),
    DeleteRetentionPolicy: (ctx, input) => deleteRetentionPolicy(deps, ctx, input),
    AssociateKmsKey: (ctx, input) => associateKmsKey(deps, ctx, input),
    DisassociateKmsKey: (ctx, input) => disassociateKmsKey(deps, ctx, input),
    TagResource: (ctx, input) => tagResource(deps, ctx, input),
    UntagResource: (ctx, input) => untagResource(deps, ctx, input),
    ListTagsForResource: (ctx, input) => listTagsForResource(deps, ctx, input),
    TagLogGroup: (ctx, input) => tagLogGroup(deps, ctx, input),
    UntagLogGroup: (ctx, input) => untagLogGroup(deps, ctx, input),
    ListTagsLogGroup: (ctx, input) => listTagsLogGroup(deps, ctx, input),
    ...(exportTasks ? exportTaskHandlers(exportTasks) : {}),
    ...(deps.resourcePolicies ? resourcePolicyHandlers({ meta: deps.meta, policies: deps.resourcePolicies }) : {}),
    ...(insights ? insightsHandlers(insights) : {}),
  };
}

function insightsHandlers({ queries, definitions }: InsightsWiring): ServiceHandlers<'logs'> {
  return {
    StartQuery: (ctx, input) => queries.startQuery(ctx, input),
    GetQueryResults: (ctx, input) => queries.getQueryResults(ctx, input),
    StopQuery: (ctx, input) => queries.stopQuery(ctx, input),
    DescribeQueries: (ctx, input) => queries.describeQueries(ctx, input),
    GetLogRecord: (ctx, input) => queries.getLogRecord(ctx, input),
    GetLogGroupFields: (ctx, input) => queries.getLogGroupFields(ctx, input),
    PutQueryDefinition: (ctx, input) => putQueryDefinition(definitions, ctx, input),
    DescribeQueryDefinitions: (ctx, input) => describeQueryDefinitions(definitions, ctx, input),
    DeleteQueryDefinition: (ctx, input) => deleteQueryDefinition(definitions, ctx, input),
  };
}
