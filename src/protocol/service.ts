import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';

/** What every handler gets: who called, where, and a clock. Resources are scoped by (account, region). */
export interface Ctx {
  account: string;
  region: string;
  principalArn: string;
  accessKeyId: string;
  requestId: string;
  /** Size of the request body as sent (before gunzip): for per-operation payload quotas. */
  requestBytes?: number;
  clock: Clock;
  log: Logger;
  /**
   * Set when an AWS service acts on a resource's behalf (an EventBridge rule writing to a log group):
   * the service principal and the resource it acts for, so resource policies decide as on AWS.
   */
  invokedBy?: { service: string; sourceArn: string; sourceAccount: string };
}

/** Input and output are "domain values": model member names, Date timestamps, Buffer blobs. */
export type Handler = (ctx: Ctx, input: unknown) => Promise<unknown> | unknown;
