/**
 * Subscribe, ConfirmSubscription, Unsubscribe, ListSubscriptions(ByTopic),
 * Get/SetSubscriptionAttributes.
 *
 * http/https/email/email-json subscriptions start PendingConfirmation: a SubscriptionConfirmation
 * (SubscribeURL + Token) is enqueued to the endpoint, and ConfirmSubscription (API or SubscribeURL)
 * confirms it. lambda and slack subscriptions are confirmed at once (AWS confirms Lambda
 * subscriptions made by the function's owner; a webhook has no way to answer). An sqs subscription
 * made by the queue's owner is confirmed at once; one made for another account's queue is pending
 * until that account confirms with the Token / SubscribeURL SNS sends to the queue
 * ("Sending Amazon SNS messages to an Amazon SQS queue in a different account").
 */
import type { Subscription } from '@aws-sdk/client-sns';
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { SubscriptionRecord, TopicKey, TopicRecord } from '../../store/meta/sns.ts';
import { AWS_ONLY_PROTOCOLS, SLACK_PROTOCOL, SNS_OUTBOX_TOPIC, SUPPORTED_PROTOCOLS, TOKEN_TTL_MS, type SnsDeps } from './deps.ts';
import { signatureVersionOf } from './envelope.ts';
import { InvalidFilterPolicy, filterScopeOf, parseFilterPolicy, type FilterScope } from './filter-policy.ts';
import {
  PAGE_SIZE,
  decodeToken,
  encodeToken,
  invalidParameter,
  parseSubscriptionArn,
  parseTopicArn,
  required,
  subscriptionNotFound,
  topicArn,
  topicKeyFromArn,
  topicNotFound,
  type Scope,
} from './names.ts';
import type { ConfirmationRow } from './payload.ts';
import { checkJsonObject, effectiveDeliveryPolicy } from './topics.ts';
import { isFifoTopic } from './fifo.ts';
import { checkRedrivePolicy } from './redrive.ts';
import { checkQueueEndpoint, parseQueueArn } from './sqs-endpoint.ts';
import { requireTopicPermission } from './topic-policy.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';

const NEEDS_CONFIRMATION = new Set(['http', 'https', 'email', 'email-json']);
const RAW_CAPABLE = new Set(['http', 'https', 'sqs']);
/** Endpoints that get an UnsubscribeConfirmation (whose token subscribes them again). */
const UNSUBSCRIBE_CONFIRMED = new Set(['http', 'https']);
const SUBSCRIPTION_ATTRIBUTES = new Set(['RawMessageDelivery', 'FilterPolicy', 'FilterPolicyScope', 'DeliveryPolicy', 'RedrivePolicy']);

/** Whether a new subscription waits for its endpoint's owner to confirm it. */
function needsConfirmation(protocol: string, endpoint: string, caller: string): boolean {
  if (protocol === 'sqs') return parseQueueArn(endpoint)?.account !== caller;
  return NEEDS_CONFIRMATION.has(protocol);
}

/** Checks the protocol and its endpoint; returns the endpoint, which every supported protocol needs. */
function checkProtocol(deps: SnsDeps, protocol: string, endpoint: string | undefined, topic: TopicRecord): string {
  if (!(SUPPORTED_PROTOCOLS as readonly string[]).includes(protocol)) {
    if (AWS_ONLY_PROTOCOLS.includes(protocol)) {
      throw invalidParameter('Protocol', `Osprey does not deliver to ${protocol}; supported protocols: ${SUPPORTED_PROTOCOLS.join(', ')}`);
    }
    throw invalidParameter(`Amazon SNS does not support this protocol string: ${protocol}`);
  }
  if (endpoint === undefined || endpoint === '') throw invalidParameter('Endpoint');
  switch (protocol) {
    case 'http':
    case 'https':
      if (!isUrl(endpoint, [`${protocol}:`])) throw invalidParameter('Endpoint must match the specified protocol');
      break;
    case SLACK_PROTOCOL:
      if (!isUrl(endpoint, ['http:', 'https:'])) throw invalidParameter('Endpoint', 'a slack subscription takes the incoming webhook URL (http or https)');
      break;
    case 'email':
    case 'email-json':
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(endpoint)) throw invalidParameter('Email address');
      if (!deps.emailEnabled) throw invalidParameter('Protocol', 'Osprey cannot send email: no SMTP server is configured (sns.smtp)');
      break;
    case 'sqs':
      checkQueueEndpoint(endpoint, { region: topic.region, fifo: isFifoTopic(topic) });
      break;
    case 'lambda':
      if (!/^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]{1,140}(:[A-Za-z0-9$_-]+)?$/.test(endpoint)) {
        throw invalidParameter('Lambda endpoint ARN');
      }
      if (!deps.lambdaUrl(endpoint)) {
        throw invalidParameter('Endpoint', `no URL is mapped to ${endpoint} (config lambda.functions / OSPREY_LAMBDA_URLS)`);
      }
      break;
  }
  return endpoint;
}

