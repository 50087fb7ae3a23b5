/**
 * Leases this process holds: outbox rows its delivery worker has claimed (counted in memory),
 * timer occurrences being fired, per module, and named leases of cluster-wide jobs (`jobs/<name>`). Schedule runners name their leases `host:pid:…`, so
 * counting timers by that prefix is "this node" even when several processes share the metadata store.
 */
import { processOwnerPrefix } from '../../lib/owner-id.ts';
import { Gauge, type Registry } from 'prom-client';
import type { Clock } from '../../lib/clock.ts';
import type { TimerRepo } from '../../store/meta/timers.ts';
import type { CloudSink } from './cloud-sink.ts';
import type { SelfMetricSource } from './source.ts';

/** The prefix of the lease owner ids this process's runners use (lib/owner-id.ts). */
export const nodeLeasePrefix = processOwnerPrefix;

export class LeaseMetrics implements SelfMetricSource {
  private readonly held: Gauge<'kind'>;
  private last: { kind: string; held: number }[] = [];

  constructor(
    registry: Registry,
    private readonly timers: TimerRepo,
    private readonly outboxLeases: () => number,
    private readonly clock: Clock,
    /** Named leases (store/meta/leases.ts) this node holds at `now`: work that runs on one node of a cluster. */
    private readonly named: (now: number) => Promise<string[]> = async () => [],
  ) {
    this.held = new Gauge({ name: 'osprey_leases_held', help: 'Leases held by this process: outbox rows, timers/<module>', labelNames: ['kind'], registers: [registry] });
  }

  async sample(): Promise<void> {
    const now = this.clock.now();
    const timers = await this.timers.leasesHeld(now, nodeLeasePrefix());
    const named = await this.named(now);
    this.last = [{ kind: 'outbox', held: this.outboxLeases() }, ...timers.map((t) => ({ kind: `timers/${t.module}`, held: t.held })),
      ...named.map((n) => ({ kind: `jobs/${n}`, held: 1 }))];
    this.held.reset();
    for (const l of this.last) this.held.set({ kind: l.kind }, l.held);
  }

  publish(cloud: CloudSink): void {
    cloud.observe('LeasesHeld', {}, this.last.reduce((n, l) => n + l.held, 0), 'Count');
  }
}
