import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { TraceSegmentStore } from '../../store/telemetry/trace-segments.ts';
import type { ReservoirAllocator } from './sampling/reservoir.ts';
import type { XrayRepo } from './repo.ts';

export interface XrayDeps {
  segments: TraceSegmentStore;
  repo: XrayRepo;
  reservoirs: ReservoirAllocator;
  clock: Clock;
  log: Logger;
}
