import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { OutboxRepo } from '../../store/meta/outbox.ts';
import type { SnsRepo } from '../../store/meta/sns.ts';
import type { SnsUrls } from './urls.ts';

/** What the SNS handlers need; built once by buildSns (index.ts). */
export interface SnsDeps {
  repo: SnsRepo;
  outbox: OutboxRepo;
  clock: Clock;
  log: Logger;
  urls: SnsUrls;
  /** Whether email / email-json subscriptions can be delivered (an SMTP server is configured). */
  emailEnabled: boolean;
  /** Lambda function ARN → the HTTP URL that stands in for it (config lambda.functions). */
  lambdaUrl(arn: string): string | undefined;
  /** Message ids, tokens and subscription ids; injectable for tests. */
  ids: { uuid(): string; token(): string };
}

/** The outbox topic of SNS deliveries. */
export const SNS_OUTBOX_TOPIC = 'sns';

/** How long a confirmation token (SubscribeURL) stays valid: three days, as in AWS. */
export const TOKEN_TTL_MS = 3 * 24 * 3600 * 1000;

/** Osprey's own protocol: a Slack-compatible incoming webhook that receives `{"text": …}`. */
export const SLACK_PROTOCOL = 'slack';

export const SUPPORTED_PROTOCOLS = ['http', 'https', 'email', 'email-json', 'lambda', 'sqs', SLACK_PROTOCOL] as const;
/** Protocols AWS has that Osprey cannot deliver to. */
export const AWS_ONLY_PROTOCOLS = ['sms', 'application', 'firehose'];
