/**
 * The process: Prometheus gets prom-client's default metrics under their usual names
 * (process_resident_memory_bytes, nodejs_eventloop_lag_seconds, nodejs_heap_size_used_bytes…) so
 * stock Node.js dashboards work; CloudWatch gets RSS, heap and the event-loop delay (p99 and max
 * since the last publish) from perf_hooks.
 */
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { collectDefaultMetrics, type Registry } from 'prom-client';
import type { CloudSink } from './cloud-sink.ts';
import type { SelfMetricSource } from './source.ts';

export class ProcessMetrics implements SelfMetricSource {
  private readonly delay: IntervalHistogram;

  constructor(registry: Registry) {
    collectDefaultMetrics({ register: registry });
    this.delay = monitorEventLoopDelay({ resolution: 10 });
    this.delay.enable();
  }

  publish(cloud: CloudSink): void {
    const mem = process.memoryUsage();
    cloud.observe('RSS', {}, mem.rss, 'Bytes');
    cloud.observe('HeapUsed', {}, mem.heapUsed, 'Bytes');
    // The histogram reports nanoseconds; NaN before its first sample.
    const p99 = this.delay.percentile(99) / 1e6;
    if (Number.isFinite(p99) && this.delay.count > 0) {
      cloud.observe('EventLoopLagMs', {}, p99, 'Milliseconds');
      cloud.observe('EventLoopLagMaxMs', {}, this.delay.max / 1e6, 'Milliseconds');
    }
    this.delay.reset();
  }

  close(): void {
    this.delay.disable();
  }
}
