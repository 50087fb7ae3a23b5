/** Retention: messages older than their queue's MessageRetentionPeriod, expired deduplication ids, old deleted-queue names. */
import { numAttr, type SqsDeps } from './deps.ts';

export function expireMessages(deps: SqsDeps): number {
  const now = deps.clock.now();
  let n = 0;
  for (const q of deps.repo.allQueues()) n += deps.repo.expire(q.id, now - numAttr(q, 'MessageRetentionPeriod') * 1000, now);
  deps.repo.forgetDeletedBefore(now - 60_000);
  return n;
}
