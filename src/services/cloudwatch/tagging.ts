/**
 * TagResource / UntagResource / ListTagsForResource for every taggable CloudWatch resource, routed
 * by ARN: alarms (`…:alarm:NAME`), Contributor Insights rules (`…:insight-rule/NAME`) and metric
 * streams (`…:metric-stream/NAME`).
 */
import type { Ctx } from '../../protocol/service.ts';
import { ServiceError } from '../../protocol/errors.ts';
import type { ServiceHandlers } from '../../protocol/operations.ts';
import { arn } from '../../lib/arn.ts';
import { required } from './inputs.ts';
import { tagsOf } from './alarms/config.ts';
import type { AlarmDeps } from './alarms/deps.ts';
import { listTagsForResource, tagResource, untagResource } from './alarms/tags.ts';
import type { InsightRuleStore } from './insight-rules/repo.ts';
import type { MetricStreamStore } from './metric-streams/repo.ts';

const MAX_TAGS = 50;

type Handlers = Pick<ServiceHandlers<'cloudwatch'>, 'TagResource' | 'UntagResource' | 'ListTagsForResource'>;

interface Taggable {
  tags: Record<string, string>;
  save(tags: Record<string, string>): Promise<void>;
}

export function taggingHandlers(alarms: AlarmDeps, rules: InsightRuleStore, streams: MetricStreamStore): Handlers {
  const kinds: { prefix: string; repo: { get(s: Ctx, name: string): Promise<{ tags: Record<string, string> } | undefined>; setTags(s: Ctx, name: string, tags: Record<string, string>): Promise<void> } }[] = [
    { prefix: 'insight-rule/', repo: rules },
    { prefix: 'metric-stream/', repo: streams },
  ];
  /** The insight rule or metric stream an ARN names; undefined for other ARNs (alarms). */
  const ruleOf = async (ctx: Ctx, resourceArn: string): Promise<Taggable | undefined> => {
    for (const k of kinds) {
      const prefix = arn('cloudwatch', ctx, k.prefix);
      if (!resourceArn.startsWith(prefix)) continue;
      const name = resourceArn.slice(prefix.length);
      const r = await k.repo.get(ctx, name);
      if (r === undefined) throw new ServiceError('ResourceNotFoundException', `The resource ${resourceArn} does not exist.`, { status: 404 });
      return { tags: r.tags, save: (tags) => k.repo.setTags(ctx, name, tags) };
    }
    return undefined;
  };
  return {
    TagResource: async (ctx, input) => {
      const t = await ruleOf(ctx, required(input.ResourceARN, 'ResourceARN'));
      if (t === undefined) return tagResource(alarms, ctx, input);
      const tags = { ...t.tags, ...tagsOf(required(input.Tags, 'Tags')) };
      if (Object.keys(tags).length > MAX_TAGS) throw new ServiceError('LimitExceededException', `A resource can have at most ${MAX_TAGS} tags.`);
      await t.save(tags);
      return {};
    },
    UntagResource: async (ctx, input) => {
      const t = await ruleOf(ctx, required(input.ResourceARN, 'ResourceARN'));
      if (t === undefined) return untagResource(alarms, ctx, input);
      const tags = { ...t.tags };
      for (const k of required(input.TagKeys, 'TagKeys')) delete tags[k];
      await t.save(tags);
      return {};
    },
    ListTagsForResource: async (ctx, input) => {
      const t = await ruleOf(ctx, required(input.ResourceARN, 'ResourceARN'));
      if (t === undefined) return listTagsForResource(alarms, ctx, input);
      return { Tags: Object.entries(t.tags).map(([Key, Value]) => ({ Key, Value })) };
    },
  };
}
