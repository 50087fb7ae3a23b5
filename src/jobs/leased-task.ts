/**
 * A periodic job that runs on one node of a cluster at a time: each pass first takes or renews a
 * named lease (store/meta/leases.ts) and runs only while this node holds it. Passes come at least
 * three times per lease period, so the holder renews long before expiry, and a dead holder's work
 * is taken over within one lease period. On a single node the lease is always this node's.
 */
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { LeaseStore } from '../store/meta/leases.ts';
import { PeriodicTask } from './periodic-task.ts';

export interface LeasedTaskOptions {
  /** The lease's name, one per kind of work: `cloudwatch.alarms`. */
  name: string;
  /** This node's id (env.nodeId). */
  owner: string;
  leases: LeaseStore;
  clock: Clock;
  log: Logger;
  intervalMs: number;
  /** How long a lease lasts without renewal: how long a dead node's work waits for a new holder. */
  leaseMs: number;
  /** One pass, with the fencing token of the lease it runs under. */
  task: (token: number) => Promise<void>;
  /**
   * This node no longer holds the lease it held: another node took it (this one could not renew in
   * time), or the task is stopping (called before the lease is released). For work that runs
   * between passes (a scheduler started by `task`), so that it stops where it is no longer leased.
   */
  lost?: () => Promise<void>;
}

/** What a module's Env offers for leases (structural: jobs/ does not depend on the server). */
export interface LeaseEnv {
  nodeId: string;
  leases: LeaseStore;
  clock: Clock;
  log: Logger;
  config: { leaseMs: number };
}

export type LeaseOf = Pick<LeasedTaskOptions, 'name' | 'owner' | 'leases' | 'clock' | 'log' | 'leaseMs'>;

/** The lease `name`, taken by this node, with the configured lease period. */
export function leaseOf(env: LeaseEnv, name: string): LeaseOf {
  return { name, owner: env.nodeId, leases: env.leases, clock: env.clock, log: env.log, leaseMs: env.config.leaseMs };
}

export class LeasedTask {
  private readonly periodic: PeriodicTask;
  private token: number | undefined;
  /** When this node last took or renewed the lease (its clock). */
  private renewedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly opts: LeasedTaskOptions) {
    if (opts.intervalMs * 3 > opts.leaseMs) throw new Error(`${opts.name}: the interval must be at most a third of the lease`);
    this.periodic = new PeriodicTask(opts.name, opts.intervalMs, () => this.pass(), opts.log);
  }

  /** Whether this node held the lease at its last pass. */
  get held(): boolean {
    return this.token !== undefined;
  }

  start(): void {
    this.periodic.start();
  }

  /** Runs a pass now (when the lease is this node's); resolves when it ends. */
  runNow(): Promise<void> {
    return this.periodic.runNow();
  }

  kick(): void {
    this.periodic.kick();
  }

  async stop(): Promise<void> {
    await this.periodic.stop();
    if (this.token !== undefined) {
      await this.opts.lost?.();
      await this.opts.leases.release(this.opts.name, this.opts.owner).catch(() => {});
    }
    this.token = undefined;
  }

  private async pass(): Promise<void> {
    const { name, owner, leases, clock, leaseMs, log } = this.opts;
    const now = clock.now();
    // A holder renews at most three times per lease period: a job that passes more often (the
    // health checks, every 200 ms in tests) runs on the lease it renewed less than a third ago —
    // without a write to the store on every pass (on SQLite a write waits out a locked store).
    if (this.token !== undefined && now - this.renewedAt < leaseMs / 3) return this.opts.task(this.token);
    const token = await leases.acquire(name, owner, now, leaseMs);
    this.renewedAt = now;
    if (token !== this.token) log.info({ lease: name, owner, token: token ?? null }, token === undefined ? 'lease held by another node' : 'lease taken');
    const had = this.token !== undefined;
    this.token = token;
    if (token !== undefined) await this.opts.task(token);
    else if (had) await this.opts.lost?.();
  }
}
