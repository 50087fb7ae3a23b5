/**
 * A place a trail delivers to (its bucket, its log group). A destination either takes a batch or
 * throws a DeliveryError saying whether retrying can help: `permanent` when the destination itself
 * is gone (the log group was deleted, the bucket is no longer mapped), so AWS-like, records are not
 * held back for it; otherwise the batch is retried next interval.
 */
import type { Trail } from '../trails/types.ts';
import type { PendingRecord } from './read.ts';

export type DestinationName = 'bucket' | 'logs';

export interface Destination {
  readonly name: DestinationName;
  /** Whether the trail delivers here. */
  wants(trail: Trail): boolean;
  /** Delivers the records (all of the trail's account, in seq order) at `now`. */
  deliver(trail: Trail, records: readonly PendingRecord[], now: number): Promise<void>;
}

export class DeliveryError extends Error {
  constructor(message: string, readonly permanent: boolean, options?: ErrorOptions) {
    super(message, options);
    this.name = 'DeliveryError';
  }
}

/** The principal CloudTrail acts as in other services (its service-linked role). */
export const cloudTrailRole = (account: string) =>
  `arn:aws:iam::${account}:role/aws-service-role/cloudtrail.amazonaws.com/AWSServiceRoleForCloudTrail`;

/** Records grouped by a key, each group keeping seq order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(item);
  }
  return out;
}
