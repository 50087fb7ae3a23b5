/** SNS names, ARNs and the InvalidParameter / NotFound errors worded as SNS words them. */
import { ServiceError } from '../../protocol/errors.ts';
import type { TopicKey } from '../../store/meta/sns.ts';
import { arn } from '../../lib/arn.ts';

export interface Scope {
  account: string;
  region: string;
}

/** `Invalid parameter: <what>` (+ ` Reason: <why>`), SNS's InvalidParameter wording. */
export function invalidParameter(what: string, reason?: string): ServiceError {
  return new ServiceError('InvalidParameter', `Invalid parameter: ${what}${reason ? ` Reason: ${reason}` : ''}`);
}

/**
 * A member the model requires. The protocol layer has already refused a request without it (with
 * this same wording); the SDK types still say `| undefined`, so handlers narrow through here.
 */
export function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw invalidParameter(name);
  return value;
}

export const topicNotFound = () => new ServiceError('NotFound', 'Topic does not exist');
export const subscriptionNotFound = () => new ServiceError('NotFound', 'Subscription does not exist');

const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}$/;
/** A topic name in an ARN: a standard topic's, or a FIFO topic's (256 characters with the `.fifo` suffix). */
const ARN_TOPIC_NAME = /^([A-Za-z0-9_-]{1,256}|[A-Za-z0-9_-]{1,251}\.fifo)$/;

/** CreateTopic's Name without a FIFO topic's `.fifo` suffix: 1–256 of [A-Za-z0-9_-]. */
export function checkTopicName(name: string): void {
  if (!TOPIC_NAME.test(name)) throw invalidParameter('Topic Name');
}

export const topicArn = (k: TopicKey): string => arn('sns', k, k.name);

/** A topic ARN of the caller's account and region → its key. Malformed: InvalidParameter; elsewhere: NotFound. */
export function topicKeyFromArn(scope: Scope, arn: string | undefined, param = 'TopicArn'): TopicKey {
  const k = parseTopicArn(arn);
  if (!k) throw invalidParameter(param);
  if (k.account !== scope.account || k.region !== scope.region) throw topicNotFound();
  return k;
}

export function parseTopicArn(arn: string | undefined): TopicKey | undefined {
  if (!arn) return undefined;
  const parts = arn.split(':');
  if (parts.length !== 6 || parts[0] !== 'arn' || !parts[1].startsWith('aws') || parts[2] !== 'sns') return undefined;
  const [, , , region, account, name] = parts;
  if (!region || !account || !ARN_TOPIC_NAME.test(name)) return undefined;
  return { account, region, name };
}

/** `arn:<partition>:sns:<region>:<account>:<topic>:<id>` → its topic key. */
export function parseSubscriptionArn(arn: string | undefined): (TopicKey & { id: string }) | undefined {
  if (!arn) return undefined;
  const i = arn.lastIndexOf(':');
  if (i < 0) return undefined;
  const topic = parseTopicArn(arn.slice(0, i));
  const id = arn.slice(i + 1);
  if (!topic || !/^[A-Za-z0-9-]{1,100}$/.test(id)) return undefined;
  return { ...topic, id };
}

/** Opaque pagination tokens (the last name or ARN returned). */
export const encodeToken = (last: string): string => Buffer.from(last, 'utf8').toString('base64url');

export function decodeToken(token: string | undefined): string | undefined {
  if (token === undefined || token === '') return undefined;
  if (!/^[A-Za-z0-9_-]+$/.test(token)) throw invalidParameter('NextToken');
  return Buffer.from(token, 'base64url').toString('utf8');
}

export const PAGE_SIZE = 100;
