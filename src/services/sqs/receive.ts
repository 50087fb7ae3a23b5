/** ReceiveMessage: short and long polling, visibility, system and message attributes, dead-letter moves. */
import { randomHex } from '../../lib/ids.ts';
import type { CallInput, CallOutput } from '../../protocol/operations.ts';
import type { Ctx } from '../../protocol/service.ts';
import { parseRedrivePolicy } from './attributes.ts';
import { arnOf, numAttr, resolveQueue, type SqsDeps } from './deps.ts';
import { decodeAttributes } from './message-attributes.ts';
import { encodeReceipt, invalidBatchValue, parseQueueArn } from './names.ts';
import type { QueueRow } from './repo.ts';
import type { MessageRow, ReceiveOptions } from './store/types.ts';

type Input = CallInput<'sqs', 'ReceiveMessage'>;
type Output = CallOutput<'sqs', 'ReceiveMessage'>;
type Message = NonNullable<Output['Messages']>[number];

const SYSTEM_NAMES = [
  'SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp',
  'SequenceNumber', 'MessageDeduplicationId', 'MessageGroupId', 'AWSTraceHeader', 'DeadLetterQueueSourceArn',
];

export async function receiveMessage(deps: SqsDeps, ctx: Ctx, input: Input): Promise<Output> {
  const q = await resolveQueue(deps, ctx, input.QueueUrl, 'ReceiveMessage');
  const max = input.MaxNumberOfMessages ?? 1;
  if (max < 1 || max > 10) throw invalidBatchValue('MaxNumberOfMessages', max, 'Must be between 1 and 10, if provided.');
  const wait = input.WaitTimeSeconds ?? numAttr(q, 'ReceiveMessageWaitTimeSeconds');
  if (wait < 0 || wait > 20) throw invalidBatchValue('WaitTimeSeconds', wait, 'Must be >= 0 and <= 20, if provided.');
  const vt = input.VisibilityTimeout ?? numAttr(q, 'VisibilityTimeout');
  if (vt < 0 || vt > 43200) throw invalidBatchValue('VisibilityTimeout', vt, 'Must be >= 0 and <= 43200, if provided.');
  const deadline = deps.clock.now() + wait * 1000;
  for (;;) {
    const current = deps.repo.cachedQueue(q.id) ?? (await deps.repo.queueById(q.id));
    if (!current) return {};
    const options = await receiveOptions(deps, current, max, vt);
    // A deleted queue receives nothing (the store checks again as it picks).
    const rows = await deps.messages.receive(q.id, options);
    if (rows.length > 0) return { Messages: rows.map((m) => toMessage(current, m, input)) };
    const now = deps.clock.now();
    if (now >= deadline) return {};
    const next = await deps.messages.nextVisibleAt(q.id, now);
    const sleep = Math.min(deadline, next ?? deadline) - now;
    if (!(await deps.waiters.wait(q.id, Math.max(1, sleep)))) return {};
  }
}

async function receiveOptions(deps: SqsDeps, q: QueueRow, max: number, vt: number): Promise<ReceiveOptions> {
  const now = deps.clock.now();
  // One token per receive: a handle also names its message (seq), so the messages of one receive
  // can share it; 8 random bytes per message showed in profiles.
  const o: ReceiveOptions = {
    now, max, fifo: q.fifo, visibleUntil: now + vt * 1000,
    sentAfter: now - numAttr(q, 'MessageRetentionPeriod') * 1000,
    token: randomHex(8),
  };
  const policy = parseRedrivePolicy(q.attributes.RedrivePolicy);
  if (policy) {
    const dlq = await deps.repo.queue(parseQueueArn(policy.deadLetterTargetArn, 'RedrivePolicy'));
    if (dlq) o.redrive = { dlqId: dlq.id, maxReceiveCount: policy.maxReceiveCount, sourceArn: arnOf(q) };
  }
  return o;
}

function wanted(names: readonly string[] | undefined, name: string): boolean {
  if (!names) return false;
  return names.some((n) => n === 'All' || n === '.*' || n === name || (n.endsWith('.*') && name.startsWith(n.slice(0, -1))));
}

function systemAttributes(q: QueueRow, m: MessageRow, names: readonly string[]): Record<string, string> {
  const all: Record<string, string | undefined> = {
    SenderId: m.sender_id,
    SentTimestamp: String(m.sent_at),
    ApproximateReceiveCount: String(m.receive_count),
    ApproximateFirstReceiveTimestamp: String(m.first_receive_at ?? m.sent_at),
    SequenceNumber: q.fifo ? String(m.seq).padStart(20, '0') : undefined,
    MessageDeduplicationId: m.dedup_id ?? undefined,
    MessageGroupId: m.group_id ?? undefined,
    AWSTraceHeader: decodeAttributes(m.system_attributes).AWSTraceHeader?.StringValue,
    DeadLetterQueueSourceArn: m.dlq_source_arn ?? undefined,
  };
  const out: Record<string, string> = {};
  for (const n of SYSTEM_NAMES) if (all[n] !== undefined && wanted(names, n)) out[n] = all[n]!;
  return out;
}

function toMessage(q: QueueRow, m: MessageRow, input: Input): Message {
  const out: Message = {
    MessageId: m.message_id,
    ReceiptHandle: encodeReceipt({ queueId: m.queue_id, seq: m.seq, token: m.receipt! }),
    MD5OfBody: m.md5_body,
    Body: m.body,
  };
  // Most receives ask for no attributes: nothing to compute or decode then.
  if (input.AttributeNames?.length || input.MessageSystemAttributeNames?.length) {
    const sysNames = [...((input.AttributeNames ?? []) as string[]), ...((input.MessageSystemAttributeNames ?? []) as string[])];
    const sys = systemAttributes(q, m, sysNames);
    if (Object.keys(sys).length > 0) out.Attributes = sys;
  }
  if (m.attributes !== null && input.MessageAttributeNames?.length) {
    const attrs = decodeAttributes(m.attributes);
    const picked = Object.fromEntries(Object.entries(attrs).filter(([k]) => wanted(input.MessageAttributeNames, k)));
    if (Object.keys(picked).length > 0) out.MessageAttributes = picked as Message['MessageAttributes'];
  }
  // AWS returns the MD5 of all the message's attributes, whichever were asked for.
  if (m.md5_attributes) out.MD5OfMessageAttributes = m.md5_attributes;
  return out;
}
