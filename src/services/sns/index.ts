/**
 * Amazon SNS (awsQuery, Version 2010-03-31): standard and FIFO topics, subscriptions (http, https,
 * email, email-json, lambda, sqs and Osprey's `slack`), Publish with durable, signed deliveries.
 *
 * The server wires it through module.ts (`createSns(env)`); `buildSns` is the part tests can
 * build with their own repo, mailer and fetch. Other services publish with an internal call
 * (`env.call('sns', 'Publish', …)`).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { DeliveryHandler } from '../../jobs/delivery-worker.ts';
import type { OutboxRepo } from '../../store/meta/outbox.ts';
import { SnsStore, type SnsRepo } from '../../store/meta/sns.ts';
import type { Sql } from '../../store/meta/sql/types.ts';
import type { SnsDeps } from './deps.ts';
import { SnsDelivery } from './delivery.ts';
import { smtpMailer, type Mailer, type SmtpConfig } from './email.ts';
import { handleSnsHttp, type SnsHttpResponse } from './http-endpoints.ts';
import { loadOrCreateSigningIdentity } from './keys.ts';
import { addPermission, removePermission } from './permissions.ts';
import { publish } from './publish.ts';
import { publishBatch } from './publish-batch.ts';
import {
  confirmSubscription,
  getSubscriptionAttributes,
  listSubscriptions,
  listSubscriptionsByTopic,
  setSubscriptionAttributes,
  subscribe,
  unsubscribe,
} from './subscriptions.ts';
import { listTagsForResource, tagResource, untagResource } from './tags.ts';
import { createTopic, deleteTopic, getTopicAttributes, listTopics, setTopicAttributes } from './topics.ts';
import { SNS_HTTP_PREFIX, snsUrls } from './urls.ts';
import type { QueueSender } from './sqs-endpoint.ts';
import type { ServiceHandlers } from '../../protocol/operations.ts';

export { SNS_HTTP_PREFIX } from './urls.ts';
export { SNS_OUTBOX_TOPIC, SLACK_PROTOCOL } from './deps.ts';
export type { SnsHttpResponse } from './http-endpoints.ts';

export interface CreateSnsOptions {
  db: Sql;
  outbox: OutboxRepo;
  clock: Clock;
  log: Logger;
  /** The server's public base URL (scheme://host:port), used in SubscribeURL, UnsubscribeURL and SigningCertURL. */
  publicUrl: () => string;
  /** Where the signing key and certificate live: `<dataDir>/keys`. */
  keysDir: string;
  /** SMTP server for email / email-json subscriptions; without it those protocols are refused. */
  smtp?: SmtpConfig;
  /** Lambda function ARN → URL (config lambda.functions); qualified ARNs fall back to the unqualified one. */
  lambdaUrls: Record<string, string>;
  /** Per-send timeout (HTTP and SMTP). */
  timeoutMs: number;
  /** Sends to SQS queues (sqs subscriptions, dead-letter queues); without it those deliveries fail. */
  queues?: QueueSender;
  /** For tests. */
  repo?: SnsRepo;
  mailer?: Mailer;
  fetch?: typeof fetch;
}

interface Sns {
  handlers: ServiceHandlers<'sns'>;
  delivery: DeliveryHandler;
  /** Answers GET requests under `paths.prefix`. */
  handleHttp(pathAndQuery: string): Promise<SnsHttpResponse>;
  paths: { prefix: string; certificate: string };
  /** Closes the SMTP connection pool, if any. */
  close(): void;
}

export function buildSns(opts: CreateSnsOptions): Sns {
  const identity = loadOrCreateSigningIdentity(opts.keysDir, opts.clock.now());
  const urls = snsUrls(opts.publicUrl, identity.fingerprint);
  const lambdas = new Map(Object.entries(opts.lambdaUrls));
  const lambdaUrl = (arn: string): string | undefined => {
    const exact = lambdas.get(arn);
    if (exact !== undefined) return exact;
    const m = /^(arn:aws[a-z-]*:lambda:[^:]+:[^:]+:function:[^:]+):[^:]+$/.exec(arn);
    return m ? lambdas.get(m[1]) : undefined;
  };
  const mailer = opts.mailer ?? (opts.smtp ? smtpMailer(opts.smtp, opts.timeoutMs) : undefined);
  const deps: SnsDeps = {
    repo: opts.repo ?? new SnsStore(opts.db),
    outbox: opts.outbox,
    clock: opts.clock,
    log: opts.log,
    urls,
    emailEnabled: mailer !== undefined,
    lambdaUrl,
    ids: { uuid: randomUUID, token: () => randomBytes(64).toString('hex') },
  };
  const delivery = new SnsDelivery({
    repo: deps.repo,
    urls,
    signer: () => ({ key: identity.privateKey, certUrl: urls.certUrl() }),
    lambdaUrl,
    mailer,
    log: opts.log,
    timeoutMs: opts.timeoutMs,
    now: () => opts.clock.now(),
    fetch: opts.fetch,
    queues: opts.queues,
  });
  return {
    handlers: snsHandlers(deps),
    delivery,
    handleHttp: (pathAndQuery) => handleSnsHttp(deps, () => identity.certificatePem, pathAndQuery),
    paths: { prefix: SNS_HTTP_PREFIX, certificate: urls.certPath() },
    close: () => mailer?.close(),
  };
}

export function snsHandlers(deps: SnsDeps): ServiceHandlers<'sns'> {
  return {
    CreateTopic: (ctx, input) => createTopic(deps, ctx, input),
    DeleteTopic: (ctx, input) => deleteTopic(deps, ctx, input),
    ListTopics: (ctx, input) => listTopics(deps, ctx, input),
    GetTopicAttributes: (ctx, input) => getTopicAttributes(deps, ctx, input),
    SetTopicAttributes: (ctx, input) => setTopicAttributes(deps, ctx, input),
    Subscribe: (ctx, input) => subscribe(deps, ctx, input),
    ConfirmSubscription: (ctx, input) => confirmSubscription(deps, ctx, input),
    Unsubscribe: (ctx, input) => unsubscribe(deps, ctx, input),
    ListSubscriptions: (ctx, input) => listSubscriptions(deps, ctx, input),
    ListSubscriptionsByTopic: (ctx, input) => listSubscriptionsByTopic(deps, ctx, input),
    GetSubscriptionAttributes: (ctx, input) => getSubscriptionAttributes(deps, ctx, input),
    SetSubscriptionAttributes: (ctx, input) => setSubscriptionAttributes(deps, ctx, input),
    Publish: (ctx, input) => publish(deps, ctx, input),
    PublishBatch: (ctx, input) => publishBatch(deps, ctx, input),
    AddPermission: (ctx, input) => addPermission(deps, ctx, input),
    RemovePermission: (ctx, input) => removePermission(deps, ctx, input),
    TagResource: (ctx, input) => tagResource(deps, ctx, input),
    UntagResource: (ctx, input) => untagResource(deps, ctx, input),
    ListTagsForResource: (ctx, input) => listTagsForResource(deps, ctx, input),
  };
}