function isUrl(s: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(s).protocol);
  } catch {
    return false;
  }
}

/** Where an attribute is being set: Subscribe words FilterPolicy errors differently, and the policy is checked for its scope. */
interface AttributeContext {
  subscribing: boolean;
  scope: FilterScope;
  topic: TopicRecord;
}

/** AWS: "Invalid parameter: Attributes Reason: FilterPolicy: <why>" on Subscribe, "Invalid parameter: FilterPolicy: <why>" otherwise. */
function filterPolicyError(e: InvalidFilterPolicy, subscribing: boolean): ServiceError {
  const why = e.bare ? e.message : `FilterPolicy: ${e.message}`;
  return new ServiceError('InvalidParameter', `Invalid parameter: ${subscribing ? 'Attributes Reason: ' : ''}${why}`);
}

/** Validates one subscription attribute for a protocol; returns the value to store ('' = unset). */
function checkSubscriptionAttribute(protocol: string, name: string, value: string, at: AttributeContext): string {
  if (!SUBSCRIPTION_ATTRIBUTES.has(name)) {
    if (name === 'SubscriptionRoleArn' || name === 'ReplayPolicy') throw invalidParameter(name, `Osprey does not support ${name}`);
    throw invalidParameter('AttributeName');
  }
  switch (name) {
    case 'RawMessageDelivery': {
      const v = value.toLowerCase();
      if (v !== 'true' && v !== 'false') throw invalidParameter('RawMessageDelivery', 'must be true or false');
      if (v === 'true' && !RAW_CAPABLE.has(protocol)) throw invalidParameter(`Delivery protocol [${protocol}] does not support raw message delivery.`);
      return v;
    }
    case 'FilterPolicy':
      if (value === '') return '';
      try {
        parseFilterPolicy(value, at.scope);
      } catch (e) {
        if (e instanceof InvalidFilterPolicy) throw filterPolicyError(e, at.subscribing);
        throw e;
      }
      return value;
    case 'FilterPolicyScope':
      if (value !== 'MessageAttributes' && value !== 'MessageBody') throw invalidParameter(`FilterPolicyScope: Invalid value [${String(value)}]. Please use either MessageBody or MessageAttributes`);
      return value;
    case 'DeliveryPolicy':
      if (value !== '') checkJsonObject('DeliveryPolicy', value);
      return value;
    case 'RedrivePolicy':
      return value === '' ? '' : checkRedrivePolicy(value, { account: at.topic.account, region: at.topic.region, fifo: isFifoTopic(at.topic) });
  }
  return value;
}

function checkSubscriptionAttributes(protocol: string, given: Record<string, string>, topic: TopicRecord): Record<string, string> {
  const out: Record<string, string> = {};
  const scope = filterScopeOf(given);
  for (const [k, v] of Object.entries(given)) {
    const stored = checkSubscriptionAttribute(protocol, k, v, { subscribing: true, scope, topic });
    if (stored !== '') out[k] = stored;
  }
  return out;
}

async function requireTopic(deps: SnsDeps, k: TopicKey): Promise<TopicRecord> {
  const topic = await deps.repo.getTopic(k);
  if (!topic) throw topicNotFound();
  return topic;
}

