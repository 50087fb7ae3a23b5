/**
 * API calls, from the one place every wire call passes: the kernel's audit record (protocol engine
 * → AuditSink), success or error, with its duration. Labels are service, operation, outcome and
 * the AWS error code — never the account or any resource name, so /metrics leaks no tenant data.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { AuditRecord } from '../../protocol/audit.ts';
import type { CloudSink } from './cloud-sink.ts';
import type { SelfMetricSource } from './source.ts';

export type Outcome = 'ok' | 'client_error' | 'server_error';

export const outcomeOf = (status: number): Outcome => (status >= 500 ? 'server_error' : status >= 400 ? 'client_error' : 'ok');

/** Seconds; from a fast in-memory call to a long poll. */
/** Label combinations whose prom-client children are kept (operations × outcomes × error codes). */
const MAX_SERIES = 10_000;

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** One operation's calls since the last publish. */
interface OpTally {
  service: string;
  operation: string;
  n: number;
  errors: number;
  serverErrors: number;
  /** Latency (ms, two significant digits) → calls: a few hundred distinct values at most. */
  latency: Map<number, number>;
}

/**
 * Calls are tallied per operation in memory and handed to CloudWatch at each publish (one map
 * lookup per call instead of several series updates), so they land in the minute they are published.
 */
export class ApiCallMetrics implements SelfMetricSource {
  private tallies = new Map<string, OpTally>();

  private readonly requests: Counter<'service' | 'operation' | 'outcome' | 'error_code'>;
  private readonly latency: Histogram<'service' | 'operation' | 'outcome'>;
  private readonly series = new Map<string, { requests: { inc(): void }; latency: { observe(v: number): void } }>();

  /** `tally`: false when nothing publishes to CloudWatch (the tallies would only grow). */
  constructor(registry: Registry, private readonly tally = true) {
    this.requests = new Counter({
      name: 'osprey_api_requests_total', help: 'AWS API calls answered, by service, operation, outcome and AWS error code',
      labelNames: ['service', 'operation', 'outcome', 'error_code'], registers: [registry],
    });
    this.latency = new Histogram({
      name: 'osprey_api_request_duration_seconds', help: 'Time from request to answer of AWS API calls',
      labelNames: ['service', 'operation', 'outcome'], buckets: LATENCY_BUCKETS, registers: [registry],
    });
  }

  record(r: AuditRecord): void {
    const outcome = outcomeOf(r.status);
    const labels = `${r.service}\u0000${r.operation}\u0000${outcome}\u0000${r.errorCode ?? ''}`;
    let series = this.series.get(labels);
    if (!series) {
      // prom-client hashes a label object on every inc/observe; its children are looked up once.
      series = {
        requests: this.requests.labels({ service: r.service, operation: r.operation, outcome, error_code: r.errorCode ?? '' }),
        latency: this.latency.labels({ service: r.service, operation: r.operation, outcome }),
      };
      if (this.series.size < MAX_SERIES) this.series.set(labels, series);
    }
    series.requests.inc();
    series.latency.observe(r.durationMs / 1000);
    if (!this.tally) return;
    const key = `${r.service}\u0000${r.operation}`;
    let t = this.tallies.get(key);
    if (!t) {
      t = { service: r.service, operation: r.operation, n: 0, errors: 0, serverErrors: 0, latency: new Map() };
      this.tallies.set(key, t);
    }
    t.n++;
    if (outcome !== 'ok') t.errors++;
    if (outcome === 'server_error') t.serverErrors++;
    const ms = twoDigits(r.durationMs);
    t.latency.set(ms, (t.latency.get(ms) ?? 0) + 1);
  }

  /** Per operation (Service, Operation) and across all of them (no dimensions). */
  publish(cloud: CloudSink): void {
    const tallies = this.tallies;
    this.tallies = new Map();
    for (const t of tallies.values()) {
      const series: Record<string, string>[] = [{ Service: t.service, Operation: t.operation }, {}];
      for (const dims of series) {
        cloud.observe('ApiRequests', dims, t.n, 'Count');
        cloud.observe('ApiErrors', dims, t.errors, 'Count');
        if (t.serverErrors > 0) cloud.observe('ApiServerErrors', dims, t.serverErrors, 'Count');
        for (const [ms, n] of t.latency) cloud.observe('ApiLatency', dims, ms, 'Milliseconds', n);
      }
    }
  }
}

/** Whole milliseconds below 100, two significant digits above (1234.5 → 1200): bounded tallies. */
export function twoDigits(ms: number): number {
  if (ms < 100) return Math.round(ms);
  const scale = 10 ** (Math.floor(Math.log10(ms)) - 1);
  return Math.round(ms / scale) * scale;
}
