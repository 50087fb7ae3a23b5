/** PutMetricStream, GetMetricStream, ListMetricStreams, Start/StopMetricStreams, DeleteMetricStream. */
import { ServiceError } from '../../../protocol/errors.ts';
import type { ServiceHandlers } from '../../../protocol/operations.ts';
import { arn } from '../../../lib/arn.ts';
import { invalidValue } from '../errors.ts';
import { required } from '../inputs.ts';
import { decodeOffset, encodeOffset } from '../offset-token.ts';
import { tagsOf } from '../alarms/config.ts';
import { streamDefinitionOf, type StreamDefinition } from './definition.ts';
import { MINUTE } from './runner.ts';
import type { MetricStreamRecord, Scope, MetricStreamStore } from './repo.ts';

type Handlers = Pick<ServiceHandlers<'cloudwatch'>, 'PutMetricStream' | 'GetMetricStream' | 'ListMetricStreams' | 'StartMetricStreams' | 'StopMetricStreams' | 'DeleteMetricStream'>;

const STATE = { running: 'running', stopped: 'stopped' } as const;
export const streamArn = (s: Scope & { name: string }) => arn('cloudwatch', s, `metric-stream/${s.name}`);

const filtersOut = (f: StreamDefinition['include']) => f.map((x) => ({ Namespace: x.namespace, ...(x.metricNames.length ? { MetricNames: [...x.metricNames] } : {}) }));

export function metricStreamHandlers(repo: MetricStreamStore, isDeliverable: (arn: string, ctx: Scope) => Promise<boolean>): Handlers {
  const names = async (list: string[] | undefined, ctx: Scope) => {
    const all = required(list, 'Names');
    let missingName: string | undefined;
    for (const n of all) if (missingName === undefined && await repo.get(ctx, n) === undefined) missingName = n;
    if (missingName !== undefined) throw invalidValue(`The metric stream ${missingName} does not exist.`);
    return all;
  };
  return {
    PutMetricStream: async (ctx, input) => {
      const name = required(input.Name, 'Name');
      const definition = streamDefinitionOf(input, ctx);
      if (!(await isDeliverable(definition.firehoseArn, ctx))) {
        throw invalidValue(`The Firehose delivery stream ${definition.firehoseArn} does not exist in this account and Region. ` +
          'Create it (firehose create-delivery-stream), or map its ARN to an external file:// or http(s):// sink in the server\'s streams configuration (OSPREY_STREAM_SINKS).');
      }
      const now = ctx.clock.now();
      const existing = await repo.get(ctx, name);
      await repo.put({
        account: ctx.account, region: ctx.region, name, definition, state: existing?.state ?? 'running', createdAt: existing?.createdAt ?? now, updatedAt: now,
        nextMinute: existing?.nextMinute ?? Math.floor(now / MINUTE) * MINUTE, tags: existing ? existing.tags : tagsOf(input.Tags),
      });
      return { Arn: streamArn({ ...ctx, name }) };
    },
    GetMetricStream: async (ctx, input) => {
      const s = await repo.get(ctx, required(input.Name, 'Name'));
      if (s === undefined) throw new ServiceError('ResourceNotFoundException', `The metric stream ${input.Name} does not exist.`, { status: 404 });
      return {
        Arn: streamArn(s), Name: s.name, FirehoseArn: s.definition.firehoseArn, RoleArn: s.definition.roleArn, State: STATE[s.state],
        CreationDate: new Date(s.createdAt), LastUpdateDate: new Date(s.updatedAt), OutputFormat: s.definition.outputFormat,
        IncludeFilters: filtersOut(s.definition.include), ExcludeFilters: filtersOut(s.definition.exclude),
        StatisticsConfigurations: s.definition.statistics.map((c) => ({
          IncludeMetrics: c.metrics.map((m) => ({ Namespace: m.namespace, MetricName: m.metricName })), AdditionalStatistics: c.statistics,
        })),
        IncludeLinkedAccountsMetrics: false,
      };
    },
    ListMetricStreams: async (ctx, input) => {
      const max = input.MaxResults ?? 500;
      const all = await repo.list(ctx);
      const offset = input.NextToken === undefined ? 0 : decodeOffset(input.NextToken);
      return {
        Entries: all.slice(offset, offset + max).map((s: MetricStreamRecord) => ({
          Arn: streamArn(s), Name: s.name, FirehoseArn: s.definition.firehoseArn, State: STATE[s.state],
          CreationDate: new Date(s.createdAt), LastUpdateDate: new Date(s.updatedAt), OutputFormat: s.definition.outputFormat,
        })),
        ...(offset + max < all.length ? { NextToken: encodeOffset(offset + max) } : {}),
      };
    },
    StartMetricStreams: async (ctx, input) => {
      const now = ctx.clock.now();
      for (const n of await names(input.Names, ctx)) await repo.setState(ctx, n, 'running', Math.floor(now / MINUTE) * MINUTE, now);
      return {};
    },
    StopMetricStreams: async (ctx, input) => {
      const now = ctx.clock.now();
      for (const n of await names(input.Names, ctx)) await repo.setState(ctx, n, 'stopped', Math.floor(now / MINUTE) * MINUTE, now);
      return {};
    },
    DeleteMetricStream: async (ctx, input) => {
      await repo.delete(ctx, required(input.Name, 'Name'));
      return {};
    },
  };
}
