/**
 * Streams every running metric stream minute by minute: 30 s after a minute ends (so points sent
 * a little late still count) its series' count/sum/min/max (and percentiles) are read from the
 * raw points, formatted as the stream's records and written to the durable outbox, then the
 * stream's cursor moves on — enqueue first, so a crash in between re-sends a minute rather than
 * losing it. A stream behind (the server was down) catches up at most two hours back, the raw
 * points' retention allowing, ten minutes per stream and tick.
 */
import type { Clock } from '../../../lib/clock.ts';
import type { Logger } from '../../../lib/logger.ts';
import type { OutboxRepo } from '../../../store/meta/outbox.ts';
import type { SqlEngine } from '../../../store/telemetry/engine.ts';
import { seriesAggregates } from '../../../store/telemetry/metric-minutes.ts';
import { minuteRecords, statisticsFor, type StreamIdentity } from './records.ts';
import type { MetricStreamRecord, MetricStreamStore } from './repo.ts';

export const METRIC_STREAM_TOPIC = 'cloudwatch.metric-stream';
export const MINUTE = 60_000;
const LAG_MS = 30_000;
export const TICK_MS = 10_000;
const MAX_BEHIND_MS = 2 * 3_600_000;
const MINUTES_PER_TICK = 10;
/** An outbox row carries at most this much record data (one minute of a large stream spans rows). */
const ROW_BYTES = 4 * 1024 * 1024;

export interface StreamRowPayload {
  account: string;
  region: string;
  stream: string;
  arn: string;
  minute: number;
  /** Metric updates (series) in these records. */
  updates: number;
  records: string[];
}

export interface MetricStreamRunnerOptions {
  repo: MetricStreamStore;
  engine: SqlEngine;
  outbox: OutboxRepo;
  clock: Clock;
  log: Logger;
  arnOf: (s: MetricStreamRecord) => string;
}

export class MetricStreamRunner {
  constructor(private readonly o: MetricStreamRunnerOptions) {}

  /** One pass over the running streams (every TICK_MS: index.ts). */
  async tick(): Promise<void> {
    const now = this.o.clock.now();
    for (const s of await this.o.repo.running()) {
      let minute = Math.max(await this.o.repo.nextMinute(s), Math.floor((now - MAX_BEHIND_MS) / MINUTE) * MINUTE);
      for (let n = 0; n < MINUTES_PER_TICK && minute + MINUTE + LAG_MS <= now; n++, minute += MINUTE) {
        await this.streamMinute(s, minute);
        await this.o.repo.advance(s, s.name, minute + MINUTE);
      }
    }
  }

  private async streamMinute(s: MetricStreamRecord, minute: number): Promise<void> {
    const def = s.definition;
    const series = await seriesAggregates(this.o.engine, {
      account: s.account, region: s.region, from: minute, to: minute + MINUTE, include: def.include, exclude: def.exclude,
      percentiles: def.statistics.flatMap((c) => c.metrics.map((m) => ({
        namespace: m.namespace, metricName: m.metricName, quantiles: statisticsFor(def, m.namespace, m.metricName).map(([, l]) => l),
      }))),
    });
    if (series.length === 0) return;
    const id: StreamIdentity = { name: s.name, arn: this.o.arnOf(s), account: s.account, region: s.region };
    const records = minuteRecords(id, def, minute, series).map((r) => r.toString('base64'));
    const rows: StreamRowPayload[] = [];
    let cur: string[] = [];
    let bytes = 0;
    const flush = () => {
      if (cur.length) rows.push({ account: s.account, region: s.region, stream: s.name, arn: id.arn, minute, updates: 0, records: cur });
      cur = [];
      bytes = 0;
    };
    for (const r of records) {
      if (cur.length && bytes + r.length > ROW_BYTES) flush();
      cur.push(r);
      bytes += r.length;
    }
    flush();
    rows[0]!.updates = series.length;
    await this.o.outbox.enqueue(rows.map((p) => {
      const payload = JSON.stringify(p);
      return { topic: METRIC_STREAM_TOPIC, target: def.firehoseArn, payload, items: p.records.length, bytes: payload.length };
    }), this.o.clock.now());
  }
}
