import type { CloudSink } from './cloud-sink.ts';

/**
 * One group of self-metrics (API calls, ingest, outbox…). Counters and histograms are updated as
 * things happen; levels (depths, sizes, ages) are read by sample(), once per scrape or publish,
 * and written to CloudWatch by publish().
 */
export interface SelfMetricSource {
  /** Reads the current levels into the Prometheus gauges (and keeps them for publish()). */
  sample?(): Promise<void>;
  /** Writes the levels last sampled to CloudWatch (counts were observed as they happened). */
  publish?(cloud: CloudSink): void;
  close?(): void;
}
