import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { EventsRepo } from './repo.ts';

/** What the core EventBridge handlers share. */
export interface EventsDeps {
  repo: EventsRepo;
  clock: Clock;
  log: Logger;
}

/** AWS's default quotas (EventBridge quotas page): buses per Region, rules per bus, targets per rule. */
export const LIMITS = { buses: 100, rulesPerBus: 300, targetsPerRule: 5 } as const;

