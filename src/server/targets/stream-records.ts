/**
 * Records for a Kinesis stream or Firehose delivery stream ARN, from any service that delivers to
 * one (Logs subscription filters, CloudWatch metric streams, EventBridge and Scheduler targets).
 * An ARN the operator mapped in `streams` goes to that external sink (firehose-sink.ts); any other
 * goes to Osprey's own Kinesis / Firehose through internal calls (PutRecords / PutRecordBatch),
 * as the stream owner's account with the delivering service's principal — what AWS does with the
 * role the user configured.
 */
import { parseArn } from '../../lib/arn.ts';
import { ServiceError } from '../../protocol/errors.ts';
import type { Ctx } from '../../protocol/service.ts';
import type { Env } from '../module.ts';
import { deliverToSink, type SinkDelivery, type SinkOutcome, type StreamSink } from './firehose-sink.ts';

export interface StreamRecord<K> {
  /** What the caller settles with the record's outcome (e.g. outbox row ids). */
  key: K;
  data: Buffer;
  /** Kinesis only: the record's partition key (1–256 characters). */
  partitionKey: string;
}

/** The service delivering, and the resource it acts for (queue/stream policies see these). */
export interface StreamInvoker {
  service: string;
  sourceArn: string;
  sourceAccount: string;
}

export interface StreamCalls {
  call: Env['call'];
  serviceCtx: Env['serviceCtx'];
}

type StreamKind = 'kinesis' | 'firehose';
interface StreamArn { kind: StreamKind; account: string; region: string; name: string }

export function parseStreamArn(arn: string): StreamArn | undefined {
  const a = parseArn(arn);
  if (!a || !/^\d{12}$/.test(a.account) || !a.region) return undefined;
  let m: RegExpExecArray | null;
  if (a.service === 'kinesis' && (m = /^stream\/([A-Za-z0-9_.-]{1,128})$/.exec(a.resource))) return { kind: 'kinesis', account: a.account, region: a.region, name: m[1]! };
  if (a.service === 'firehose' && (m = /^deliverystream\/([A-Za-z0-9_.-]{1,64})$/.exec(a.resource))) return { kind: 'firehose', account: a.account, region: a.region, name: m[1]! };
  return undefined;
}

// PutRecords takes 500 records / 5 MiB, PutRecordBatch 500 records / 4 MiB.
const LIMITS: Record<StreamKind, { records: number; bytes: number }> = {
  kinesis: { records: 500, bytes: 5 * 1024 * 1024 },
  firehose: { records: 500, bytes: 4 * 1024 * 1024 },
};

function ownerCtx(deps: StreamCalls, s: StreamArn, by: StreamInvoker): Ctx {
  return { ...deps.serviceCtx({ account: s.account, region: s.region, principalArn: by.service }), invokedBy: by };
}

/**
 * Sends the records: to `sink` when the ARN is mapped to one, else to Osprey's own stream.
 * `settle` receives every record's outcome exactly once.
 */
export async function deliverStreamRecords<K>(
  deps: StreamCalls & SinkDelivery, sink: StreamSink | undefined, arn: string, records: StreamRecord<K>[], by: StreamInvoker,
  settle: (keys: K[], o: SinkOutcome) => void,
): Promise<void> {
  if (sink) {
    await deliverToSink(deps, sink, arn, records.map((r) => ({ key: r.key, data: r.data.toString('base64') })), settle);
    return;
  }
  const s = parseStreamArn(arn);
  if (!s) {
    settle(records.map((r) => r.key), { ok: false, permanent: true, error: `${arn} is not a Kinesis stream or Firehose delivery stream ARN` });
    return;
  }
  const ctx = ownerCtx(deps, s, by);
  for (const chunk of chunks(records, LIMITS[s.kind])) {
    try {
      const failed = s.kind === 'kinesis' ? await putKinesis(deps, ctx, arn, chunk) : await putFirehose(deps, ctx, arn, chunk);
      const ok = chunk.filter((_, i) => !failed.has(i));
      if (ok.length > 0) settle(ok.map((r) => r.key), { ok: true });
      for (const [i, error] of failed) settle([chunk[i]!.key], { ok: false, permanent: false, error });
    } catch (e) {
      settle(chunk.map((r) => r.key), outcomeOf(e, arn));
    }
  }
}

/** Per-record failures by index in the chunk. */
async function putKinesis<K>(deps: StreamCalls, ctx: Ctx, arn: string, chunk: StreamRecord<K>[]): Promise<Map<number, string>> {
  const out = await deps.call('kinesis', 'PutRecords', ctx, {
    StreamARN: arn, Records: chunk.map((r) => ({ Data: r.data, PartitionKey: r.partitionKey })),
  });
  return failures(out.Records ?? [], chunk.length);
}

async function putFirehose<K>(deps: StreamCalls, ctx: Ctx, arn: string, chunk: StreamRecord<K>[]): Promise<Map<number, string>> {
  const s = parseStreamArn(arn)!;
  const out = await deps.call('firehose', 'PutRecordBatch', ctx, {
    DeliveryStreamName: s.name, Records: chunk.map((r) => ({ Data: r.data })),
  });
  return failures(out.RequestResponses ?? [], chunk.length);
}

function failures(results: { ErrorCode?: string; ErrorMessage?: string }[], n: number): Map<number, string> {
  const failed = new Map<number, string>();
  for (let i = 0; i < n; i++) {
    const r = results[i];
    if (r === undefined) failed.set(i, 'no result for the record');
    else if (r.ErrorCode) failed.set(i, `${r.ErrorCode}: ${r.ErrorMessage ?? ''}`);
  }
  return failed;
}

/** A missing stream or a refused request is permanent (retried a few times by the worker); throttling and 5xx are not. */
function outcomeOf(e: unknown, arn: string): SinkOutcome {
  if (!(e instanceof ServiceError)) return { ok: false, permanent: false, error: `${arn}: ${(e as Error).message}` };
  const retryable = e.status >= 500 || /Throttl|LimitExceeded|ProvisionedThroughputExceeded|ServiceUnavailable/.test(e.code);
  return { ok: false, permanent: !retryable, error: `${arn}: ${e.code}: ${e.message}` };
}

function* chunks<K>(records: StreamRecord<K>[], limit: { records: number; bytes: number }): Generator<StreamRecord<K>[]> {
  let cur: StreamRecord<K>[] = [];
  let bytes = 0;
  for (const r of records) {
    const size = r.data.byteLength + Buffer.byteLength(r.partitionKey);
    if (cur.length > 0 && (cur.length >= limit.records || bytes + size > limit.bytes)) {
      yield cur;
      cur = [];
      bytes = 0;
    }
    cur.push(r);
    bytes += size;
  }
  if (cur.length > 0) yield cur;
}

/**
 * Whether Osprey's own stream named by `arn` exists, for the checks AWS makes when a subscription
 * filter, destination or metric stream names one. Undefined when the ARN is no stream ARN.
 */
export async function nativeStreamExists(deps: StreamCalls, arn: string, service: string): Promise<boolean | undefined> {
  const s = parseStreamArn(arn);
  if (!s) return undefined;
  const ctx = deps.serviceCtx({ account: s.account, region: s.region, principalArn: service });
  try {
    if (s.kind === 'kinesis') await deps.call('kinesis', 'DescribeStreamSummary', ctx, { StreamARN: arn });
    else await deps.call('firehose', 'DescribeDeliveryStream', ctx, { DeliveryStreamName: s.name });
    return true;
  } catch (e) {
    if (e instanceof ServiceError && /NotFound|NotImplemented/.test(e.code)) return false;
    throw e;
  }
}
