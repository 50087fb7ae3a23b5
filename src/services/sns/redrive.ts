/**
 * A subscription's dead-letter queue ("Amazon SNS dead-letter queues (DLQs)"): RedrivePolicy
 * `{"deadLetterTargetArn": "<SQS queue ARN>"}`, a queue in the subscription's account and region —
 * a FIFO queue for a FIFO topic's subscription, a standard one otherwise. A message SNS gives up on
 * (a client-side error: the queue is gone, its policy refuses SNS, the endpoint answers 4xx) goes
 * there as SNS would have delivered it, with the failure in the message attributes ErrorCode,
 * ErrorMessage and RequestID. The dead-letter queue's policy must let sns.amazonaws.com send, as
 * for any queue SNS writes to.
 */
import { randomUUID } from 'node:crypto';
import type { EnvelopeAttribute } from './envelope.ts';
import { invalidParameter } from './names.ts';
import { parseQueueArn, type QueueOutcome, type QueueSender } from './sqs-endpoint.ts';

const bad = (why: string) => invalidParameter(`RedrivePolicy: ${why}`);

/** Validates a RedrivePolicy for a subscription of `topic`; returns the value to store. */
export function checkRedrivePolicy(value: string, topic: { account: string; region: string; fifo: boolean }): string {
  let p: unknown;
  try {
    p = JSON.parse(value);
  } catch {
    throw bad('failed to parse JSON.');
  }
  if (typeof p !== 'object' || p === null || Array.isArray(p)) throw bad('must be a JSON object.');
  const keys = Object.keys(p);
  if (keys.some((k) => k !== 'deadLetterTargetArn')) throw bad(`unknown field ${keys.find((k) => k !== 'deadLetterTargetArn')}; the only field is deadLetterTargetArn.`);
  const arn = (p as { deadLetterTargetArn?: unknown }).deadLetterTargetArn;
  const q = typeof arn === 'string' ? parseQueueArn(arn) : undefined;
  if (!q) throw bad('deadLetterTargetArn is an invalid arn');
  if (q.account !== topic.account || q.region !== topic.region) throw bad('the dead-letter queue must be in the subscription\'s account and region');
  if (q.name.endsWith('.fifo') !== topic.fifo) {
    throw bad(topic.fifo ? 'a FIFO topic\'s subscription needs a FIFO dead-letter queue' : 'a standard topic\'s subscription needs a standard dead-letter queue');
  }
  return value;
}

export const deadLetterArnOf = (attributes: Record<string, string>): string | undefined => {
  if (!attributes.RedrivePolicy) return undefined;
  return (JSON.parse(attributes.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn;
};

export interface DeadLetter {
  deadLetterArn: string;
  topicArn: string;
  /** What the endpoint would have received (the envelope, or the raw message). */
  body: string;
  /** The message's own attributes, kept when it was a raw delivery. */
  attributes?: Record<string, EnvelopeAttribute>;
  failure: { code: string; error: string };
  group?: { groupId: string; dedupId?: string };
}

/** Sends the undeliverable message to the dead-letter queue. */
export function redrive(send: QueueSender, d: DeadLetter): Promise<QueueOutcome> {
  const failure: Record<string, EnvelopeAttribute> = {
    ErrorCode: { Type: 'String', Value: d.failure.code },
    ErrorMessage: { Type: 'String', Value: d.failure.error.slice(0, 1000) },
    RequestID: { Type: 'String', Value: randomUUID() },
  };
  // SQS keeps ten attributes per message: the failure details first.
  const own = Object.entries(d.attributes ?? {}).filter(([k]) => !(k in failure)).slice(0, 10 - Object.keys(failure).length);
  return send({ queueArn: d.deadLetterArn, topicArn: d.topicArn, body: d.body, attributes: { ...failure, ...Object.fromEntries(own) }, group: d.group });
}
