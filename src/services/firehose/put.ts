/**
 * PutRecord and PutRecordBatch. Records are committed to SQLite (group commit) before the answer,
 * so a 200 means they survive kill -9; the delivery engine takes them from there. A stream fed by
 * a Kinesis data stream refuses direct puts, as on AWS.
 */
import { randomBytes } from 'node:crypto';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import { resolveStream, type FirehoseDeps } from './deps.ts';
import { invalid } from './destination.ts';
import type { StreamRow } from './repo.ts';

/** PutRecordBatch's limit on the whole request's data (each record's 1,000 KiB is in the model). */
const MAX_BATCH_BYTES = 4 * 1024 * 1024;

/** Opaque and unique, like AWS's: the stored sequence number plus randomness. */
const recordId = (seq: number) => `${seq.toString(16).padStart(16, '0')}${randomBytes(40).toString('base64url')}`;

async function store(deps: FirehoseDeps, ctx: Ctx, s: StreamRow, data: Buffer[], op: 'PutRecord' | 'PutRecordBatch'): Promise<number[]> {
  const arrivedAt = ctx.clock.now();
  const seqs = await deps.commits.run((tx) => deps.repo.addRecords(s.id, arrivedAt, data, tx));
  deps.delivery.added(s, seqs.map((seq, i) => ({ seq, arrivedAt, data: data[i]! })));
  const bytes = data.reduce((n, d) => n + d.length, 0);
  const dims = { DeliveryStreamName: s.name };
  deps.metrics.observe(ctx, 'IncomingRecords', dims, data.length, 'Count');
  deps.metrics.observe(ctx, 'IncomingBytes', dims, bytes, 'Bytes');
  deps.metrics.observe(ctx, 'IncomingPutRequests', dims, 1, 'Count');
  deps.metrics.observe(ctx, `${op}.Requests`, dims, 1, 'Count');
  deps.metrics.observe(ctx, `${op}.Bytes`, dims, bytes, 'Bytes');
  if (op === 'PutRecordBatch') deps.metrics.observe(ctx, 'PutRecordBatch.Records', dims, data.length, 'Count');
  return seqs;
}

async function directPutStream(deps: FirehoseDeps, ctx: Ctx, name: string | undefined): Promise<StreamRow> {
  const s = await resolveStream(deps, ctx, name);
  if (s.type !== 'DirectPut') throw invalid(`This operation is not permitted on KinesisStreamAsSource delivery stream type.`);
  return s;
}

const asBuffer = (d: Uint8Array | undefined) => (d ? Buffer.from(d.buffer, d.byteOffset, d.byteLength) : Buffer.alloc(0));

export async function putRecord(deps: FirehoseDeps, ctx: Ctx, input: CallInput<'firehose', 'PutRecord'>): Promise<CallOutput<'firehose', 'PutRecord'>> {
  const s = await directPutStream(deps, ctx, input.DeliveryStreamName);
  const [seq] = await store(deps, ctx, s, [Buffer.from(asBuffer(input.Record?.Data))], 'PutRecord');
  return { RecordId: recordId(seq!), Encrypted: s.encryption?.Status === 'ENABLED' };
}

export async function putRecordBatch(deps: FirehoseDeps, ctx: Ctx, input: CallInput<'firehose', 'PutRecordBatch'>): Promise<CallOutput<'firehose', 'PutRecordBatch'>> {
  const s = await directPutStream(deps, ctx, input.DeliveryStreamName);
  const data = (input.Records ?? []).map((r) => Buffer.from(asBuffer(r.Data)));
  const bytes = data.reduce((n, d) => n + d.length, 0);
  if (bytes > MAX_BATCH_BYTES) {
    throw invalid(`Records size exceeds ${MAX_BATCH_BYTES / 1024 / 1024} MB limit: the request's records hold ${bytes} bytes (PutRecordBatch accepts up to 4 MiB, 500 records, 1,000 KiB each).`);
  }
  const seqs = await store(deps, ctx, s, data, 'PutRecordBatch');
  return { FailedPutCount: 0, Encrypted: s.encryption?.Status === 'ENABLED', RequestResponses: seqs.map((seq) => ({ RecordId: recordId(seq) })) };
}