export async function subscribe(deps: SnsDeps, ctx: Ctx, input: CallInput<'sns', 'Subscribe'>): Promise<CallOutput<'sns', 'Subscribe'>> {
  // Another account's topic in this region, when its policy allows this caller sns:Subscribe.
  const key = topicKeyFromArn({ account: parseTopicArn(input.TopicArn)?.account ?? ctx.account, region: ctx.region }, input.TopicArn);
  // AWS answers NotFound for a missing topic before it looks at the protocol or endpoint.
  const topic = await requireTopic(deps, key);
  requireTopicPermission(topic, ctx, 'sns:Subscribe');
  const protocol = required(input.Protocol, 'Protocol');
  const endpoint = checkProtocol(deps, protocol, input.Endpoint, topic);
  const attributes = checkSubscriptionAttributes(protocol, input.Attributes ?? {}, topic);
  const now = ctx.clock.now();
  await deps.repo.deleteExpiredTokens(now);

  const existing = await deps.repo.findSubscription(key, protocol, endpoint);
  if (existing) {
    for (const [k, v] of Object.entries(attributes)) {
      if (existing.attributes[k] !== v) throw invalidParameter('Attributes', 'Subscription already exists with different attributes');
    }
    // Subscribing a pending endpoint again sends a fresh confirmation, as AWS does.
    if (!existing.confirmed) await sendConfirmation(deps, topic, existing, 'SubscriptionConfirmation', now);
    return { SubscriptionArn: existing.confirmed || input.ReturnSubscriptionArn ? existing.arn : 'pending confirmation' };
  }

  const sub: SubscriptionRecord = {
    arn: `${topicArn(key)}:${deps.ids.uuid()}`,
    ...key,
    topicName: key.name,
    protocol,
    endpoint,
    owner: ctx.account,
    confirmed: !needsConfirmation(protocol, endpoint, ctx.account),
    confirmationWasAuthenticated: !needsConfirmation(protocol, endpoint, ctx.account),
    authenticateOnUnsubscribe: false,
    attributes,
    createdAt: now,
  };
  await deps.repo.insertSubscription(sub);
  if (!sub.confirmed) await sendConfirmation(deps, topic, sub, 'SubscriptionConfirmation', now);
  return { SubscriptionArn: sub.confirmed || input.ReturnSubscriptionArn ? sub.arn : 'pending confirmation' };
}

/** Stores a token for `sub` and enqueues the (Un)SubscriptionConfirmation message with it. */
async function sendConfirmation(
  deps: SnsDeps,
  topic: TopicRecord,
  sub: SubscriptionRecord,
  type: ConfirmationRow['type'],
  now: number,
): Promise<void> {
  const token = deps.ids.token();
  await deps.repo.putToken({
    token,
    account: sub.account,
    region: sub.region,
    topicName: sub.topicName,
    subscriptionArn: sub.arn,
    protocol: sub.protocol,
    endpoint: sub.endpoint,
    attributes: sub.attributes,
    expiresAt: now + TOKEN_TTL_MS,
  });
  const row: ConfirmationRow = {
    v: 1,
    kind: 'confirmation',
    type,
    account: sub.account,
    region: sub.region,
    topicArn: topicArn(topic),
    subscriptionArn: sub.arn,
    protocol: sub.protocol,
    endpoint: sub.endpoint,
    messageId: deps.ids.uuid(),
    timestamp: new Date(now).toISOString(),
    signatureVersion: signatureVersionOf(topic.attributes),
    ...(topic.attributes.DisplayName ? { displayName: topic.attributes.DisplayName } : {}),
    token,
  };
  const payload = JSON.stringify(row);
  await deps.outbox.enqueue([{ topic: SNS_OUTBOX_TOPIC, target: sub.arn, payload, bytes: payload.length }], now);
}

/**
 * Confirms with a token (ConfirmSubscription, or the SubscribeURL/email link when `authenticated`
 * is false). A token from an UnsubscribeConfirmation subscribes the endpoint again.
 */
