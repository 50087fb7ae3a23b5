import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { EventsRepo } from './repo.ts';

/** What the core EventBridge handlers share. */
export interface EventsDeps {
  repo: EventsRepo;
  clock: Clock;
  log: Logger;
  limits: EventsLimits;
}

export interface EventsLimits {
  buses: number;
  rulesPerBus: number;
  targetsPerRule: number;
}

/**
 * AWS's default quotas (EventBridge quotas page): 100 buses per Region and 300 rules per bus, both
 * adjustable (config `quotas`: `events.buses`, `events.rulesPerBus`); 5 targets per rule, fixed.
 */
export function eventsLimits(quotas: Readonly<Record<string, number>>): EventsLimits {
  return { buses: quotas['events.buses'] ?? 100, rulesPerBus: quotas['events.rulesPerBus'] ?? 300, targetsPerRule: 5 };
}

