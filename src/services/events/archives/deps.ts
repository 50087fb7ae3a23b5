import type { Clock } from '../../../lib/clock.ts';
import type { Logger } from '../../../lib/logger.ts';
import type { EventsRepo } from '../repo.ts';
import type { ArchiveRepo } from './archive-repo.ts';
import type { ReplayRepo } from './replay-repo.ts';

/** What the archive and replay handlers share. */
export interface ArchiveHandlerDeps {
  archives: ArchiveRepo;
  replays: ReplayRepo;
  events: EventsRepo;
  clock: Clock;
  log: Logger;
  /** Throws InvalidEventPatternException with AWS's message for a bad pattern (rules.ts checkPattern). */
  checkPattern(text: string): void;
  /** Wakes the replay runner (a replay was started or cancelled). */
  kick(): void;
}

/**
 * AWS's quotas. The EventBridge quotas page lists none for archives; at most 10 replays may be
 * STARTING or RUNNING per account and Region (AWS answers the 11th with LimitExceededException,
 * recorded by LocalStack's validated tests).
 */
export const ARCHIVE_LIMITS = { activeReplays: 10, listPage: 100 } as const;

/** Replays stay listed this long after they end, as AWS keeps them (then the retention job drops them). */
export const REPLAY_KEEP_MS = 90 * 86_400_000;
