/**
 * Sends metric stream outbox rows to the Firehose delivery stream (Osprey's own, or the external sink
 * `streams` maps it to; server/targets/stream-records.ts), retried with backoff by the delivery worker, and publishes what happened as the
 * AWS/CloudWatch/MetricStreams metrics MetricUpdate, TotalMetricUpdate and PublishErrorRate (per
 * MetricStreamName), which is how the console shows a stream's last delivery and errors.
 */
import type { DeliveryHandler, DeliveryResult } from '../../../jobs/delivery-worker.ts';
import { postForDelivery, urlOrigin } from '../../../jobs/http-post.ts';
import type { Clock } from '../../../lib/clock.ts';
import type { OutboxRow } from '../../../store/meta/outbox.ts';
import type { MetricPoint } from '../../../store/telemetry/metric-point.ts';
import { parseStreamSink, type SinkOutcome, type StreamSink } from '../../../server/targets/firehose-sink.ts';
import { deliverStreamRecords, nativeStreamExists, parseStreamArn, type StreamCalls } from '../../../server/targets/stream-records.ts';
import { streamArn } from './handlers.ts';
import { METRIC_STREAM_TOPIC, type StreamRowPayload } from './runner.ts';

export const SELF_NAMESPACE = 'AWS/CloudWatch/MetricStreams';

export interface MetricStreamDeliveryOptions {
  /** Firehose ARN → external sink text (config `streams`). */
  sinks: Readonly<Record<string, string>>;
  clock: Clock;
  timeoutMs: number;
  appendPoints: (points: MetricPoint[]) => Promise<void>;
  /** Osprey's own Firehose, for delivery streams not mapped in `streams`. */
  streams: StreamCalls;
}

export class MetricStreamDelivery implements DeliveryHandler {
  readonly topic = METRIC_STREAM_TOPIC;
  private readonly sinks = new Map<string, StreamSink>();

  constructor(private readonly o: MetricStreamDeliveryOptions) {
    for (const [arn, value] of Object.entries(o.sinks)) {
      const sink = parseStreamSink(value);
      if (sink) this.sinks.set(arn, sink);
    }
  }

  /** Whether PutMetricStream may name this delivery stream: mapped to a sink, or Osprey's own in the stream's account. */
  isDeliverable = async (arn: string, scope: { account: string; region: string }): Promise<boolean> => {
    if (this.sinks.has(arn)) return true;
    const s = parseStreamArn(arn);
    if (s?.account !== scope.account || s.region !== scope.region) return false;
    return (await nativeStreamExists(this.o.streams, arn, 'streams.metrics.cloudwatch.amazonaws.com')) === true;
  };

  async deliver(rows: OutboxRow[], signal: AbortSignal): Promise<DeliveryResult[]> {
    const outcome = new Map<number, SinkOutcome>();
    const byTarget = new Map<string, OutboxRow[]>();
    for (const r of rows) byTarget.set(r.target, [...(byTarget.get(r.target) ?? []), r]);
    for (const [target, group] of byTarget) {
      const payloads = group.map((r) => ({ id: r.id, p: JSON.parse(r.payload) as StreamRowPayload }));
      const records = payloads.flatMap(({ id, p }) => p.records.map((data) => ({ key: id, data: Buffer.from(data, 'base64'), partitionKey: p.stream })));
      const first = payloads[0]!.p;
      const by = { service: 'streams.metrics.cloudwatch.amazonaws.com', sourceArn: streamArn({ account: first.account, region: first.region, name: first.stream }), sourceAccount: first.account };
      await deliverStreamRecords({
        ...this.o.streams,
        post: (url, body, headers) => postForDelivery(url, body, { headers, signal, timeoutMs: this.o.timeoutMs, now: () => this.o.clock.now(), describe: urlOrigin }),
        now: () => this.o.clock.now(),
      }, this.sinks.get(target), target, records, by, (keys, o) => {
        // A row whose records went out in several requests failed if any of them did.
        for (const k of keys) if (outcome.get(k)?.ok !== false) outcome.set(k, o);
      });
    }
    const results = rows.map((r): DeliveryResult => ({ id: r.id, ...(outcome.get(r.id) ?? { ok: true as const }) }));
    await this.report(rows, results);
    return results;
  }

  private async report(rows: OutboxRow[], results: DeliveryResult[]): Promise<void> {
    const now = this.o.clock.now();
    const points: MetricPoint[] = [];
    rows.forEach((row, i) => {
      const p = JSON.parse(row.payload) as StreamRowPayload;
      const r = results[i]!;
      const point = (metricName: string, value: number, dims: Record<string, string>): MetricPoint => ({
        account: p.account, region: p.region, namespace: SELF_NAMESPACE, metricName, dimensions: dims, timestamp: now, storageResolution: 60,
        unit: 'Count', sampleCount: 1, sum: value, min: value, max: value, values: [value], counts: [1],
      });
      const dims = { MetricStreamName: p.stream };
      points.push(point('PublishErrorRate', r.ok ? 0 : 1, dims));
      if (r.ok && p.updates > 0) points.push(point('MetricUpdate', p.updates, dims), point('TotalMetricUpdate', p.updates, dims));
    });
    await this.o.appendPoints(points).catch(() => undefined);
  }
}
