/**
 * The retention job's pass: each stream's records older than its retention period are deleted
 * (reads already skip them), and closed shards whose records have all expired stop being listed.
 */
import type { KinesisDeps } from './deps.ts';

export async function expireRecords(deps: KinesisDeps): Promise<void> {
  const now = deps.clock.now();
  for (const s of await deps.repo.allStreams()) {
    const cutoff = now - s.retentionHours * 3_600_000;
    await deps.records.deleteBefore(s.account, s.region, s.streamId, cutoff);
    await deps.repo.dropShardsClosedBefore(s.id, cutoff);
  }
}
