/**
 * SNS's JSON message envelope for http/https/email-json/lambda, and its signature.
 *
 * The string to sign is AWS's documented canonical form: for each field in a fixed order, the field
 * name, a newline, the value, a newline; fields that are absent are skipped (only Subject can be).
 * - Notification: Message, MessageId, Subject, Timestamp, TopicArn, Type.
 * - SubscriptionConfirmation and UnsubscribeConfirmation: Message, MessageId, SubscribeURL,
 *   Timestamp, Token, TopicArn, Type.
 * SignatureVersion 1 signs it with SHA1withRSA, 2 with SHA256withRSA; Signature is base64.
 */
import { createSign, type KeyObject } from 'node:crypto';

export type MessageType = 'Notification' | 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';

/** A message attribute as the envelope carries it: `{"Type":"String","Value":"…"}` (Binary as base64). */
export interface EnvelopeAttribute {
  Type: string;
  Value: string;
}

export interface NotificationFields {
  MessageId: string;
  /** FIFO topics: the message's sequence number (not part of the signed string). */
  SequenceNumber?: string;
  TopicArn: string;
  Subject?: string;
  Message: string;
  Timestamp: string;
  UnsubscribeURL: string;
  MessageAttributes?: Record<string, EnvelopeAttribute>;
}

export interface ConfirmationFields {
  Type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  MessageId: string;
  Token: string;
  TopicArn: string;
  Message: string;
  SubscribeURL: string;
  Timestamp: string;
}

export interface Signer {
  key: KeyObject;
  certUrl: string;
}

export type SignatureVersion = '1' | '2';

/** A topic's SignatureVersion attribute: unset means 1 (SetTopicAttributes stores only '1' or '2'). */
export const signatureVersionOf = (attributes: Record<string, string>): SignatureVersion =>
  attributes.SignatureVersion === '2' ? '2' : '1';

const NOTIFICATION_FIELDS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const;
const CONFIRMATION_FIELDS = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const;

/** The canonical string AWS signs for a message of this type (exported for verification tests and tools). */
function stringToSign(m: Record<string, unknown>): string {
  const fields = m.Type === 'Notification' ? NOTIFICATION_FIELDS : CONFIRMATION_FIELDS;
  let out = '';
  for (const f of fields) {
    const v = m[f];
    if (v === undefined || v === null) continue;
    out += `${f}\n${String(v)}\n`;
  }
  return out;
}

export function signMessage(m: Record<string, unknown>, version: SignatureVersion, key: KeyObject): string {
  return createSign(version === '2' ? 'RSA-SHA256' : 'RSA-SHA1').update(stringToSign(m), 'utf8').sign(key, 'base64');
}

/** The http/https/email-json body of a notification, in AWS's member order. */
export function notificationEnvelope(f: NotificationFields, version: SignatureVersion, signer: Signer): Record<string, unknown> {
  const m: Record<string, unknown> = {
    Type: 'Notification',
    MessageId: f.MessageId,
    ...(f.SequenceNumber !== undefined ? { SequenceNumber: f.SequenceNumber } : {}),
    TopicArn: f.TopicArn,
    ...(f.Subject !== undefined ? { Subject: f.Subject } : {}),
    Message: f.Message,
    Timestamp: f.Timestamp,
    SignatureVersion: version,
  };
  m.Signature = signMessage(m, version, signer.key);
  m.SigningCertURL = signer.certUrl;
  m.UnsubscribeURL = f.UnsubscribeURL;
  if (f.MessageAttributes && Object.keys(f.MessageAttributes).length > 0) m.MessageAttributes = f.MessageAttributes;
  return m;
}

export function confirmationEnvelope(f: ConfirmationFields, version: SignatureVersion, signer: Signer): Record<string, unknown> {
  const m: Record<string, unknown> = {
    Type: f.Type,
    MessageId: f.MessageId,
    Token: f.Token,
    TopicArn: f.TopicArn,
    Message: f.Message,
    SubscribeURL: f.SubscribeURL,
    Timestamp: f.Timestamp,
    SignatureVersion: version,
  };
  m.Signature = signMessage(m, version, signer.key);
  m.SigningCertURL = signer.certUrl;
  return m;
}

/** The event a Lambda function subscribed to a topic receives (one record per invocation, as in AWS). */
export function lambdaEvent(subscriptionArn: string, f: NotificationFields, version: SignatureVersion, signer: Signer): Record<string, unknown> {
  const signed = notificationEnvelope(f, version, signer);
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: subscriptionArn,
        Sns: {
          Type: 'Notification',
          MessageId: f.MessageId,
          TopicArn: f.TopicArn,
          Subject: f.Subject ?? null,
          Message: f.Message,
          Timestamp: f.Timestamp,
          SignatureVersion: version,
          Signature: signed.Signature,
          SigningCertUrl: signer.certUrl,
          UnsubscribeUrl: f.UnsubscribeURL,
          MessageAttributes: f.MessageAttributes ?? {},
        },
      },
    ],
  };
}

export const subscriptionConfirmationText = (topicArn: string): string =>
  `You have chosen to subscribe to the topic ${topicArn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`;

export const unsubscribeConfirmationText = (subscriptionArn: string): string =>
  `You have chosen to deactivate subscription ${subscriptionArn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`;