export async function confirmWithToken(
  deps: SnsDeps,
  topicArnText: string | undefined,
  token: string | undefined,
  opts: { authenticated: boolean; authenticateOnUnsubscribe: boolean; now: number },
): Promise<{ SubscriptionArn: string }> {
  const key = parseTopicArn(topicArnText);
  if (!key) throw invalidParameter('TopicArn');
  const t = token ? await deps.repo.getToken(token) : undefined;
  if (!t || t.expiresAt <= opts.now || t.account !== key.account || t.region !== key.region || t.topicName !== key.name) {
    throw invalidParameter('Token');
  }
  await requireTopic(deps, key);
  const change = {
    confirmed: true,
    confirmationWasAuthenticated: opts.authenticated,
    authenticateOnUnsubscribe: opts.authenticated && opts.authenticateOnUnsubscribe,
  };
  const existing = await deps.repo.getSubscription(t.subscriptionArn);
  if (existing) {
    // Confirming twice is harmless; the second time changes nothing that was authenticated.
    if (!existing.confirmed) await deps.repo.updateSubscription(existing.arn, change);
    return { SubscriptionArn: existing.arn };
  }
  await deps.repo.insertSubscription({
    arn: t.subscriptionArn,
    account: t.account,
    region: t.region,
    topicName: t.topicName,
    protocol: t.protocol,
    endpoint: t.endpoint,
    owner: t.account,
    attributes: t.attributes,
    createdAt: opts.now,
    ...change,
  });
  return { SubscriptionArn: t.subscriptionArn };
}

export async function confirmSubscription(
  deps: SnsDeps,
  ctx: Ctx,
  input: CallInput<'sns', 'ConfirmSubscription'>,
): Promise<CallOutput<'sns', 'ConfirmSubscription'>> {
  const flag = (input.AuthenticateOnUnsubscribe ?? 'false').toLowerCase();
  if (flag !== 'true' && flag !== 'false') throw invalidParameter('AuthenticateOnUnsubscribe');
  return confirmWithToken(deps, input.TopicArn, input.Token, { authenticated: true, authenticateOnUnsubscribe: flag === 'true', now: ctx.clock.now() });
}

/** Deletes a subscription; http/https endpoints get an UnsubscribeConfirmation (whose token subscribes them again). */
export async function unsubscribeArn(deps: SnsDeps, scope: Scope | undefined, arn: string | undefined, now: number, authenticated: boolean): Promise<SubscriptionRecord> {
  const parsed = parseSubscriptionArn(arn);
  if (!parsed || arn === undefined) throw invalidParameter('SubscriptionArn');
  if (scope && parsed.region !== scope.region) throw subscriptionNotFound();
  const sub = await deps.repo.getSubscription(arn);
  if (!sub || (scope && !visibleTo(scope, parsed.account, sub))) throw subscriptionNotFound();
  if (!authenticated && sub.authenticateOnUnsubscribe) {
    throw new ServiceError(
      'AuthorizationError',
      'This subscription was confirmed with AuthenticateOnUnsubscribe: unsubscribing requires a signed Unsubscribe request',
    );
  }
  await deps.repo.deleteSubscription(sub.arn);
  const topic = await deps.repo.getTopic({ account: sub.account, region: sub.region, name: sub.topicName });
  if (topic && sub.confirmed && UNSUBSCRIBE_CONFIRMED.has(sub.protocol)) await sendConfirmation(deps, topic, sub, 'UnsubscribeConfirmation', now);
  return sub;
}

export async function unsubscribe(deps: SnsDeps, ctx: Ctx, input: CallInput<'sns', 'Unsubscribe'>): Promise<CallOutput<'sns', 'Unsubscribe'>> {
  await unsubscribeArn(deps, ctx, input.SubscriptionArn, ctx.clock.now(), true);
  return {};
}

const listed = (s: SubscriptionRecord): Subscription => ({
  SubscriptionArn: s.confirmed ? s.arn : 'PendingConfirmation',
  Owner: s.owner,
  Protocol: s.protocol,
  Endpoint: s.endpoint,
  TopicArn: topicArn({ account: s.account, region: s.region, name: s.topicName }),
});

export async function listSubscriptions(
  deps: SnsDeps,
  ctx: Ctx,
  input: CallInput<'sns', 'ListSubscriptions'>,
): Promise<CallOutput<'sns', 'ListSubscriptions'>> {
  const rows = await deps.repo.listSubscriptions(ctx.account, ctx.region, decodeToken(input.NextToken), PAGE_SIZE + 1);
  return page(rows);
}

