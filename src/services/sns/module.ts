/**
 * The SNS module: topics and subscriptions in the metadata store, Publish fanned out through the outbox, signed
 * deliveries, and SNS's public links (SubscribeURL, UnsubscribeURL, SigningCertURL) as plain GETs.
 */
import { join } from 'node:path';
import type { Env, ServiceModule } from '../../server/module.ts';
import { buildSns } from './index.ts';
import { queueSender } from './sqs-endpoint.ts';

export function createSns(env: Env): ServiceModule<'sns'> {
  const { config } = env;
  const sns = buildSns({
    db: env.db,
    outbox: env.outbox,
    clock: env.clock,
    log: env.log,
    publicUrl: env.publicUrl,
    keysDir: join(env.dataDir, 'keys'),
    smtp: config.sns.smtp,
    lambdaUrls: config.lambda.functions,
    timeoutMs: config.delivery.timeoutMs,
    // SQS is reached only through its operations (internal calls), as sns.amazonaws.com.
    queues: queueSender(env.call, env.serviceCtx),
  });
  return {
    name: 'sns',
    handlers: sns.handlers,
    deliveries: [sns.delivery],
    // No SigV4 on these, as in AWS: the links are followed by mail clients and HTTP endpoints.
    routes: [{ method: 'GET', prefix: sns.paths.prefix, handle: (pathAndQuery) => sns.handleHttp(pathAndQuery) }],
    close: () => sns.close(),
  };
}
