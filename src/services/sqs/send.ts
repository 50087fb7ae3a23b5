/** SendMessage and SendMessageBatch: validation, MD5s, delays, FIFO groups and deduplication. */
import { createHash, randomUUID } from 'node:crypto';
import { ServiceError } from '../../protocol/errors.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import { attr, numAttr, resolveQueue, type SqsDeps } from './deps.ts';
import { md5Hex, md5OfAttributes, type AttributeValue } from './md5.ts';
import { checkContents, checkMessageAttributes, encodeAttributes } from './message-attributes.ts';
import { invalidBatchValue, invalidParameterValue, missingParameter } from './names.ts';
import type { QueueRow } from './repo.ts';
import type { NewMessage, SendResult } from './store/types.ts';
import { checkBatchIds } from './batch.ts';

const DEDUP_WINDOW_MS = 5 * 60_000;
// AWS raised the message and batch limits from 256 KiB to 1 MiB (MaximumMessageSize now defaults to 1 MiB too).
const MAX_BATCH_BYTES = 1_048_576;

export interface SendEntry {
  MessageBody?: string;
  DelaySeconds?: number;
  MessageAttributes?: Record<string, AttributeValue>;
  MessageSystemAttributes?: Record<string, AttributeValue>;
  MessageDeduplicationId?: string;
  MessageGroupId?: string;
}

interface Prepared {
  msg: NewMessage;
  dedupKey?: string;
  dedupUntil?: number;
}

const senderId = (ctx: Ctx): string => (ctx.principalArn.endsWith(':root') || ctx.accessKeyId === '' ? ctx.account : ctx.accessKeyId);

/** Validates one entry against its queue and builds the row to store. Throws the entry's error. */
export function prepare(q: QueueRow, ctx: Ctx, e: SendEntry, now: number): Prepared {
  if (e.MessageBody === undefined || e.MessageBody === '') throw missingParameter('MessageBody');
  checkContents(e.MessageBody);
  const size = Buffer.byteLength(e.MessageBody) + checkMessageAttributes(e.MessageAttributes);
  checkMessageAttributes(e.MessageSystemAttributes, true);
  const max = numAttr(q, 'MaximumMessageSize');
  if (size > max) throw invalidParameterValue(`One or more parameters are invalid. Reason: Message must be shorter than ${max} bytes.`);
  if (e.DelaySeconds !== undefined && (e.DelaySeconds < 0 || e.DelaySeconds > 900)) {
    throw invalidBatchValue('DelaySeconds', e.DelaySeconds, 'DelaySeconds must be >= 0 and <= 900.');
  }
  const groupId = e.MessageGroupId;
  let dedupId = e.MessageDeduplicationId;
  if (q.fifo) {
    if (e.DelaySeconds !== undefined && e.DelaySeconds !== 0) {
      throw invalidBatchValue('DelaySeconds', e.DelaySeconds, 'The request include parameter that is not valid for this queue type.');
    }
    if (groupId === undefined) throw missingParameter('MessageGroupId');
    if (dedupId === undefined) {
      if (attr(q, 'ContentBasedDeduplication') !== 'true') {
        throw invalidParameterValue('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
      }
      dedupId = createHash('sha256').update(e.MessageBody, 'utf8').digest('hex');
    }
    checkFifoId('MessageGroupId', groupId);
    checkFifoId('MessageDeduplicationId', dedupId);
  } else if (dedupId !== undefined) {
    throw invalidBatchValue('MessageDeduplicationId', dedupId, 'The request includes a parameter that is not valid for this queue type.');
  } else if (groupId !== undefined) {
    checkFifoId('MessageGroupId', groupId);
  }
  const delay = e.DelaySeconds ?? numAttr(q, 'DelaySeconds');
  const msg: NewMessage = {
    message_id: randomUUID(),
    body: e.MessageBody,
    attributes: encodeAttributes(e.MessageAttributes),
    system_attributes: encodeAttributes(e.MessageSystemAttributes),
    md5_body: md5Hex(e.MessageBody),
    md5_attributes: md5OfAttributes(e.MessageAttributes) ?? null,
    md5_system: md5OfAttributes(e.MessageSystemAttributes) ?? null,
    sent_at: now,
    visible_at: now + delay * 1000,
    group_id: groupId ?? null,
    dedup_id: q.fifo ? dedupId! : null,
    sender_id: senderId(ctx),
    dlq_source_arn: null,
  };
  if (!q.fifo) return { msg };
  // Ids are printable ASCII without spaces: a space separates them (stored: no U+0000, which PostgreSQL refuses).
  const scope = attr(q, 'DeduplicationScope') === 'messageGroup' ? `${groupId} ` : '';
  return { msg, dedupKey: scope + dedupId, dedupUntil: now + DEDUP_WINDOW_MS };
}

function checkFifoId(name: string, v: string): void {
  if (!/^[\x21-\x7e]{1,128}$/.test(v)) {
    throw invalidBatchValue(name, v, `${name} can only include alphanumeric and punctuation characters. 1 to 128 in length.`);
  }
}

const sequenceNumber = (seq: number): string => String(seq).padStart(20, '0');

function resultOf(q: QueueRow, p: Prepared, r: SendResult) {
  return {
    MessageId: r.messageId,
    MD5OfMessageBody: p.msg.md5_body,
    ...(p.msg.md5_attributes ? { MD5OfMessageAttributes: p.msg.md5_attributes } : {}),
    ...(p.msg.md5_system ? { MD5OfMessageSystemAttributes: p.msg.md5_system } : {}),
    ...(q.fifo ? { SequenceNumber: sequenceNumber(r.seq) } : {}),
  };
}

/** Stores prepared messages; the queue may have been deleted meanwhile (QueueDoesNotExist). */
function store(deps: SqsDeps, q: QueueRow, ps: Prepared[], now: number): Promise<SendResult[]> {
  return deps.messages.send(q, ps, now);
}

export async function sendMessage(deps: SqsDeps, ctx: Ctx, input: CallInput<'sqs', 'SendMessage'>): Promise<CallOutput<'sqs', 'SendMessage'>> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl, 'SendMessage');
  const now = deps.clock.now();
  const p = prepare(q, ctx, input as SendEntry, now);
  const [r] = await store(deps, q, [p], now);
  if (!r!.duplicate) deps.waiters.wake(q.id);
  return resultOf(q, p, r!);
}

