/**
 * Sends `sns` outbox rows, one message per row:
 * - http/https: POST of the signed JSON envelope (or the bare message with RawMessageDelivery),
 *   headers x-amz-sns-message-type / -message-id / -topic-arn / -subscription-arn,
 *   Content-Type text/plain; charset=UTF-8 (or the DeliveryPolicy's headerContentType);
 * - email: the message as text with an unsubscribe link; email-json: the signed JSON envelope;
 * - lambda: POST of the SNS Lambda event to the function's mapped URL;
 * - slack: POST `{"text": "<Subject>\n<Message>"}` to the webhook URL;
 * - sqs: SendMessage of the signed JSON envelope (or the raw message with its attributes) as
 *   sns.amazonaws.com (sqs-endpoint.ts); a FIFO topic's rows keep their order per subscription.
 * 2xx is success; network errors, timeouts, 408, 429 and 5xx are retried with backoff by the
 * DeliveryWorker; other statuses are permanent (retried a few times, then dead-lettered).
 * A notification for a subscription that no longer exists (unsubscribed, topic deleted) is dropped.
 * A client-side failure (permanent) goes to the subscription's dead-letter queue when it has one
 * (redrive.ts); otherwise the worker retries it a few times and gives it up.
 */
import type { Logger } from '../../lib/logger.ts';
import { postForDelivery, urlOrigin } from '../../jobs/http-post.ts';
import type { DeliveryHandler, DeliveryResult } from '../../jobs/delivery-worker.ts';
import type { OutboxRow } from '../../store/meta/outbox.ts';
import type { SnsRepo } from '../../store/meta/sns.ts';
import { SLACK_PROTOCOL, SNS_OUTBOX_TOPIC } from './deps.ts';
import {
  confirmationEnvelope,
  lambdaEvent,
  notificationEnvelope,
  subscriptionConfirmationText,
  unsubscribeConfirmationText,
  type NotificationFields,
  type Signer,
} from './envelope.ts';
import { CONFIRMATION_EMAIL_SUBJECT, DEFAULT_EMAIL_SUBJECT, MailError, confirmationEmailText, notificationEmailText, type Mailer } from './email.ts';
import { parseSnsRow, type ConfirmationRow, type NotificationRow } from './payload.ts';
import { deadLetterArnOf, redrive } from './redrive.ts';
import { rawAttributesProblem, type QueueSender } from './sqs-endpoint.ts';
import type { SubscriptionRecord } from '../../store/meta/sns.ts';
import type { SnsUrls } from './urls.ts';

/** Sends in flight at once per round. */
const CONCURRENCY = 16;

type Failure = Extract<DeliveryResult, { ok: false }>;
/** `code`: the endpoint's error code, for a dead-letter message's ErrorCode. */
type Outcome = { ok: true } | (Omit<Failure, 'id'> & { code?: string });

export interface SnsDeliveryOptions {
  repo: SnsRepo;
  urls: SnsUrls;
  signer: () => Signer;
  lambdaUrl(arn: string): string | undefined;
  mailer?: Mailer;
  log: Logger;
  timeoutMs: number;
  now: () => number;
  fetch?: typeof fetch;
  /** Sends to SQS queues (the `sqs` protocol and dead-letter queues); absent, those fail. */
  queues?: QueueSender;
}

/** What a queue gets besides the body: a FIFO topic's ids, or a standard topic's group (SQS fair queues). */
function groupOf(p: NotificationRow): { group?: { groupId: string; dedupId?: string } } {
  if (p.fifo) return { group: { groupId: p.fifo.groupId, dedupId: p.fifo.dedupId } };
  return p.groupId !== undefined ? { group: { groupId: p.groupId } } : {};
}

/** A FIFO topic's subscription ARN (`…:name.fifo:<id>`): its rows are sent one after another. */
const isFifoSubscription = (arn: string): boolean => /\.fifo:[^:]+$/.test(arn);

export class SnsDelivery implements DeliveryHandler {
  readonly topic = SNS_OUTBOX_TOPIC;
  constructor(private readonly opts: SnsDeliveryOptions) {}

