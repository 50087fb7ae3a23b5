import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import type { KeyStore } from '../../store/keys/key-store.ts';
import type { MetricPointStore } from '../../store/telemetry/metric-points.ts';
import type { TraceSegmentStore } from '../../store/telemetry/trace-segments.ts';
import type { ReservoirAllocator } from './sampling/reservoir.ts';
import type { XrayRepo } from './repo.ts';
import type { XraySettingsStore } from './settings-repo.ts';

export interface XrayDeps {
  segments: TraceSegmentStore;
  repo: XrayRepo;
  /** Resource policies, trace retrievals, telemetry records, sampling statistics. */
  settings: XraySettingsStore;
  /** Days trace data (and the daemons' telemetry records) are kept. */
  retentionDays: number;
  reservoirs: ReservoirAllocator;
  /** Where the ApplicationSignals service metrics go (service-metrics.ts). */
  metricPoints: Pick<MetricPointStore, 'append'>;
  /** Seals documents stored under a KMS encryption config (PutEncryptionConfig). */
  keys: KeyStore;
  clock: Clock;
  log: Logger;
}
