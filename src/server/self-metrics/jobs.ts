/**
 * Background jobs (PeriodicTask, ScheduleRunner): how late each run started, when each job last
 * ran, and failed runs — from the process-wide job-run reports (src/lib/job-runs.ts).
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { onJobRun, type JobRun } from '../../lib/job-runs.ts';
import type { CloudSink } from './cloud-sink.ts';
import type { SelfMetricSource } from './source.ts';

/** Seconds late; a healthy loop runs within milliseconds, a stuck one minutes late. */
const LAG_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300];

export class JobMetrics implements SelfMetricSource {
  private readonly lag: Histogram<'job'>;
  private readonly lastRun: Gauge<'job'>;
  private readonly failures: Counter<'job'>;
  private readonly unsubscribe: () => void;

  constructor(registry: Registry, private readonly cloud: CloudSink) {
    const registers = [registry];
    this.lag = new Histogram({ name: 'osprey_job_lag_seconds', help: 'How long after it was due a background job run started', labelNames: ['job'], buckets: LAG_BUCKETS, registers });
    this.lastRun = new Gauge({ name: 'osprey_job_last_run_timestamp_seconds', help: 'When each background job last finished a run (Unix seconds)', labelNames: ['job'], registers });
    this.failures = new Counter({ name: 'osprey_job_failures_total', help: 'Background job runs that failed', labelNames: ['job'], registers });
    this.unsubscribe = onJobRun((r) => this.record(r));
  }

  private record(r: JobRun): void {
    this.lag.observe({ job: r.job }, r.lagSeconds);
    this.lastRun.set({ job: r.job }, r.endedAt / 1000);
    if (!r.ok) this.failures.inc({ job: r.job });
    this.cloud.observe('JobLagSeconds', { Job: r.job }, r.lagSeconds, 'Seconds');
  }

  close(): void {
    this.unsubscribe();
  }
}
