import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Registry } from 'prom-client';
import type { AuditRecord } from '../../protocol/audit.ts';
import { OutboxStore } from '../../store/meta/outbox.ts';
import { openTestMetaDb } from '../../store/meta/test-support.ts';
import { ApiCallMetrics, outcomeOf, twoDigits } from './api-calls.ts';
import type { CloudSink, CloudUnit } from './cloud-sink.ts';
import { TimerStore } from '../../store/meta/timers.ts';
import { reportJobRun } from '../../lib/job-runs.ts';
import { JobMetrics } from './jobs.ts';
import { LeaseMetrics, nodeLeasePrefix } from './leases.ts';
import { OutboxMetrics } from './outbox.ts';

interface Seen { metric: string; dims: Record<string, string>; value: number; unit: CloudUnit; n: number }

function recordingSink(): CloudSink & { seen: Seen[]; sum(metric: string, dims?: Record<string, string>): number } {
  const seen: Seen[] = [];
  return {
    seen,
    observe: (metric, dims, value, unit, n = 1) => void seen.push({ metric, dims, value, unit, n }),
    sum: (metric, dims = {}) => seen
      .filter((s) => s.metric === metric && JSON.stringify(s.dims) === JSON.stringify(dims))
      .reduce((t, s) => t + s.value * s.n, 0),
  };
}

const call = (operation: string, status: number, durationMs: number, errorCode?: string) =>
  ({ service: 'logs', operation, status, durationMs, ...(errorCode ? { errorCode } : {}) }) as AuditRecord;

test('twoDigits: whole ms below 100, two significant digits above', () => {
  assert.deepEqual([0.4, 7.6, 99.4, 123, 1234.5, 98_765].map(twoDigits), [0, 8, 99, 120, 1200, 99_000]);
});

test('outcomeOf: 2xx/3xx ok, 4xx client_error, 5xx server_error', () => {
  assert.deepEqual([200, 302, 400, 404, 500, 503].map(outcomeOf), ['ok', 'ok', 'client_error', 'client_error', 'server_error', 'server_error']);
});

test('API calls: Prometheus counts per operation and error code; CloudWatch gets per-operation and overall sums once', async () => {
  const registry = new Registry();
  const api = new ApiCallMetrics(registry);
  api.record(call('CreateLogGroup', 200, 3));
  api.record(call('CreateLogGroup', 400, 1, 'ResourceAlreadyExistsException'));
  api.record(call('PutLogEvents', 500, 7, 'ServiceUnavailableException'));
  const text = await registry.metrics();
  assert.match(text, /osprey_api_requests_total\{service="logs",operation="CreateLogGroup",outcome="client_error",error_code="ResourceAlreadyExistsException"\} 1/);
  assert.match(text, /osprey_api_request_duration_seconds_count\{service="logs",operation="PutLogEvents",outcome="server_error"\} 1/);

  const cloud = recordingSink();
  api.publish(cloud);
  assert.equal(cloud.sum('ApiRequests'), 3);
  assert.equal(cloud.sum('ApiRequests', { Service: 'logs', Operation: 'CreateLogGroup' }), 2);
  assert.equal(cloud.sum('ApiErrors'), 2);
  assert.equal(cloud.sum('ApiServerErrors'), 1);
  assert.equal(cloud.sum('ApiLatency'), 11, 'latency observations carry every call (3 + 1 + 7 ms)');
  const again = recordingSink();
  api.publish(again);
  assert.equal(again.seen.length, 0, 'each call is published once');
});

test('outbox: depth and oldest age per topic and overall; zeros when empty so an alarm sees data', async () => {
  let now = 10_000;
  const outbox = new OutboxStore(await openTestMetaDb());
  const metrics = new OutboxMetrics(new Registry(), recordingSink(), outbox, { now: () => now });
  await metrics.sample();
  let cloud = recordingSink();
  metrics.publish(cloud);
  assert.deepEqual(cloud.seen.filter((s) => s.metric.startsWith('Outbox')).map((s) => [s.metric, s.value]), [
    ['OutboxDepth', 0], ['OutboxOldestAgeSeconds', 0], ['OutboxDeadLetters', 0],
  ]);

  await outbox.enqueue([{ topic: 'sns', target: 'a', payload: '{}' }, { topic: 'logs.subscription', target: 'b', payload: '{}' }], 4_000);
  await outbox.enqueue([{ topic: 'sns', target: 'c', payload: '{}' }], 9_000);
  now = 12_000;
  await metrics.sample();
  cloud = recordingSink();
  metrics.publish(cloud);
  assert.equal(cloud.sum('OutboxDepth'), 3);
  assert.equal(cloud.sum('OutboxOldestAgeSeconds'), 8);
  assert.equal(cloud.sum('OutboxDepth', { Topic: 'sns' }), 2);
  assert.equal(cloud.sum('OutboxOldestAgeSeconds', { Topic: 'sns' }), 8);
});

test("leases: this process's unexpired timer leases per module, plus the delivery worker's outbox rows", async () => {
  const timers = new TimerStore(await openTestMetaDb());
  for (const key of ['a', 'b', 'c']) await timers.upsert('events', { key, nextFireAt: 1000, spec: 'rate(1 minute)' });
  await timers.upsert('scheduler', { key: 'd', nextFireAt: 1000, spec: 'x' });
  await timers.claimDue('events', { now: 2000, owner: `${nodeLeasePrefix()}runner`, leaseMs: 60_000, limit: 2 });
  await timers.claimDue('events', { now: 2000, owner: 'other-host:1:runner', leaseMs: 60_000, limit: 1 });
  await timers.claimDue('scheduler', { now: 2000, owner: `${nodeLeasePrefix()}runner`, leaseMs: 1000, limit: 1 });
  const registry = new Registry();
  const leases = new LeaseMetrics(registry, timers, () => 7, { now: () => 3500 });
  await leases.sample();
  const text = await registry.metrics();
  assert.match(text, /osprey_leases_held\{kind="timers\/events"\} 2/);
  assert.match(text, /osprey_leases_held\{kind="outbox"\} 7/);
  assert.doesNotMatch(text, /timers\/scheduler/, 'an expired lease is not held');
  const cloud = recordingSink();
  leases.publish(cloud);
  assert.equal(cloud.sum('LeasesHeld'), 9);
});

test('jobs: lag histogram, last run and failures per job from the job-run reports; unsubscribed on close', async () => {
  const registry = new Registry();
  const cloud = recordingSink();
  const jobs = new JobMetrics(registry, cloud);
  reportJobRun({ job: 'log-retention', lagSeconds: 0.002, durationSeconds: 0.1, ok: true, endedAt: 1_700_000_000_000 });
  reportJobRun({ job: 'log-retention', lagSeconds: 3, durationSeconds: 0.1, ok: false, endedAt: 1_700_000_060_000 });
  jobs.close();
  reportJobRun({ job: 'log-retention', lagSeconds: 99, durationSeconds: 0, ok: false, endedAt: 1_700_000_120_000 });
  const text = await registry.metrics();
  assert.match(text, /osprey_job_lag_seconds_count\{job="log-retention"\} 2/);
  assert.match(text, /osprey_job_last_run_timestamp_seconds\{job="log-retention"\} 1700000060/);
  assert.match(text, /osprey_job_failures_total\{job="log-retention"\} 1/);
  assert.equal(cloud.sum('JobLagSeconds', { Job: 'log-retention' }), 3.002);
});
