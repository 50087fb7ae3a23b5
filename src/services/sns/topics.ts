/** CreateTopic, DeleteTopic, ListTopics, GetTopicAttributes, SetTopicAttributes. */
import type { Ctx } from '../../protocol/service.ts';
import type { TopicRecord } from '../../store/meta/sns.ts';
import type { SnsDeps } from './deps.ts';
import { checkTags, tagsFromList } from './tags.ts';
import { checkFifoName, isFifoTopic } from './fifo.ts';
import {
  PAGE_SIZE,
  checkTopicName,
  decodeToken,
  encodeToken,
  invalidParameter,
  required,
  topicArn,
  topicKeyFromArn,
  topicNotFound,
} from './names.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';

const FEEDBACK_PROTOCOLS = ['Application', 'Firehose', 'HTTP', 'Lambda', 'SQS'];
const FEEDBACK_ATTRIBUTES = new Set(
  FEEDBACK_PROTOCOLS.flatMap((p) => [`${p}SuccessFeedbackRoleArn`, `${p}SuccessFeedbackSampleRate`, `${p}FailureFeedbackRoleArn`]),
);
/** Attributes a topic keeps as given (the feedback ones are stored and reported, not acted on). */
const SETTABLE = new Set(['DisplayName', 'Policy', 'DeliveryPolicy', 'SignatureVersion', 'TracingConfig', 'KmsMasterKeyId', ...FEEDBACK_ATTRIBUTES]);
const FIFO_ONLY = new Set(['ContentBasedDeduplication', 'FifoThroughputScope']);

/** Validates one topic attribute of a standard or FIFO topic; returns the value to store. */
export function checkTopicAttribute(name: string, value: string, creating: boolean, fifo: boolean): string {
  if (name === 'FifoTopic') {
    if (!creating) throw invalidParameter('AttributeName');
    if (value !== 'true' && value !== 'false') throw invalidParameter('Attributes', 'FifoTopic must be true or false');
    return value;
  }
  if (name === 'ArchivePolicy') throw invalidParameter('Attributes', 'Osprey does not archive FIFO topic messages (ArchivePolicy)');
  if (FIFO_ONLY.has(name)) {
    if (!fifo) throw invalidParameter('Attributes', `${name} applies to FIFO topics only`);
    const allowed = name === 'ContentBasedDeduplication' ? ['true', 'false'] : ['Topic', 'MessageGroup'];
    if (!allowed.includes(value)) throw invalidParameter('Attributes', `${name} must be ${allowed.join(' or ')}`);
    return value;
  }
  if (!SETTABLE.has(name)) throw invalidParameter('AttributeName');
  switch (name) {
    case 'SignatureVersion':
      if (value !== '1' && value !== '2') throw invalidParameter('Attributes', 'SignatureVersion must be 1 or 2');
      break;
    case 'TracingConfig':
      if (value !== 'PassThrough' && value !== 'Active') throw invalidParameter('Attributes', 'TracingConfig must be PassThrough or Active');
      break;
    case 'DisplayName':
      if (value.length > 100) throw invalidParameter('DisplayName', 'must be at most 100 characters');
      break;
    case 'Policy':
    case 'DeliveryPolicy':
      if (value !== '') checkJsonObject(name, value);
      break;
  }
  return value;
}

export function checkJsonObject(name: string, value: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw invalidParameter(name, 'failed to parse JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalidParameter(name, 'must be a JSON object');
  return parsed as Record<string, unknown>;
}

export async function createTopic(deps: SnsDeps, ctx: Ctx, input: CallInput<'sns', 'CreateTopic'>): Promise<CallOutput<'sns', 'CreateTopic'>> {
  const name = required(input.Name, 'Name');
  const fifo = input.Attributes?.FifoTopic === 'true';
  checkTopicName(name.replace(/\.fifo$/, ''));
  checkFifoName(name, fifo);
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.Attributes ?? {})) {
    const stored = checkTopicAttribute(k, v, true, fifo);
    if (k !== 'FifoTopic' || fifo) attributes[k] = stored;
  }
  const tags = tagsFromList(input.Tags ?? []);
  checkTags(tags);
  const key = { account: ctx.account, region: ctx.region, name };
  const { topic, created } = await deps.repo.createTopic({ ...key, attributes, tags, subscriptionsDeleted: 0, createdAt: ctx.clock.now() });
  if (!created) {
    // Idempotent by name, as long as nothing given contradicts what exists.
    for (const [k, v] of Object.entries(attributes)) {
      if ((topic.attributes[k] ?? '') !== v) throw invalidParameter('Attributes', 'Topic already exists with different attributes');
    }
    for (const [k, v] of Object.entries(tags)) {
      if (topic.tags[k] !== v) throw invalidParameter('Tags', 'Topic already exists with different tags');
    }
  }
  return { TopicArn: topicArn(key) };
}

