import type { Clock } from '../../lib/clock.ts';
import type { Logger } from '../../lib/logger.ts';
import { PeriodicTask } from '../../jobs/periodic-task.ts';
import { telemetryTaskOf, type TelemetryTask, type TelemetryTaskEnv } from '../../jobs/telemetry-task.ts';
import type { LogsMetaRepo } from '../../store/meta/logs.ts';
import type { LogEventStore } from '../../store/telemetry/log-events.ts';

const DAY_MS = 86_400_000;

/**
 * Deletes events older than each group's retention period, then recounts the group's storedBytes.
 * Like CloudWatch, expiry is by event timestamp and happens in the background after the period
 * passes (here: within one interval), never touching newer events or groups without a policy.
 *
 * storedBytes is one count for the group's events on every node (ingest adds to it). Where this
 * node's store holds all of them (one node, or a shared ClickHouse server) the count is replaced by
 * a recount; where it holds only its own share (an embedded store per node) a recount would drop
 * the other nodes' bytes, so the bytes of the events it deletes are subtracted instead.
 */
export class RetentionJob {
  readonly task: TelemetryTask;

  /** With `cluster` (the module's Env), a shared telemetry store is swept by one node, under a lease. */
  constructor(
    private readonly meta: LogsMetaRepo,
    private readonly events: LogEventStore,
    private readonly clock: Clock,
    log: Logger,
    intervalMs: number,
    cluster?: TelemetryTaskEnv,
    private readonly holdsAllEvents = true,
  ) {
    this.task = cluster
      ? telemetryTaskOf(cluster, 'log-retention', intervalMs, () => this.runOnce())
      : new PeriodicTask('log-retention', intervalMs, () => this.runOnce(), log);
  }

  start(): void {
    this.task.start();
  }

  kick(): void {
    this.task.kick();
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  async runOnce(): Promise<void> {
    const now = this.clock.now();
    for (const g of await this.meta.groupsWithRetention()) {
      if (g.retentionDays === null) continue;
      const cutoff = now - g.retentionDays * DAY_MS;
      const key = { account: g.account, region: g.region, name: g.name };
      if (!this.holdsAllEvents) {
        await this.events.flush();
        const expiring = await this.events.storedBytesByStream(g.account, g.region, g.name, cutoff);
        if (await this.events.deleteBefore(g.account, g.region, g.name, cutoff)) await this.meta.subtractStoredBytes(key, expiring);
        continue;
      }
      const deleted = await this.events.deleteBefore(g.account, g.region, g.name, cutoff);
      if (!deleted) continue;
      const counted = await this.events.storedBytesByStream(g.account, g.region, g.name);
      const streams = await this.meta.listStreams({ account: g.account, region: g.region, logGroup: g.name, orderBy: 'LogStreamName', descending: false, offset: 0, limit: 1_000_000 });
      await this.meta.setStoredBytes(key, new Map(streams.map((s) => [s.name, counted.get(s.name) ?? 0])));
    }
  }
}
