/**
 * Osprey watching itself (issue 24): one prom-client registry per server, served as `GET /metrics`
 * (Prometheus text format), and the same figures written every `selfMonitoring.intervalSeconds` as
 * CloudWatch metrics under `Osprey/Server`, so users alarm on Osprey with Osprey.
 *
 * Built in two steps because the ingest observers must exist before the telemetry store opens:
 * the constructor (before the kernel), then attach(env) once the stores exist.
 */
import { Registry } from 'prom-client';
import { operatorAccount, type OspreyConfig } from '../../config/config.ts';
import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import { PeriodicTask } from '../../jobs/periodic-task.ts';
import { TimerStore } from '../../store/meta/timers.ts';
import type { MetricPoint } from '../../store/telemetry/metric-points.ts';
import type { Env, Job } from '../module.ts';
import { ServiceMetrics } from '../service-metrics.ts';
import { ApiCallMetrics } from './api-calls.ts';
import { cloudSink, NO_CLOUD, SELF_NAMESPACE, type CloudSink } from './cloud-sink.ts';
import { IngestMetrics } from './ingest.ts';
import { JobMetrics } from './jobs.ts';
import { LeaseMetrics } from './leases.ts';
import { MergeMetrics } from './merges.ts';
import { OutboxMetrics } from './outbox.ts';
import { ProcessMetrics } from './process.ts';
import type { SelfMetricSource } from './source.ts';

export class SelfMonitoring {
  readonly registry = new Registry();
  readonly api: ApiCallMetrics;
  readonly ingest: IngestMetrics;
  /** Set by attach(): the delivery worker's onSettled. */
  outbox: OutboxMetrics | undefined;
  private readonly sources: SelfMetricSource[] = [];
  private readonly cloudWriter: ServiceMetrics | undefined;
  private readonly cloud: CloudSink;
  private write: (points: MetricPoint[]) => Promise<void> = async () => undefined;
  private sampling: Promise<void> | undefined;
  /** Set by watchDelivery(): outbox rows the delivery worker holds. */
  private deliveryLeases: () => number = () => 0;

  constructor(private readonly cfg: OspreyConfig, private readonly clock: Clock, private readonly log: Logger) {
    const sm = cfg.selfMonitoring;
    if (sm.enabled) {
      this.cloudWriter = new ServiceMetrics(SELF_NAMESPACE, (points) => this.write(points), () => clock.now(), log);
      const account = sm.account || operatorAccount(cfg);
      this.cloud = cloudSink(this.cloudWriter, { account, region: sm.region });
    } else {
      this.cloud = NO_CLOUD;
    }
    this.api = new ApiCallMetrics(this.registry, sm.enabled);
    this.ingest = new IngestMetrics(this.registry, this.cloud);
    this.sources.push(this.api, this.ingest, new JobMetrics(this.registry, this.cloud), new ProcessMetrics(this.registry));
  }

  /** The stores exist: levels read from them join, and CloudWatch points can be written. */
  attach(env: Env): void {
    this.write = (points) => env.telemetry.metricPoints.append(points);
    this.ingest.attach(env.telemetry);
    this.outbox = new OutboxMetrics(this.registry, this.cloud, env.outbox, this.clock);
    this.sources.push(
      this.outbox,
      new LeaseMetrics(this.registry, new TimerStore(env.db), () => this.deliveryLeases(), this.clock,
        async (now) => (await env.leases.list()).filter((l) => l.owner === env.nodeId && l.expiresAt > now).map((l) => l.name)),
      new MergeMetrics(this.registry, env.telemetry.engine, this.log),
    );
  }

  /** The kernel's delivery worker, for the outbox leases it holds. */
  watchDelivery(worker: { readonly leased: number }): void {
    this.deliveryLeases = () => worker.leased;
  }

  /** `GET /metrics`: levels sampled now, then the registry in Prometheus text format. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    await this.sample();
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** Publishes into CloudWatch every interval; absent when selfMonitoring.enabled is false. */
  job(): Job | undefined {
    const writer = this.cloudWriter;
    if (!writer) return undefined;
    const task = new PeriodicTask('self-monitoring', this.cfg.selfMonitoring.intervalSeconds * 1000, async () => {
      await this.sample();
      for (const s of this.sources) s.publish?.(this.cloud);
      await writer.flush();
    }, this.log);
    return { name: 'self-monitoring', start: () => task.start(), stop: () => task.stop().then(() => writer.flush()) };
  }

  close(): void {
    for (const s of this.sources) s.close?.();
  }

  /** One sample at a time: a scrape during a publish shares its queries. */
  private sample(): Promise<void> {
    this.sampling ??= this.sampleAll().finally(() => {
      this.sampling = undefined;
    });
    return this.sampling;
  }

  private async sampleAll(): Promise<void> {
    for (const s of this.sources) await s.sample?.();
  }
}
