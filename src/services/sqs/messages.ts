/** DeleteMessage(Batch) and ChangeMessageVisibility(Batch): receipt-handle semantics as AWS documents them. */
import { ServiceError } from '../../protocol/errors.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import { checkBatchIds } from './batch.ts';
import { resolveQueue, type SqsDeps } from './deps.ts';
import { decodeReceipt, invalidBatchValue } from './names.ts';
import type { QueueRow } from './repo.ts';
import type { Receipt } from './store/types.ts';

function receiptFor(q: QueueRow, handle: string) {
  const r = decodeReceipt(handle);
  if (r.queueId !== q.id) throw new ServiceError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`);
  return r;
}

async function changeOne(deps: SqsDeps, q: QueueRow, handle: string, timeout: number): Promise<void> {
  if (timeout < 0 || timeout > 43200) throw invalidBatchValue('VisibilityTimeout', timeout, 'VisibilityTimeout must be an integer between 0 and 43200');
  const r = receiptFor(q, handle);
  const now = deps.clock.now();
  const outcome = await deps.messages.changeVisibility(q.id, r, now + timeout * 1000, now);
  if (outcome === 'unknown') {
    throw invalidBatchValue('ReceiptHandle', handle, 'Message does not exist or is not available for visibility timeout change.');
  }
  if (outcome === 'not-in-flight') throw new ServiceError('MessageNotInflight', 'The message referred to is not in flight.');
  if (timeout === 0) deps.waiters.wake(q.id);
}

/** A stale handle (the message was received again since) deletes nothing but succeeds, as AWS documents. */
export async function deleteMessage(deps: SqsDeps, ctx: Ctx, input: CallInput<'sqs', 'DeleteMessage'>): Promise<CallOutput<'sqs', 'DeleteMessage'>> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl, 'DeleteMessage');
  await deps.messages.deleteMessages(q.id, [receiptFor(q, input.ReceiptHandle!)]);
  return {};
}

export async function changeMessageVisibility(
  deps: SqsDeps, ctx: Ctx, input: CallInput<'sqs', 'ChangeMessageVisibility'>,
): Promise<CallOutput<'sqs', 'ChangeMessageVisibility'>> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl, 'ChangeMessageVisibility');
  await changeOne(deps, q, input.ReceiptHandle!, input.VisibilityTimeout!);
  return {};
}

type Failed = { Id: string; SenderFault: boolean; Code: string; Message: string };

async function eachEntry<E extends { Id?: string }>(entries: E[], run: (e: E) => Promise<void>): Promise<{ Successful: { Id: string }[]; Failed: Failed[] }> {
  checkBatchIds(entries.map((e) => e.Id!));
  const Successful: { Id: string }[] = [];
  const Failed: Failed[] = [];
  for (const e of entries) {
    try {
      await run(e);
      Successful.push({ Id: e.Id! });
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err;
      Failed.push({ Id: e.Id!, SenderFault: err.sender, Code: err.code, Message: err.message });
    }
  }
  return { Successful, Failed };
}

export async function deleteMessageBatch(
  deps: SqsDeps, ctx: Ctx, input: CallInput<'sqs', 'DeleteMessageBatch'>,
): Promise<CallOutput<'sqs', 'DeleteMessageBatch'>> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl, 'DeleteMessageBatch');
  // One store write for the batch (per-entry writes were the largest cost of the end-to-end benchmark).
  const receipts: Receipt[] = [];
  const out = await eachEntry(input.Entries ?? [], async (e) => void receipts.push(receiptFor(q, e.ReceiptHandle!)));
  await deps.messages.deleteMessages(q.id, receipts);
  return out;
}

export async function changeMessageVisibilityBatch(
  deps: SqsDeps, ctx: Ctx, input: CallInput<'sqs', 'ChangeMessageVisibilityBatch'>,
): Promise<CallOutput<'sqs', 'ChangeMessageVisibilityBatch'>> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl, 'ChangeMessageVisibilityBatch');
  return eachEntry(input.Entries ?? [], (e) => changeOne(deps, q, e.ReceiptHandle!, e.VisibilityTimeout ?? 0));
}
