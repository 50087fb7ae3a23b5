/**
 * API calls, from the one place every wire call passes: the kernel's audit record (protocol engine
 * → AuditSink), success or error, with its duration. Labels are service, operation, outcome and
 * the AWS error code — never the account or any resource name, so /metrics leaks no tenant data.
 */
import type { Metric, Registry } from 'prom-client';
import type { AuditRecord } from '../../protocol/audit.ts';
import type { CloudSink } from './cloud-sink.ts';
import type { SelfMetricSource } from './source.ts';

export type Outcome = 'ok' | 'client_error' | 'server_error';

export const outcomeOf = (status: number): Outcome => (status >= 500 ? 'server_error' : status >= 400 ? 'client_error' : 'ok');

/** Seconds; from a fast in-memory call to a long poll. */
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

  /**
   * Counted here and handed to prom-client only when scraped (custom metrics below): its
   * inc/observe validate and hash a label object on every call, ~2 % of a busy server's thread.
   */
  private readonly requests = new Map<string, { labels: Record<string, string>; n: number }>();
  private readonly latency = new Map<string, { labels: Record<string, string>; buckets: number[]; sum: number; count: number }>();

  /** `tally`: false when nothing publishes to CloudWatch (the tallies would only grow). */
  constructor(registry: Registry, private readonly tally = true) {
    registry.registerMetric(this.requestsMetric() as unknown as Metric);
    registry.registerMetric(this.latencyMetric() as unknown as Metric);
  }

  record(r: AuditRecord): void {
    const outcome = outcomeOf(r.status);
    const code = r.errorCode ?? '';
    const op = `${r.service}\u0000${r.operation}\u0000${outcome}`;
    const withCode = code === '' ? op : `${op}\u0000${code}`;
    let c = this.requests.get(withCode);
    if (!c) this.requests.set(withCode, (c = { labels: { service: r.service, operation: r.operation, outcome, error_code: code }, n: 0 }));
    c.n++;
    let h = this.latency.get(op);
    if (!h) this.latency.set(op, (h = { labels: { service: r.service, operation: r.operation, outcome }, buckets: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 }));
    const seconds = r.durationMs / 1000;
    const i = LATENCY_BUCKETS.findIndex((le) => seconds <= le);
    if (i >= 0) h.buckets[i]!++;
    h.sum += seconds;
    h.count++;
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

  private requestsMetric() {
    return {
      name: 'osprey_api_requests_total', help: 'AWS API calls answered, by service, operation, outcome and AWS error code',
      type: 'counter', aggregator: 'sum',
      get: async () => ({
        name: 'osprey_api_requests_total', help: 'AWS API calls answered, by service, operation, outcome and AWS error code', type: 'counter', aggregator: 'sum',
        values: [...this.requests.values()].map((c) => ({ labels: c.labels, value: c.n })),
      }),
      reset: () => this.requests.clear(),
    };
  }

  /** A Prometheus histogram: cumulative buckets (`le`), `+Inf`, sum and count per series. */
  private latencyMetric() {
    const name = 'osprey_api_request_duration_seconds';
    const help = 'Time from request to answer of AWS API calls';
    return {
      name, help, type: 'histogram', aggregator: 'sum',
      get: async () => ({
        name, help, type: 'histogram', aggregator: 'sum',
        values: [...this.latency.values()].flatMap((h) => {
          let cumulative = 0;
          return [
            ...LATENCY_BUCKETS.map((le, i) => ({ metricName: `${name}_bucket`, labels: { ...h.labels, le }, value: (cumulative += h.buckets[i]!) })),
            { metricName: `${name}_bucket`, labels: { ...h.labels, le: '+Inf' }, value: h.count },
            { metricName: `${name}_sum`, labels: h.labels, value: h.sum },
            { metricName: `${name}_count`, labels: h.labels, value: h.count },
          ];
        }),
      }),
      reset: () => this.latency.clear(),
    };
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
