/**
 * API calls, from the one place every wire call passes: the kernel's audit record (protocol engine
 * → AuditSink), success or error, with its duration. Labels are service, operation, outcome and
 * the AWS error code — never the account or any resource name, so /metrics leaks no tenant data.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { AuditRecord } from '../../protocol/audit.ts';
import type { CloudSink } from './cloud-sink.ts';

export type Outcome = 'ok' | 'client_error' | 'server_error';

export const outcomeOf = (status: number): Outcome => (status >= 500 ? 'server_error' : status >= 400 ? 'client_error' : 'ok');

/** Seconds; from a fast in-memory call to a long poll. */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class ApiCallMetrics {
  private readonly requests: Counter<'service' | 'operation' | 'outcome' | 'error_code'>;
  private readonly latency: Histogram<'service' | 'operation' | 'outcome'>;

  constructor(registry: Registry, private readonly cloud: CloudSink) {
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
    this.requests.inc({ service: r.service, operation: r.operation, outcome, error_code: r.errorCode ?? '' });
    this.latency.observe({ service: r.service, operation: r.operation, outcome }, r.durationMs / 1000);
    const cloud = this.cloud;
    const op = { Service: r.service, Operation: r.operation };
    for (const dims of [op, {}]) {
      cloud.observe('ApiRequests', dims, 1, 'Count');
      cloud.observe('ApiLatency', dims, r.durationMs, 'Milliseconds');
      if (outcome !== 'ok') cloud.observe('ApiErrors', dims, 1, 'Count');
      if (outcome === 'server_error') cloud.observe('ApiServerErrors', dims, 1, 'Count');
    }
  }
}