export async function deleteTopic(deps: SnsDeps, ctx: Ctx, input: CallInput<'sns', 'DeleteTopic'>): Promise<CallOutput<'sns', 'DeleteTopic'>> {
  const key = topicKeyFromArn(ctx, input.TopicArn);
  // AWS answers DeleteTopic of a topic that is already gone with success.
  await deps.repo.deleteTopic(key);
  return {};
}

export async function listTopics(deps: SnsDeps, ctx: Ctx, input: CallInput<'sns', 'ListTopics'>): Promise<CallOutput<'sns', 'ListTopics'>> {
  const after = decodeToken(input.NextToken);
  const rows = await deps.repo.listTopics(ctx.account, ctx.region, after, PAGE_SIZE + 1);
  const page = rows.slice(0, PAGE_SIZE);
  return {
    Topics: page.map((t) => ({ TopicArn: topicArn(t) })),
    ...(rows.length > PAGE_SIZE ? { NextToken: encodeToken(page[page.length - 1].name) } : {}),
  };
}

export const defaultPolicy = (t: TopicRecord): string =>
  JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: topicArn(t),
        Condition: { StringEquals: { 'AWS:SourceOwner': t.account } },
      },
    ],
  });

export const DEFAULT_DELIVERY_POLICY = {
  http: {
    defaultHealthyRetryPolicy: {
      minDelayTarget: 20,
      maxDelayTarget: 20,
      numRetries: 3,
      numMaxDelayRetries: 0,
      numNoDelayRetries: 0,
      numMinDelayRetries: 0,
      backoffFunction: 'linear',
    },
    disableSubscriptionOverrides: false,
    defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
  },
};

/** The topic's DeliveryPolicy merged over the default (http section only, as AWS reports it). */
export function effectiveDeliveryPolicy(deliveryPolicy: string | undefined): Record<string, unknown> {
  if (!deliveryPolicy) return DEFAULT_DELIVERY_POLICY;
  const given = JSON.parse(deliveryPolicy) as { http?: Record<string, unknown> };
  return { http: { ...DEFAULT_DELIVERY_POLICY.http, ...(given.http ?? {}) } };
}

export async function getTopicAttributes(
  deps: SnsDeps,
  ctx: Ctx,
  input: CallInput<'sns', 'GetTopicAttributes'>,
): Promise<CallOutput<'sns', 'GetTopicAttributes'>> {
  const key = topicKeyFromArn(ctx, input.TopicArn);
  const topic = await deps.repo.getTopic(key);
  if (!topic) throw topicNotFound();
  const counts = await deps.repo.countSubscriptions(key);
  const a = topic.attributes;
  return {
    Attributes: {
      ...a,
      TopicArn: topicArn(topic),
      Owner: topic.account,
      Policy: a.Policy || defaultPolicy(topic),
      DisplayName: a.DisplayName ?? '',
      SubscriptionsConfirmed: String(counts.confirmed),
      SubscriptionsPending: String(counts.pending),
      SubscriptionsDeleted: String(topic.subscriptionsDeleted),
      EffectiveDeliveryPolicy: JSON.stringify(effectiveDeliveryPolicy(a.DeliveryPolicy)),
      SignatureVersion: a.SignatureVersion ?? '1',
      TracingConfig: a.TracingConfig ?? 'PassThrough',
      ...(isFifoTopic(topic) ? { FifoTopic: 'true', ContentBasedDeduplication: a.ContentBasedDeduplication ?? 'false' } : {}),
    },
  };
}

export async function setTopicAttributes(
  deps: SnsDeps,
  ctx: Ctx,
  input: CallInput<'sns', 'SetTopicAttributes'>,
): Promise<CallOutput<'sns', 'SetTopicAttributes'>> {
  const key = topicKeyFromArn(ctx, input.TopicArn);
  const name = required(input.AttributeName, 'AttributeName');
  const topic = await deps.repo.getTopic(key);
  if (!topic) throw topicNotFound();
  const value = checkTopicAttribute(name, input.AttributeValue ?? '', false, isFifoTopic(topic));
  const attributes = { ...topic.attributes };
  // An empty value resets the attribute to its default.
  if (value === '') delete attributes[name];
  else attributes[name] = value;
  if (!(await deps.repo.updateTopic(key, { attributes }))) throw topicNotFound();
  return {};
}
