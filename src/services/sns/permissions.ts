/**
 * AddPermission / RemovePermission: they edit the topic's Policy attribute the way AWS does — one
 * statement per label (Sid = Label), principals `arn:<partition>:iam::<account>:root`, actions
 * `SNS:<action>`, a single principal or action written as a string rather than a list. Osprey
 * enforces it for another account's Subscribe (topic-policy.ts); the topic's own account is not asked.
 */
import { regionlessArn } from '../../lib/arn.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { TopicRecord } from '../../store/meta/sns.ts';
import type { SnsDeps } from './deps.ts';
import { invalidParameter, required, topicArn, topicKeyFromArn, topicNotFound } from './names.ts';
import { defaultPolicy } from './topics.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';

/** The actions AddPermission grants (the topic actions of the default policy, and Receive). */
const ACTIONS = new Set([
  'GetTopicAttributes',
  'SetTopicAttributes',
  'AddPermission',
  'RemovePermission',
  'DeleteTopic',
  'Subscribe',
  'ListSubscriptionsByTopic',
  'Publish',
  'Receive',
]);
/** AWS: up to 80 characters: alphanumerics, hyphens and underscores. */
const LABEL = /^[A-Za-z0-9_-]{1,80}$/;
const ACCOUNT = /^\d{12}$/;

interface PolicyDocument {
  Statement: Record<string, unknown>[];
  [k: string]: unknown;
}

function policyOf(topic: TopicRecord): PolicyDocument {
  const doc = JSON.parse(topic.attributes.Policy || defaultPolicy(topic)) as Record<string, unknown>;
  const st = doc.Statement;
  // A policy set with SetTopicAttributes may hold one statement object, or none.
  const statements = Array.isArray(st) ? (st as Record<string, unknown>[]) : st && typeof st === 'object' ? [st as Record<string, unknown>] : [];
  return { ...doc, Statement: statements };
}

async function topicOf(deps: SnsDeps, ctx: Ctx, arn: string | undefined) {
  const key = topicKeyFromArn(ctx, arn);
  const topic = await deps.repo.getTopic(key);
  if (!topic) throw topicNotFound();
  return { key, topic };
}

async function savePolicy(deps: SnsDeps, topic: TopicRecord, policy: PolicyDocument): Promise<void> {
  const attributes = { ...topic.attributes, Policy: JSON.stringify(policy) };
  if (!(await deps.repo.updateTopic(topic, { attributes }))) throw topicNotFound();
}

const one = (xs: string[]): string | string[] => (xs.length === 1 ? xs[0] : xs);

export async function addPermission(deps: SnsDeps, ctx: Ctx, input: CallInput<'sns', 'AddPermission'>): Promise<CallOutput<'sns', 'AddPermission'>> {
  const { topic } = await topicOf(deps, ctx, input.TopicArn);
  const label = required(input.Label, 'Label');
  if (!LABEL.test(label)) throw invalidParameter('Label');
  const accounts = input.AWSAccountId ?? [];
  const actions = input.ActionName ?? [];
  if (accounts.length === 0 || !accounts.every((a) => ACCOUNT.test(a))) throw invalidParameter('AWSAccountId');
  if (actions.length === 0) throw invalidParameter('ActionName');
  const policy = policyOf(topic);
  if (policy.Statement.some((s) => s.Sid === label)) throw invalidParameter('Statement already exists');
  if (!actions.every((a) => ACTIONS.has(a))) throw invalidParameter('Policy statement action out of service scope!');
  policy.Statement.push({
    Sid: label,
    Effect: 'Allow',
    Principal: { AWS: one(accounts.map((a) => regionlessArn('iam', { account: a, region: topic.region }, 'root'))) },
    Action: one(actions.map((a) => `SNS:${a}`)),
    Resource: topicArn(topic),
  });
  await savePolicy(deps, topic, policy);
  return {};
}

/** Removing a label the policy does not have changes nothing and succeeds, as in AWS. */
export async function removePermission(
  deps: SnsDeps,
  ctx: Ctx,
  input: CallInput<'sns', 'RemovePermission'>,
): Promise<CallOutput<'sns', 'RemovePermission'>> {
  const { topic } = await topicOf(deps, ctx, input.TopicArn);
  const policy = policyOf(topic);
  const kept = policy.Statement.filter((s) => s.Sid !== input.Label);
  if (kept.length !== policy.Statement.length) await savePolicy(deps, topic, { ...policy, Statement: kept });
  return {};
}
