/**
 * What a finished run tells the rest of Osprey, as AWS's Synthetics does: metrics in
 * `CloudWatchSynthetics` (CloudWatch user guide, "CloudWatch metrics published by canaries"), the
 * run log in the canary's log group `/aws/lambda/cwsyn-<name>-<id>`, and an event on the default bus
 * ("Synthetics Canary TestRun Successful" / "… Failure", source aws.synthetics). Metrics and logs go
 * through internal calls like any client's; a failure is logged and never changes the run's record.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import type { Logger } from '../../../lib/logger.ts';
import type { Env } from '../../../server/module.ts';
import type { AwsEvent } from '../../../server/facts.ts';
import type { Scope } from '../../../lib/arn.ts';
import { isServiceError } from '../../../protocol/errors.ts';
import { logGroupName } from '../names.ts';
import type { CanaryResult } from '../runtime/job.ts';
import type { CanaryRecord, RunRecord } from '../types.ts';

export const NAMESPACE = 'CloudWatchSynthetics';
const PRINCIPAL = 'arn:aws:iam::aws:role/synthetics';

export type PublishEnv = Pick<Env, 'call' | 'serviceCtx' | 'bus'> & { log: Logger };

/**
 * The run's metrics, as the script's configuration left them switched on (`metricOptions`; AWS's
 * defaults when the run died before reporting them): per canary (dimension CanaryName), the
 * "aggregated" ones without dimensions, per step (CanaryName + StepName).
 */
export function runMetrics(c: CanaryRecord, run: RunRecord, result: CanaryResult | undefined): MetricDatum[] {
  const at = new Date(run.started);
  const dims = [{ Name: 'CanaryName', Value: c.name }];
  const on = (key: string, dflt = true) => result?.metricOptions?.[key] ?? dflt;
  const passed = run.state === 'PASSED';
  const datum = (MetricName: string, Value: number, Unit: MetricDatum['Unit'], Dimensions: MetricDatum['Dimensions'] = dims): MetricDatum => ({ MetricName, Value, Unit, Timestamp: at, Dimensions });
  const out = [
    datum('SuccessPercent', passed ? 100 : 0, 'Percent'),
    datum('Duration', (run.completed ?? run.started) - run.started, 'Milliseconds'),
  ];
  if (on('failedCanaryMetric')) out.push(datum('Failed', passed ? 0 : 1, 'Count'));
  if (on('aggregatedFailedCanaryMetric')) out.push(datum('Failed', passed ? 0 : 1, 'Count', []));
  if (!result) return out;
  const r = result.requests;
  const counts: [string, string, number][] = [['Failed requests', 'FailedRequests', r.failed], ['2xx', '2xx', r['2xx']], ['4xx', '4xx', r['4xx']], ['5xx', '5xx', r['5xx']]];
  for (const [name, key, value] of counts) {
    if (on(key === 'FailedRequests' ? 'failedRequestsMetric' : `_${key}Metric`)) out.push(datum(name, value, 'Count'));
    if (on(`aggregated${key}Metric`)) out.push(datum(name, value, 'Count', []));
  }
  for (const st of result.steps) {
    const stepDims = [...dims, { Name: 'StepName', Value: st.stepName }];
    if (on('stepSuccessMetric')) out.push(datum('SuccessPercent', st.status === 'PASSED' ? 100 : 0, 'Percent', stepDims));
    if (on('stepDurationMetric')) out.push(datum('Duration', Date.parse(st.endTime) - Date.parse(st.startTime), 'Milliseconds', stepDims));
  }
  const v = result.visual;
  if (v && v.compared > 0) {
    if (on('visualMonitoringSuccessPercentMetric')) out.push(datum('VisualMonitoringSuccessPercent', (100 * (v.compared - v.failed)) / v.compared, 'Percent'));
    if (on('visualMonitoringTotalComparisonsMetric', false)) out.push(datum('VisualMonitoringTotalComparisons', v.compared, 'Count'));
  }
  return out;
}

async function putMetrics(env: PublishEnv, s: Scope, data: MetricDatum[]): Promise<void> {
  const ctx = env.serviceCtx({ ...s, principalArn: PRINCIPAL });
  for (let i = 0; i < data.length; i += 1000) {
    await env.call('cloudwatch', 'PutMetricData', ctx, { Namespace: NAMESPACE, MetricData: data.slice(i, i + 1000) });
  }
}

/** The run log's lines as log events: a line that starts with an ISO timestamp keeps it. */
export function logEvents(text: string, fallback: number): { timestamp: number; message: string }[] {
  let last = fallback;
  const out: { timestamp: number; message: string }[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const t = Date.parse(line.slice(0, 24));
    if (Number.isFinite(t)) last = t;
    out.push({ timestamp: last, message: line.length > 200_000 ? line.slice(0, 200_000) : line });
  }
  return out;
}