export async function sendMessageBatch(deps: SqsDeps, ctx: Ctx, input: CallInput<'sqs', 'SendMessageBatch'>): Promise<CallOutput<'sqs', 'SendMessageBatch'>> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl, 'SendMessageBatch');
  const entries = input.Entries ?? [];
  checkBatchIds(entries.map((e) => e.Id!));
  const total = entries.reduce((n, e) => n + Buffer.byteLength(e.MessageBody ?? '') + attributesBytes(e.MessageAttributes as Record<string, AttributeValue> | undefined), 0);
  if (total > MAX_BATCH_BYTES) {
    throw new ServiceError('BatchRequestTooLong', `Batch requests cannot be longer than ${MAX_BATCH_BYTES} bytes. You have sent ${total} bytes.`);
  }
  const now = deps.clock.now();
  const ok: { id: string; p: Prepared }[] = [];
  const Failed: NonNullable<CallOutput<'sqs', 'SendMessageBatch'>['Failed']> = [];
  for (const e of entries) {
    try {
      ok.push({ id: e.Id!, p: prepare(q, ctx, e as SendEntry, now) });
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err;
      Failed.push({ Id: e.Id!, SenderFault: true, Code: err.code, Message: err.message });
    }
  }
  const results = ok.length > 0 ? await store(deps, q, ok.map((o) => o.p), now) : [];
  if (results.some((r) => !r.duplicate)) deps.waiters.wake(q.id);
  return { Successful: ok.map((o, i) => ({ Id: o.id, ...resultOf(q, o.p, results[i]!) })), Failed };
}

function attributesBytes(attrs: Record<string, AttributeValue> | undefined): number {
  let n = 0;
  for (const [k, v] of Object.entries(attrs ?? {})) {
    n += Buffer.byteLength(k) + Buffer.byteLength(v.DataType) + (v.StringValue !== undefined ? Buffer.byteLength(v.StringValue) : (v.BinaryValue?.length ?? 0));
  }
  return n;
}