export async function listSubscriptionsByTopic(
  deps: SnsDeps,
  ctx: Ctx,
  input: CallInput<'sns', 'ListSubscriptionsByTopic'>,
): Promise<CallOutput<'sns', 'ListSubscriptionsByTopic'>> {
  const key = topicKeyFromArn(ctx, input.TopicArn);
  const after = decodeToken(input.NextToken);
  await requireTopic(deps, key);
  return page(await deps.repo.listSubscriptionsByTopic(key, after, PAGE_SIZE + 1));
}

function page(rows: SubscriptionRecord[]): { Subscriptions: Subscription[]; NextToken?: string } {
  const items = rows.slice(0, PAGE_SIZE);
  return {
    Subscriptions: items.map(listed),
    ...(rows.length > PAGE_SIZE ? { NextToken: encodeToken(items[items.length - 1].arn) } : {}),
  };
}

async function requireSubscription(deps: SnsDeps, ctx: Ctx, arn: string | undefined): Promise<SubscriptionRecord> {
  const parsed = parseSubscriptionArn(arn);
  if (!parsed || arn === undefined) throw invalidParameter('SubscriptionArn');
  if (parsed.region !== ctx.region) throw subscriptionNotFound();
  const sub = await deps.repo.getSubscription(arn);
  if (!sub || !visibleTo(ctx, parsed.account, sub)) throw subscriptionNotFound();
  return sub;
}

/** A subscription is the topic owner's, and also its subscriber's (another account's queue owner). */
const visibleTo = (scope: Scope, topicAccount: string, sub: SubscriptionRecord): boolean => topicAccount === scope.account || sub.owner === scope.account;

export async function getSubscriptionAttributes(
  deps: SnsDeps,
  ctx: Ctx,
  input: CallInput<'sns', 'GetSubscriptionAttributes'>,
): Promise<CallOutput<'sns', 'GetSubscriptionAttributes'>> {
  const sub = await requireSubscription(deps, ctx, input.SubscriptionArn);
  const topic = await deps.repo.getTopic({ account: sub.account, region: sub.region, name: sub.topicName });
  const a = sub.attributes;
  const deliveryPolicy = a.DeliveryPolicy ?? topic?.attributes.DeliveryPolicy;
  return {
    Attributes: {
      ...a,
      SubscriptionArn: sub.arn,
      TopicArn: topicArn({ account: sub.account, region: sub.region, name: sub.topicName }),
      Owner: sub.owner,
      Protocol: sub.protocol,
      Endpoint: sub.endpoint,
      PendingConfirmation: String(!sub.confirmed),
      ConfirmationWasAuthenticated: String(sub.confirmationWasAuthenticated),
      RawMessageDelivery: a.RawMessageDelivery ?? 'false',
      EffectiveDeliveryPolicy: JSON.stringify(effectiveDeliveryPolicy(deliveryPolicy)),
      ...(a.FilterPolicy ? { FilterPolicyScope: a.FilterPolicyScope ?? 'MessageAttributes' } : {}),
    },
  };
}

export async function setSubscriptionAttributes(
  deps: SnsDeps,
  ctx: Ctx,
  input: CallInput<'sns', 'SetSubscriptionAttributes'>,
): Promise<CallOutput<'sns', 'SetSubscriptionAttributes'>> {
  const sub = await requireSubscription(deps, ctx, input.SubscriptionArn);
  const name = required(input.AttributeName, 'AttributeName');
  const topic = await requireTopic(deps, { account: sub.account, region: sub.region, name: sub.topicName });
  const at: AttributeContext = { subscribing: false, scope: filterScopeOf(sub.attributes), topic };
  const value = checkSubscriptionAttribute(sub.protocol, name, input.AttributeValue ?? '', at);
  const attributes = { ...sub.attributes };
  if (value === '') delete attributes[name];
  else attributes[name] = value;
  if (!(await deps.repo.updateSubscription(sub.arn, { attributes }))) throw subscriptionNotFound();
  return {};
}
