/**
 * Leases this process holds: outbox rows being delivered and timer occurrences being fired, per
 * module. Runners name their leases `host:pid:…`, so counting by that prefix is "this node" even
 * when several processes share the metadata store.
 */
import { hostname } from 'node:os';
import { Gauge, type Registry } from 'prom-client';
import type { Clock } from '../../lib/clock.ts';
import type { TimerRepo } from '../../store/meta/timers.ts';
import type { CloudSink } from './cloud-sink.ts';
import type { SelfMetricSource } from './source.ts';

/** The prefix of every lease owner id this process's runners use (DeliveryWorker, ScheduleRunner). */
export const nodeLeasePrefix = (): string => `${hostname()}:${process.pid}:`;

export class LeaseMetrics implements SelfMetricSource {
  private readonly held: Gauge<'kind'>;
  private last: { kind: string; held: number }[] = [];

  constructor(
    registry: Registry,
    private readonly timers: TimerRepo,
    private readonly outboxLeases: () => number,
    private readonly clock: Clock,
  ) {
    this.held = new Gauge({ name: 'osprey_leases_held', help: 'Leases held by this process: outbox rows, timers/<module>', labelNames: ['kind'], registers: [registry] });
  }

  /** After OutboxMetrics.sample (it counts the outbox's leases in the same query). */
  async sample(): Promise<void> {
    const timers = await this.timers.leasesHeld(this.clock.now(), nodeLeasePrefix());
    this.last = [{ kind: 'outbox', held: this.outboxLeases() }, ...timers.map((t) => ({ kind: `timers/${t.module}`, held: t.held }))];
    this.held.reset();
    for (const l of this.last) this.held.set({ kind: l.kind }, l.held);
  }

  publish(cloud: CloudSink): void {
    cloud.observe('LeasesHeld', {}, this.last.reduce((n, l) => n + l.held, 0), 'Count');
  }
}
