/**
 * SQS queues as SNS subscribers ("Fanout to Amazon SQS queues"): the endpoint is a queue ARN in the
 * topic's region; SNS sends with an internal `sqs:SendMessage` call as the service principal
 * `sns.amazonaws.com` with aws:SourceArn = the topic ARN, so the queue's policy must allow it, in
 * the topic's account too. A FIFO topic subscribes FIFO queues only, and a standard topic standard
 * queues only.
 *
 * Raw message delivery ("Amazon SNS raw message delivery", "Amazon SNS message attributes"): the
 * message as published, with its SNS message attributes as SQS message attributes (String, Number,
 * Binary and String.Array keep their data type); SQS takes at most ten, so a raw message with more
 * is a client-side error (discarded, or sent to the subscription's dead-letter queue).
 */
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { InternalCall } from '../../server/module.ts';
import type { EnvelopeAttribute } from './envelope.ts';
import { invalidParameter } from './names.ts';

export const SNS_PRINCIPAL = 'sns.amazonaws.com';

/** SQS's limit on message attributes per message. */
const SQS_MAX_ATTRIBUTES = 10;

export interface QueueKey {
  account: string;
  region: string;
  name: string;
}

export function parseQueueArn(arn: string): QueueKey | undefined {
  const m = /^arn:aws[a-z-]*:sqs:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]{1,75}\.fifo|[A-Za-z0-9_-]{1,80})$/.exec(arn);
  return m ? { region: m[1]!, account: m[2]!, name: m[3]! } : undefined;
}

/** Subscribe's check of an `sqs` endpoint against the topic. */
export function checkQueueEndpoint(endpoint: string, topic: { region: string; fifo: boolean }): QueueKey {
  const q = parseQueueArn(endpoint);
  if (!q) throw invalidParameter('SQS endpoint ARN');
  if (q.region !== topic.region) throw invalidParameter('Invalid parameter: Endpoint', 'Osprey delivers to SQS queues in the topic\'s region only');
  const fifoQueue = q.name.endsWith('.fifo');
  if (topic.fifo && !fifoQueue) throw invalidParameter('Invalid parameter: Endpoint', 'Please use FIFO SQS queue');
  if (!topic.fifo && fifoQueue) throw invalidParameter('Invalid parameter: Endpoint', 'FIFO SQS Queues can not be subscribed to standard SNS topics');
  return q;
}

/** One message for a queue, as SNS sends it. */
export interface QueueMessage {
  queueArn: string;
  topicArn: string;
  body: string;
  attributes?: Record<string, EnvelopeAttribute>;
  /** A FIFO topic's group and deduplication ids, or a standard topic's group (for SQS fair queues). */
  group?: { groupId: string; dedupId?: string };
}

/** What a send came to: client-side errors (`permanent`) are not retried, as SNS documents. */
export type QueueOutcome = { ok: true } | { ok: false; permanent: boolean; error: string; code: string };

export type QueueSender = (m: QueueMessage) => Promise<QueueOutcome>;

type SqsAttribute = { DataType: string; StringValue?: string; BinaryValue?: Uint8Array };

/** SNS message attributes (envelope form: Binary in base64) → SQS message attributes. */
export function sqsAttributes(attrs: Record<string, EnvelopeAttribute>): Record<string, SqsAttribute> {
  const out: Record<string, SqsAttribute> = {};
  for (const [name, a] of Object.entries(attrs)) {
    out[name] = a.Type.startsWith('Binary') ? { DataType: a.Type, BinaryValue: Buffer.from(a.Value, 'base64') } : { DataType: a.Type, StringValue: a.Value };
  }
  return out;
}

/** The raw-delivery check SQS would refuse: more than ten attributes. */
export function rawAttributesProblem(attrs: Record<string, EnvelopeAttribute> | undefined): string | undefined {
  const n = Object.keys(attrs ?? {}).length;
  return n > SQS_MAX_ATTRIBUTES ? `the message has ${n} message attributes; SQS takes at most ${SQS_MAX_ATTRIBUTES} (raw message delivery)` : undefined;
}

function outcomeOf(e: unknown): QueueOutcome {
  if (!(e instanceof ServiceError)) return { ok: false, permanent: false, error: (e as Error).message, code: 'InternalError' };
  const throttled = /Throttl|RequestThrottled|OverLimit/.test(e.code);
  return { ok: false, permanent: e.status < 500 && !throttled, error: `${e.code}: ${e.message}`, code: e.code };
}

/** Sends through SQS's own handler (an internal call), as the SNS service principal. */
export function queueSender(call: InternalCall, serviceCtx: (scope: { account: string; region: string; principalArn: string }) => Ctx): QueueSender {
  return async (m) => {
    const q = parseQueueArn(m.queueArn);
    if (!q) return { ok: false, permanent: true, error: `${m.queueArn} is not an SQS queue ARN`, code: 'InvalidParameterValue' };
    const topicAccount = m.topicArn.split(':')[4]!;
    const ctx: Ctx = {
      ...serviceCtx({ account: q.account, region: q.region, principalArn: SNS_PRINCIPAL }),
      invokedBy: { service: SNS_PRINCIPAL, sourceArn: m.topicArn, sourceAccount: topicAccount },
    };
    try {
      await call('sqs', 'SendMessage', ctx, {
        // AWS's queue URL form: SQS reads the owner and name from its path.
        QueueUrl: `https://sqs.${q.region}.amazonaws.com/${q.account}/${q.name}`,
        MessageBody: m.body,
        ...(m.attributes && Object.keys(m.attributes).length > 0 ? { MessageAttributes: sqsAttributes(m.attributes) } : {}),
        ...(m.group ? { MessageGroupId: m.group.groupId } : {}),
        ...(m.group?.dedupId !== undefined ? { MessageDeduplicationId: m.group.dedupId } : {}),
      });
      return { ok: true };
    } catch (e) {
      return outcomeOf(e);
    }
  };
}