  async deliver(rows: OutboxRow[], signal: AbortSignal): Promise<DeliveryResult[]> {
    const results: DeliveryResult[] = new Array(rows.length);
    // Rows of one FIFO subscription form one lane, sent in order; once one fails, the rest of its
    // lane waits for the retry (the order of a message group is kept). Other rows are lanes of one.
    const lanes = new Map<string, number[]>();
    rows.forEach((r, i) => {
      const key = isFifoSubscription(r.target) ? r.target : `#${i}`;
      const lane = lanes.get(key);
      if (lane) lane.push(i);
      else lanes.set(key, [i]);
    });
    const queue = [...lanes.values()];
    let next = 0;
    const worker = async () => {
      while (next < queue.length) {
        let blocked = false;
        for (const i of queue[next++]!) {
          const outcome: Outcome = blocked
            ? { ok: false, permanent: false, error: 'an earlier message of this FIFO subscription is not delivered yet' }
            : await this.deliverRow(rows[i]!, signal);
          blocked ||= !outcome.ok;
          results[i] = { id: rows[i]!.id, ...outcome } as DeliveryResult;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
    return results;
  }

  private async deliverRow(row: OutboxRow, signal: AbortSignal): Promise<Outcome> {
    let p;
    try {
      p = parseSnsRow(row.payload);
    } catch (e) {
      return { ok: false, permanent: true, error: `unreadable outbox payload: ${(e as Error).message}` };
    }
    try {
      return p.kind === 'notification' ? await this.notify(p, signal) : await this.confirm(p, signal);
    } catch (e) {
      return { ok: false, permanent: false, error: `${p.protocol} delivery failed: ${(e as Error).message}` };
    }
  }

  private async notify(p: NotificationRow, signal: AbortSignal): Promise<Outcome> {
    const sub = await this.opts.repo.getSubscription(p.subscriptionArn);
    if (!sub || !sub.confirmed) {
      this.opts.log.debug({ subscriptionArn: p.subscriptionArn, messageId: p.messageId }, 'sns: subscription gone; message dropped');
      return { ok: true };
    }
    const fields: NotificationFields = {
      MessageId: p.messageId,
      ...(p.fifo ? { SequenceNumber: p.fifo.sequenceNumber } : {}),
      TopicArn: p.topicArn,
      ...(p.subject !== undefined ? { Subject: p.subject } : {}),
      Message: p.message,
      Timestamp: p.timestamp,
      UnsubscribeURL: this.opts.urls.unsubscribeUrl(p.subscriptionArn),
      ...(p.attributes ? { MessageAttributes: p.attributes } : {}),
    };
    const outcome = await this.send(p, fields, signal);
    if (outcome.ok || !outcome.permanent) return outcome;
    return this.deadLetter(p, sub, fields, outcome);
  }

  /** A client-side failure with a dead-letter queue: the message goes there (else the worker gives it up). */
  private async deadLetter(p: NotificationRow, sub: SubscriptionRecord, fields: NotificationFields, failure: Extract<Outcome, { ok: false }>): Promise<Outcome> {
    const deadLetterArn = deadLetterArnOf(sub.attributes);
    if (!deadLetterArn || !this.opts.queues) return failure;
    const body = p.raw ? p.message : JSON.stringify(notificationEnvelope(fields, p.signatureVersion, this.opts.signer()));
    const code = failure.code ?? /HTTP (\d{3})/.exec(failure.error)?.[1] ?? 'ClientError';
    const sent = await redrive(this.opts.queues, {
      deadLetterArn, topicArn: p.topicArn, body, ...(p.raw && p.attributes ? { attributes: p.attributes } : {}),
      failure: { code, error: failure.error }, ...groupOf(p),
    });
    if (sent.ok) {
      this.opts.log.info({ subscriptionArn: p.subscriptionArn, messageId: p.messageId, deadLetterArn, error: failure.error }, 'sns: message moved to the dead-letter queue');
      return sent;
    }
    return { ok: false, permanent: true, error: `${failure.error}; dead-letter queue ${deadLetterArn}: ${sent.error}` };
  }

  private async send(p: NotificationRow, fields: NotificationFields, signal: AbortSignal): Promise<Outcome> {
    const { urls } = this.opts;
    const signer = this.opts.signer();
    switch (p.protocol) {
      case 'http':
      case 'https': {
        const headers = {
          ...snsHeaders('Notification', p.messageId, p.topicArn, p.subscriptionArn),
          'content-type': p.contentType ?? 'text/plain; charset=UTF-8',
          ...(p.raw ? { 'x-amz-sns-rawdelivery': 'true' } : {}),
        };
        const body = p.raw ? p.message : JSON.stringify(notificationEnvelope(fields, p.signatureVersion, signer));
        return this.post(p.endpoint, body, headers, signal);
      }
      case 'lambda': {
        const url = this.opts.lambdaUrl(p.endpoint);
        if (!url) return { ok: false, permanent: true, error: `no URL is mapped to ${p.endpoint} (config lambda.functions / OSPREY_LAMBDA_URLS)` };
        const body = JSON.stringify(lambdaEvent(p.subscriptionArn, fields, p.signatureVersion, signer));
        return this.post(url, body, { 'content-type': 'application/json' }, signal);
      }
      case 'sqs':
        return this.toQueue(p, fields, signer);
      case SLACK_PROTOCOL: {
        const text = p.subject !== undefined ? `${p.subject}\n${p.message}` : p.message;
        return this.post(p.endpoint, JSON.stringify({ text }), { 'content-type': 'application/json' }, signal);
      }
      case 'email':
        return this.mail({
          to: p.endpoint,
          subject: p.subject ?? DEFAULT_EMAIL_SUBJECT,
          text: notificationEmailText(p.message, urls.emailUnsubscribeUrl(p.subscriptionArn, p.endpoint)),
          fromName: p.displayName,
        });
      case 'email-json':
        return this.mail({
          to: p.endpoint,
          subject: p.subject ?? DEFAULT_EMAIL_SUBJECT,
          text: JSON.stringify(notificationEnvelope(fields, p.signatureVersion, signer)),
          fromName: p.displayName,
        });
      default:
        return { ok: false, permanent: true, error: `unsupported protocol ${p.protocol}` };
    }
  }

  private async confirm(p: ConfirmationRow, signal: AbortSignal): Promise<Outcome> {
    if (p.type === 'SubscriptionConfirmation') {
      const sub = await this.opts.repo.getSubscription(p.subscriptionArn);
      // Already confirmed (or unsubscribed) while this waited: nothing to ask any more.
      if (!sub || sub.confirmed) return { ok: true };
    }
    const { urls } = this.opts;
    const envelope = confirmationEnvelope(
      {
        Type: p.type,
        MessageId: p.messageId,
        Token: p.token,
        TopicArn: p.topicArn,
        Message: p.type === 'SubscriptionConfirmation' ? subscriptionConfirmationText(p.topicArn) : unsubscribeConfirmationText(p.subscriptionArn),
        SubscribeURL: urls.subscribeUrl(p.topicArn, p.token),
        Timestamp: p.timestamp,
      },
      p.signatureVersion,
      this.opts.signer(),
    );
    switch (p.protocol) {
      case 'http':
      case 'https': {
        const headers = {
          ...snsHeaders(p.type, p.messageId, p.topicArn, p.type === 'UnsubscribeConfirmation' ? p.subscriptionArn : undefined),
          'content-type': 'text/plain; charset=UTF-8',
        };
        return this.post(p.endpoint, JSON.stringify(envelope), headers, signal);
      }
      case 'email':
        return this.mail({
          to: p.endpoint,
          subject: CONFIRMATION_EMAIL_SUBJECT,
          text: confirmationEmailText(p.topicArn, urls.emailConfirmUrl(p.topicArn, p.token, p.endpoint)),
          fromName: p.displayName,
        });
      case 'email-json':
        return this.mail({ to: p.endpoint, subject: CONFIRMATION_EMAIL_SUBJECT, text: JSON.stringify(envelope), fromName: p.displayName });
      case 'sqs':
        // Another account's queue: its owner reads the SubscribeURL / Token from the queue.
        if (!this.opts.queues) return { ok: false, permanent: true, error: 'SQS is not served by this server' };
        return this.opts.queues({ queueArn: p.endpoint, topicArn: p.topicArn, body: JSON.stringify(envelope) });
      default:
        return { ok: true }; // lambda and slack subscriptions need no confirmation message.
    }
  }

  private async toQueue(p: NotificationRow, fields: NotificationFields, signer: Signer): Promise<Outcome> {
    if (!this.opts.queues) return { ok: false, permanent: true, error: 'SQS is not served by this server', code: 'NotServed' };
    const problem = p.raw ? rawAttributesProblem(p.attributes) : undefined;
    if (problem) return { ok: false, permanent: true, error: problem, code: 'InvalidParameterValue' };
    return this.opts.queues({
      queueArn: p.endpoint, topicArn: p.topicArn,
      body: p.raw ? p.message : JSON.stringify(notificationEnvelope(fields, p.signatureVersion, signer)),
      ...(p.raw && p.attributes ? { attributes: p.attributes } : {}),
      ...groupOf(p),
    });
  }

  private async mail(m: Parameters<Mailer['send']>[0]): Promise<Outcome> {
    if (!this.opts.mailer) return { ok: false, permanent: true, error: 'no SMTP server is configured (sns.smtp)' };
    try {
      await this.opts.mailer.send(m);
      return { ok: true };
    } catch (e) {
      return { ok: false, permanent: e instanceof MailError && e.permanent, error: (e as Error).message };
    }
  }

  private post(url: string, body: string, headers: Record<string, string>, signal: AbortSignal): Promise<Outcome> {
    return postForDelivery(url, body, {
      headers: { 'user-agent': 'Amazon Simple Notification Service Agent', ...headers }, redirect: 'manual',
      signal, timeoutMs: this.opts.timeoutMs, now: this.opts.now, describe: urlOrigin, fetch: this.opts.fetch,
    });
  }
}

function snsHeaders(type: string, messageId: string, topicArn: string, subscriptionArn: string | undefined): Record<string, string> {
  return {
    'x-amz-sns-message-type': type,
    'x-amz-sns-message-id': messageId,
    'x-amz-sns-topic-arn': topicArn,
    ...(subscriptionArn ? { 'x-amz-sns-subscription-arn': subscriptionArn } : {}),
  };
}


