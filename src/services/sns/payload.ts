/**
 * What an SNS outbox row holds: everything needed to build, sign and send one message to one
 * subscription, fixed at enqueue time (so retries send the same message). URLs and signatures
 * are made at send time from the current public URL.
 */
import type { EnvelopeAttribute, SignatureVersion } from './envelope.ts';

interface RowBase {
  v: 1;
  account: string;
  region: string;
  topicArn: string;
  subscriptionArn: string;
  protocol: string;
  endpoint: string;
  messageId: string;
  /** ISO-8601 with milliseconds, as SNS writes it. */
  timestamp: string;
  signatureVersion: SignatureVersion;
  /** The topic's DisplayName (email sender name), if any. */
  displayName?: string;
}

export interface NotificationRow extends RowBase {
  kind: 'notification';
  /** The message for this subscription's protocol (MessageStructure=json already resolved). */
  message: string;
  subject?: string;
  attributes?: Record<string, EnvelopeAttribute>;
  /** RawMessageDelivery=true: http/https get the bare message. */
  raw: boolean;
  /** DeliveryPolicy requestPolicy.headerContentType, if set. */
  contentType?: string;
  /** FIFO topics: what the subscribed FIFO queue gets with the message. */
  fifo?: { groupId: string; dedupId: string; sequenceNumber: string };
  /** A standard topic's MessageGroupId: forwarded to SQS queues (fair queues use it). */
  groupId?: string;
}

export interface ConfirmationRow extends RowBase {
  kind: 'confirmation';
  type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  token: string;
}

export type SnsRowPayload = NotificationRow | ConfirmationRow;

export function parseSnsRow(text: string): SnsRowPayload {
  const p = JSON.parse(text) as SnsRowPayload;
  if (p?.v !== 1 || (p.kind !== 'notification' && p.kind !== 'confirmation')) throw new Error('not an SNS outbox payload (v1)');
  return p;
}
