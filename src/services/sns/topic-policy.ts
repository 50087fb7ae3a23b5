/**
 * Whether a topic's access policy lets another account's caller act on it — today Subscribe, so a
 * queue's owner can subscribe its queue to another account's topic ("Sending Amazon SNS messages to
 * an Amazon SQS queue in a different account": the topic owner allows `sns:Subscribe`, the queue
 * owner subscribes, and the subscription needs no confirmation). The topic's own account is not
 * asked (Osprey has no IAM). The default policy's `AWS:SourceOwner` condition is the topic owner's
 * account, so it grants other accounts nothing, as on AWS.
 */
import { conditionHolds, iamWildcard, isJsonObject, policyStrings, principalNamesAccount } from '../../lib/policy-condition.ts';
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { TopicRecord } from '../../store/meta/sns.ts';
import { topicArn } from './names.ts';
import { defaultPolicy } from './topics.ts';

function statementsOf(topic: TopicRecord): Record<string, unknown>[] {
  try {
    const doc = JSON.parse(topic.attributes.Policy || defaultPolicy(topic)) as { Statement?: unknown };
    const raw = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
    return raw.filter(isJsonObject);
  } catch {
    return [];
  }
}

/** Allowed when an Allow statement names the caller, the action and the topic, its condition holds, and no Deny applies. */
export function topicPolicyAllows(topic: TopicRecord, ctx: Ctx, action: string): boolean {
  const arn = topicArn(topic);
  let allowed = false;
  for (const s of statementsOf(topic)) {
    const undecidable = s.NotPrincipal !== undefined || s.NotAction !== undefined || s.NotResource !== undefined;
    const matched = undecidable || (principalNamesAccount(s.Principal, ctx)
      && (policyStrings(s.Action) ?? []).some((a) => iamWildcard(a, action, true))
      && (policyStrings(s.Resource ?? '*') ?? []).some((r) => iamWildcard(r, arn, false)));
    // The caller's account stands for AWS:SourceOwner / aws:SourceAccount on a direct call.
    const holds = undecidable ? undefined : matched ? conditionHolds(s.Condition, { sourceAccount: ctx.account }) : false;
    if (s.Effect === 'Deny' && holds !== false) return false;
    if (s.Effect === 'Allow' && holds === true) allowed = true;
  }
  return allowed;
}

/** SNS's AuthorizationError for another account's caller the topic policy does not allow. */
export function requireTopicPermission(topic: TopicRecord, ctx: Ctx, action: string): void {
  if (topic.account === ctx.account || topicPolicyAllows(topic, ctx, action)) return;
  throw new ServiceError('AuthorizationError', `User: ${ctx.principalArn} is not authorized to perform: ${action} on resource: ${topicArn(topic)}`, { status: 403 });
}
