/** Retention: messages older than their queue's MessageRetentionPeriod, expired deduplication ids, old deleted-queue names. */
import { numAttr, type SqsDeps } from './deps.ts';

export async function expireMessages(deps: SqsDeps): Promise<number> {
  const now = deps.clock.now();
  let n = 0;
  for (const q of await deps.repo.allQueues()) n += await deps.messages.expire(q.id, now - numAttr(q, 'MessageRetentionPeriod') * 1000, now);
  await deps.repo.forgetDeletedBefore(now - 60_000);
  return n;
}