async function putLog(env: PublishEnv, s: Scope, c: CanaryRecord, run: RunRecord, text: string): Promise<void> {
  const ctx = env.serviceCtx({ ...s, principalArn: PRINCIPAL });
  const group = logGroupName(c.name, c.id);
  const d = new Date(run.started).toISOString();
  const stream = `${d.slice(0, 4)}/${d.slice(5, 7)}/${d.slice(8, 10)}/[$LATEST]${run.id.replace(/-/g, '')}`;
  const ignoreExists = (e: unknown) => { if (!(isServiceError(e) && e.code === 'ResourceAlreadyExistsException')) throw e; };
  await env.call('logs', 'CreateLogGroup', ctx, { logGroupName: group }).catch(ignoreExists);
  await env.call('logs', 'CreateLogStream', ctx, { logGroupName: group, logStreamName: stream }).catch(ignoreExists);
  const events = logEvents(text, run.started).sort((a, b) => a.timestamp - b.timestamp);
  // PutLogEvents: at most 10,000 events and ~1 MB per call.
  let batch: typeof events = [];
  let bytes = 0;
  for (const e of events) {
    const size = Buffer.byteLength(e.message) + 26;
    if (batch.length === 10_000 || bytes + size > 1_000_000) {
      await env.call('logs', 'PutLogEvents', ctx, { logGroupName: group, logStreamName: stream, logEvents: batch });
      batch = [];
      bytes = 0;
    }
    batch.push(e);
    bytes += size;
  }
  if (batch.length) await env.call('logs', 'PutLogEvents', ctx, { logGroupName: group, logStreamName: stream, logEvents: batch });
}

export function runEvent(s: Scope, c: CanaryRecord, run: RunRecord, now: number): AwsEvent {
  const passed = run.state === 'PASSED';
  return {
    version: '0', id: randomUUID(), 'detail-type': passed ? 'Synthetics Canary TestRun Successful' : 'Synthetics Canary TestRun Failure',
    source: 'aws.synthetics', account: s.account, time: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'), region: s.region, resources: [],
    detail: {
      'account-id': s.account, 'canary-id': c.id, 'canary-name': c.name, 'canary-run-id': run.id,
      'artifact-location': run.artifactLocation.replace(/^s3:\/\//, ''), 'test-run-status': run.state, 'state-reason': run.stateReason ?? 'null',
      'canary-run-timeline': { started: Math.floor(run.started / 1000), completed: Math.floor((run.completed ?? run.started) / 1000) },
      message: 'Test run result is generated successfully',
    },
  };
}

export function statusEvent(s: Scope, c: { name: string; id: string }, previous: string, current: string, now: number): AwsEvent {
  return {
    version: '0', id: randomUUID(), 'detail-type': 'Synthetics Canary Status Change', source: 'aws.synthetics', account: s.account,
    time: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'), region: s.region, resources: [],
    detail: {
      'account-id': s.account, 'canary-id': c.id, 'canary-name': c.name, 'current-state': current, 'previous-state': previous,
      'source-location': 'NULL', 'updated-on': now / 1000, message: 'Canary status has changed',
    },
  };
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/**
 * ActiveTracing: the run as an X-Ray trace — a segment for the run (origin AWS::Synthetics::Canary)
 * with a subsegment per step, failed steps marked as errors. Requests the page makes are not
 * traced (their trace headers would need the page's requests to be intercepted).
 */
export function runSegment(c: CanaryRecord, run: RunRecord, result: CanaryResult | undefined): Record<string, unknown> {
  const secs = (ms: number) => ms / 1000;
  return {
    name: c.name, id: hex(8), trace_id: `1-${Math.floor(run.started / 1000).toString(16).padStart(8, '0')}-${hex(12)}`,
    start_time: secs(run.started), end_time: secs(run.completed ?? run.started), origin: 'AWS::Synthetics::Canary',
    error: run.state === 'FAILED' && run.stateReasonCode === 'CANARY_FAILURE', fault: run.stateReasonCode === 'EXECUTION_FAILURE',
    annotations: { canary_name: c.name, canary_run_id: run.id, runtime_version: c.config.runtimeVersion },
    subsegments: (result?.steps ?? []).map((st) => ({
      id: hex(8), name: st.stepName, start_time: secs(Date.parse(st.startTime)), end_time: secs(Date.parse(st.endTime)), error: st.status === 'FAILED',
      ...(st.failureReason ? { metadata: { default: { failureReason: st.failureReason } } } : {}),
    })),
  };
}

async function putTrace(env: PublishEnv, s: Scope, c: CanaryRecord, run: RunRecord, result: CanaryResult | undefined): Promise<void> {
  const ctx = env.serviceCtx({ ...s, principalArn: PRINCIPAL });
  const out = await env.call('xray', 'PutTraceSegments', ctx, { TraceSegmentDocuments: [JSON.stringify(runSegment(c, run, result))] });
  if (out.UnprocessedTraceSegments?.length) throw new Error(`X-Ray refused the run's segment: ${out.UnprocessedTraceSegments[0]?.Message}`);
}

export async function publishRun(env: PublishEnv, s: Scope, c: CanaryRecord, run: RunRecord, result: CanaryResult | undefined, logText: string, now: number): Promise<void> {
  const tries: [string, () => Promise<void>][] = [
    ['metrics', () => putMetrics(env, s, runMetrics(c, run, result))],
    ['log', () => putLog(env, s, c, run, logText)],
  ];
  if (c.config.runConfig.activeTracing) tries.push(['trace', () => putTrace(env, s, c, run, result)]);
  for (const [what, fn] of tries) {
    try {
      await fn();
    } catch (err) {
      env.log.warn({ err, canary: c.name, run: run.id }, `synthetics: could not publish the run's ${what}`);
    }
  }
  env.bus.publish({ kind: 'service.event', event: runEvent(s, c, run, now) });
}
